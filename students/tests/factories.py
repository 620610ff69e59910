from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import SchoolFactory, UserFactory
from students.models import Consent, Guardian, GuardianRelation, Level, PartnerLink, SchoolClass, Student


def born_years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


class SchoolClassFactory(DjangoModelFactory):
    class Meta:
        model = SchoolClass
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"F{n}")
    year = 2
    level = Level.VMBO_K

    @factory.post_generation
    def mentors(self, create, extracted, **kwargs):
        if create and extracted:
            self.mentors.add(*extracted)


class StudentFactory(DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.LazyAttribute(lambda o: o.school_class.school if o.school_class else SchoolFactory())
    school_class = factory.SubFactory(SchoolClassFactory)
    student_number = factory.Sequence(lambda n: f"{500000 + n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Sequence(lambda n: f"Achternaam{n:04d}")
    date_of_birth = factory.LazyFunction(lambda: born_years_ago(14, 30))


class GuardianFactory(DjangoModelFactory):
    class Meta:
        model = Guardian

    student = factory.SubFactory(StudentFactory)
    name = factory.Faker("name", locale="nl_NL")
    relation = GuardianRelation.MOEDER
    has_authority = True


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    student = factory.SubFactory(StudentFactory)
    given_by_guardian = factory.LazyAttribute(lambda o: GuardianFactory(student=o.student))
    given_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    recorded_by = factory.SubFactory(UserFactory)


class PartnerLinkFactory(DjangoModelFactory):
    class Meta:
        model = PartnerLink

    student = factory.SubFactory(StudentFactory)
    linked_by = factory.SubFactory(UserFactory)
