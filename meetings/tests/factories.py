from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from meetings.models import AgendaItem, Agreement, Meeting, MeetingKind


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    kind = MeetingKind.OT
    title = "Ondersteuningsteam"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=90))
    location = "Vergaderruimte"

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.add(*extracted)


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    question = "Wat is de volgende stap?"
    added_by = factory.LazyAttribute(lambda o: o.meeting.organiser)


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    school = factory.LazyAttribute(lambda o: o.meeting.school)
    item = None
    student = factory.LazyAttribute(lambda o: o.item.student if o.item else None)
    description = "Gesprek met ouders plannen"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    created_by = factory.LazyAttribute(lambda o: o.meeting.organiser)
