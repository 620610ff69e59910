"""The pupil file skips the queries of panels whose table holds no row about the pupil
(students/presence.py). This proves each guard asks the right table: the page is the same,
byte for byte, whether the file skips or runs every panel's query.

A guard that asks the wrong table (`holds(student, FamilyLink)` before reading documents)
shows nothing for a pupil whose only rows are in the right one, so the test fills one
table per pupil ("singletons"), plus a pupil with a row in every table and one with none,
and renders each file for the zorgcoördinator, a mentor of the class and a viproom coach.

It lives in carecoord/tests because it fills tables of apps that the pupil file's app may not
import (.importlinter: students never imports records, handovers, privacy).
"""

import difflib
import re
import sys
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from absence.models import AbsenceSignal, EscalationStep, MasStep
from accounts.tests.factories import SchoolFactory, UserFactory
from carecoord.access.sections import Section
from concerns.models import Concern
from concerns.tests.factories import ConcernFactory, route
from handovers.models import Handover, HandoverStatus
from meetings.models import AgendaItem, Agreement
from meetings.tests.factories import AgendaItemFactory, AgreementFactory, MeetingFactory
from plans.models import Plan
from portal.models import Participant
from privacy.models import RightsRequest
from privacy.services import rights_request_add
from privacy.tests.factories import everything_about
from records.models import Document, FamilyLink, FamilyLinkStatus
from records.services import document_add
from records.tests.factories import pdf_upload
from referrals.models import FacilityKind, Placement, PlacementKind, Referral, Visit
from referrals.tests.factories import FacilityFactory, ReferralFactory, lesson_hours, placed, visit
from students import presence
from students.models import Consent, Guardian, PartnerLink, Student
from students.tests.factories import (
    ConsentFactory,
    GuardianFactory,
    PartnerLinkFactory,
    StudentFactory,
    born_years_ago,
)

# What differs between two renders of the same file by the same reader: Django masks the
# CSRF secret anew for every response (the hidden form fields and the X-CSRFToken header
# of htmx in <body>). Seen by rendering one file twice; nothing else differed (no nonce
# nor request id is written into the HTML).
CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}"')


def _page(response) -> str:
    return CSRF_TOKEN.sub(r'\1CSRF"', response.content.decode())


@dataclass
class Rendered:
    status: int
    html: str
    queries: int


def _render(client, pupil, monkeypatch, *, skip: bool) -> Rendered:
    """The file of `pupil`: as it is (`skip`), or with every `holds` answering True, so that
    every panel runs its query. `holds` is patched where the panels look it up: each module
    that did `from students.presence import holds` has its own name for it."""
    with monkeypatch.context() as patch:
        if not skip:
            real = presence.holds
            for module in list(sys.modules.values()):
                for name, value in list(vars(module).items()) if module else []:
                    if value is real:
                        patch.setattr(module, name, lambda student, model: True)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(pupil.get_absolute_url())
    return Rendered(response.status_code, _page(response), len(queries))


def _holds(pupil) -> set:
    """The tracked tables that hold a row about `pupil` (the real answer, one query)."""
    fresh = Student.objects.get(pk=pupil.pk)
    return {model for model in presence._TRACKED if presence.holds(fresh, model)}


@pytest.fixture
def pupils(school, school_class, coordinator, mentor, coach, organisation):
    """{label: (pupil, the tracked tables it must hold)}, all in the mentor's class."""
    lesson_hours(school)
    categories = route(school)
    facility = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    today = timezone.localdate()
    found = {}

    def pupil(label, *expected, **fields):
        new = StudentFactory(school_class=school_class, first_name=label.split()[0], **fields)
        found[label] = (new, set(expected))
        return new

    full = everything_about(
        pupil("Alles"),
        actor=coordinator,
        facility=facility,
        categories=categories,
        organisation=organisation,
        marker="ALLES",
    )
    found["Alles"] = (full, set(presence._TRACKED))
    pupil("Niets")

    GuardianFactory(student=pupil("Ouder", Guardian))
    # A consent the pupil gave at 17 (one given by a guardian needs a Guardian row too).
    ConsentFactory(
        student=pupil("Toestemming", Consent, date_of_birth=born_years_ago(17)),
        given_by_guardian=None,
        given_by_student=True,
        organisation=organisation,
        recorded_by=coordinator,
    )
    PartnerLinkFactory(student=pupil("Netwerk", PartnerLink), organisation=organisation, linked_by=coordinator)
    ConcernFactory(student=pupil("Zorg", Concern), category=categories["gedrag"], raised_by=coordinator)
    ConcernFactory(student=pupil("Meldcode", Concern), category=categories["veiligheid"], raised_by=coordinator)
    # A placement in a viproom comes from a referral; a kansencoach's coaching has none.
    placed(pupil("Plaatsing", Placement, Referral), facility, by=coordinator, slots=[(0, 1)])
    Placement.objects.create(
        school=school,
        student=pupil("Coaching", Placement),
        facility=FacilityFactory(school=school, name="Kansencoach", kind=FacilityKind.KANSENCOACH),
        kind=PlacementKind.COACHING,
        start_on=today - timedelta(days=7),
        created_by=coordinator,
    )
    ReferralFactory(student=pupil("Aanmelding", Referral), facility=facility, created_by=coordinator)
    visit(pupil("Bezoek", Visit), facility, by=coordinator, minutes=50)
    meeting = MeetingFactory(school=school, organiser=coordinator, participants=[coordinator, mentor])
    AgendaItemFactory(meeting=meeting, student=pupil("Agenda", AgendaItem))
    AgreementFactory(meeting=meeting, student=pupil("Afspraak", Agreement), owner=coordinator)
    document_add(
        student=pupil("Document", Document),
        actor=coordinator,
        upload=pdf_upload(),
        title="Verslag",
        kind="verslag",
        section=Section.ADMINISTRATIE,
    )
    # A family link names one pupil on each side: each side is a pupil of its own.
    first, second = pupil("Gezin A", FamilyLink), pupil("Gezin B", FamilyLink)
    FamilyLink.objects.create(school=school, student_a=first, student_b=second, status=FamilyLinkStatus.CONFIRMED)
    # A handover names the pupil who leaves (`student`) and the one who arrived (`received_student`).
    leaver = pupil("Vertrek", Handover)
    next_school = SchoolFactory(name="Volgende school", brin_code="33CC")
    person = {"first_name": "Vertrek", "last_name": leaver.last_name, "date_of_birth": leaver.date_of_birth}
    Handover.objects.create(
        student=leaver, from_school=school, to_school=next_school, basis="wet", started_by=coordinator, **person
    )
    arrived = pupil("Aankomst", Handover)
    previous_school = SchoolFactory(name="Vorige school", brin_code="44DD")
    Handover.objects.create(
        student=StudentFactory(school=previous_school, school_class=None),
        from_school=previous_school,
        to_school=school,
        status=HandoverStatus.ACCEPTED,
        basis="wet",
        summary=[{"title": "Leerling", "lines": ["Samenvatting"]}],
        started_by=coordinator,
        accepted_by=coordinator,
        accepted_at=timezone.now(),
        received_student=arrived,
        first_name="Aankomst",
        last_name=arrived.last_name,
        date_of_birth=arrived.date_of_birth,
    )
    Participant.objects.create(user=UserFactory(), student=pupil("Portaal", Participant), invited_by=coordinator)
    Plan.objects.create(
        school=school, student=pupil("Groeidocument", Plan), support_started_on=today, created_by=coordinator
    )
    rights_request_add(
        student=pupil("Inzage", RightsRequest),
        actor=coordinator,
        kind="inzage",
        received_on=today,
        requested_by="moeder",
        description="Inzage in het dossier",
    )
    AbsenceSignal.objects.create(student=pupil("Verzuim", AbsenceSignal), school=school, level_since=today)
    # The MAS step is read with the signal only: a pupil with a signal and a step (the next
    # step late), and one with a step alone (a signal that ended).
    stepped = pupil("Stappen", AbsenceSignal, EscalationStep)
    AbsenceSignal.objects.create(
        student=stepped,
        school=school,
        level_since=today,
        episode_start=today - timedelta(days=30),
        next_step=MasStep.COORDINATOR_TALK,
        next_step_due=today - timedelta(days=1),
    )
    for who in (stepped, pupil("Stap", EscalationStep)):
        EscalationStep.objects.create(
            student=who,
            school=school,
            step=MasStep.MENTOR_CONTACT,
            on=today,
            who="Mentor",
            outcome="Gebeld",
            recorded_by=coordinator,
        )
    return found


def test_the_file_is_the_same_with_and_without_skipping_empty_panels(
    client, coordinator, mentor, coach, pupils, monkeypatch
):
    # Each pupil holds exactly the tables it was made for, and together they cover every
    # tracked table (a table tracked later fails here until it has a pupil of its own).
    for label, (pupil, expected) in pupils.items():
        assert _holds(pupil) == expected, label
    alone = {model for _pupil, expected in pupils.values() if len(expected) == 1 for model in expected}
    assert alone == set(presence._TRACKED)

    opened, differences = 0, []
    for reader in (coordinator, mentor, coach):
        client.force_login(reader)
        for label, (pupil, _expected) in pupils.items():
            skipping = _render(client, pupil, monkeypatch, skip=True)
            asking = _render(client, pupil, monkeypatch, skip=False)
            assert skipping.status == asking.status, (reader.email, label)
            if skipping.status == 404:  # the coach sees placed pupils only
                continue
            assert skipping.status == 200, (reader.email, label)
            opened += 1
            if skipping.html != asking.html:
                diff = difflib.unified_diff(
                    asking.html.splitlines(), skipping.html.splitlines(), "every query", "skipping", lineterm="", n=1
                )
                differences.append(f"{reader.email} on {label}:\n" + "\n".join(list(diff)[:30]))
            if label == "Niets":
                # Nothing to show: the skipping file asks one question instead of a query per panel.
                assert skipping.queries < asking.queries, (reader.email, skipping.queries, asking.queries)
    assert not differences, "\n\n".join(differences)
    # The coordinator and the mentor open every file, the coach those placed in the viproom.
    assert opened == 2 * len(pupils) + 2
