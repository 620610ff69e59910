"""A pupil with one of everything the application keeps (for retention and inzage tests)."""

from datetime import date, timedelta

from django.utils import timezone

from absence.models import AbsenceSignal, EscalationStep
from absence.tests.factories import absent
from audit.services import change_record
from cico.models import Card
from concerns.models import ConcernAction, MeldcodeStep
from concerns.tests.factories import ConcernFactory
from handovers.models import Handover
from meetings.tests.factories import AgendaItemFactory, AgreementFactory, MeetingFactory
from plans.models import ExternalReferral, Plan, PlanVersion, RequestMessage, SupportRequest
from portal.models import Invitation, OppView, ParentView, Participant, PlanAgreement, Share
from privacy.models import InzageExport
from privacy.services import rights_request_add
from records.models import FamilyLink, FamilyLinkStatus, NoteKind
from records.services import document_add, note_add, note_update
from records.tests.factories import pdf_upload
from referrals.models import (
    CoachingConversation,
    CoachingNomination,
    EvaluationDecision,
    Facility,
    FacilityKind,
    GoalProgress,
    NominationState,
    Placement,
    PlacementEvaluation,
    PlacementGoal,
    PlacementKind,
)
from referrals.tests.factories import placed, visit
from students import services as student_services
from students.models import FileAccess, TimelineEvent
from students.tests.factories import GuardianFactory, PartnerLinkFactory, StudentFactory
from todo.models import Task


def everything_about(student, *, actor, facility, categories, organisation, marker: str):
    """One row of every kind of record about `student`, several with more than one version.
    `marker` is written in the free text, so a test can look for it (or its absence)."""
    guardian = GuardianFactory(student=student, name=f"Ouder {marker}")
    student_services.guardian_update(guardian=guardian, actor=actor, phone="0612345678")
    student_services.consent_give(
        student=student,
        actor=actor,
        given_on=timezone.localdate(),
        purpose="ot_bespreking",
        given_by_guardian=guardian if not student.is_16_or_older() else None,
        given_by_student=student.is_16_or_older(),
        note=f"Toestemming {marker}",
    )
    PartnerLinkFactory(student=student, organisation=organisation, role=f"casusregisseur {marker}")
    concern = ConcernFactory(
        student=student, category=categories["gedrag"], raised_by=actor, observation=f"Zorg {marker}"
    )
    concern.observation = f"Zorg {marker} (aangevuld)"
    concern.save()
    ConcernAction.objects.create(concern=concern, description=f"Actie {marker}", created_by=actor)
    meldcode = ConcernFactory(
        student=student, category=categories["veiligheid"], raised_by=actor, observation=f"Meldcode {marker}"
    )
    MeldcodeStep.objects.create(
        concern=meldcode,
        step=1,
        occurred_on=timezone.localdate(),
        participants="mentor",
        notes=f"Signalen {marker}",
        recorded_by=actor,
    )
    ConcernAction.objects.create(concern=meldcode, description=f"Meldcode-actie {marker}", created_by=actor)
    TimelineEvent.objects.create(student=student, kind="concerns.raised", section="meldcode", params={"m": marker})
    TimelineEvent.objects.create(student=student, kind="absence.step", section="verzuim", params={"m": marker})
    AbsenceSignal.objects.create(student=student, school=student.school, level_since=timezone.localdate())
    sibling = StudentFactory(school_class=student.school_class, first_name=f"Broer{marker}")
    pair = sorted([student, sibling], key=lambda s: s.pk)
    FamilyLink.objects.create(
        school=student.school, student_a=pair[0], student_b=pair[1], status=FamilyLinkStatus.CONFIRMED
    )
    InzageExport.objects.create(school=student.school, student=student, requested_by=actor, status="klaar")
    placement = placed(student, facility, by=actor, slots=[(0, 1)])
    goal = PlacementGoal.objects.create(placement=placement, text=f"Doel {marker}")
    evaluation = PlacementEvaluation.objects.create(
        placement=placement, held_on=timezone.localdate(), decision=EvaluationDecision.CONTINUE, by=actor
    )
    evaluation.results.create(goal=goal, progress=GoalProgress.PARTLY, decision=EvaluationDecision.CONTINUE)
    visit(student, facility, by=actor, placement=placement, minutes=50)
    # The kansencoach (seed 004): a nomination, the coaching it started, a conversation.
    kansencoach = Facility.objects.create(
        school=student.school, name=f"Kansencoach {marker}", kind=FacilityKind.KANSENCOACH, capacity=6
    )
    coaching = Placement.objects.create(
        school=student.school,
        student=student,
        facility=kansencoach,
        kind=PlacementKind.COACHING,
        start_on=timezone.localdate(),
        created_by=actor,
    )
    CoachingNomination.objects.create(
        school=student.school,
        student=student,
        facility=kansencoach,
        reason=f"Voordracht {marker}",
        nominated_by=actor,
        state=NominationState.STARTED,
        placement=coaching,
    )
    CoachingConversation.objects.create(
        placement=coaching,
        held_on=timezone.localdate(),
        minutes=30,
        kind="leerling",
        note=f"Gesprek {marker}",
        by=actor,
    )
    meeting = MeetingFactory(school=student.school, organiser=actor)
    item = AgendaItemFactory(meeting=meeting, student=student, question=f"Vraag {marker}")
    AgreementFactory(meeting=meeting, item=item, owner=actor, description=f"Afspraak {marker}")
    absent(student, timezone.localdate() - timedelta(days=3), 120)
    EscalationStep.objects.create(
        student=student,
        school=student.school,
        step=1,
        on=timezone.localdate(),
        who="mentor",
        outcome=f"Gesprek {marker}",
        recorded_by=actor,
    )
    note = note_add(
        student=student,
        actor=actor,
        occurred_at=timezone.now(),
        kind=NoteKind.PHONE,
        text=f"Notitie {marker}",
        section="zorg",
    )
    note_update(
        note=note,
        actor=actor,
        occurred_at=note.occurred_at,
        kind=note.kind,
        text=f"Notitie {marker} v2",
        section="zorg",
    )
    note_add(
        student=student,
        actor=actor,
        occurred_at=timezone.now(),
        kind=NoteKind.OTHER,
        text=f"Meldcode-notitie {marker}",
        section="meldcode",
    )
    document_add(
        student=student,
        actor=actor,
        upload=pdf_upload(text=marker),
        title=f"Verslag {marker}",
        kind="verslag",
        section="zorg",
    )
    document_add(
        student=student,
        actor=actor,
        upload=pdf_upload(text=marker),
        title=f"Meldcode-verslag {marker}",
        kind="verslag",
        section="meldcode",
    )
    rights_request_add(
        student=student,
        actor=actor,
        kind="inzage",
        received_on=timezone.localdate(),
        requested_by="moeder",
        description=f"Verzoek {marker}",
    )
    change_record(
        school=student.school_id,
        student=student,
        actor=actor,
        kind="test.changed",
        obj=student,
        before={"x": 1},
        after={"x": 2},
    )
    FileAccess.objects.create(user=actor, student=student, school=student.school, section="dossier", request_id="t")
    _point_card(student, placement, actor=actor, marker=marker)
    _plan_and_requests(student, actor=actor, organisation=organisation, marker=marker)
    _portal(student, actor=actor, item=item, marker=marker)
    _handovers(student, actor=actor, marker=marker)
    Task.objects.create(
        school=student.school,
        assignee=actor,
        student=student,
        title=f"Taak {marker}",
        due_on=timezone.localdate(),
        key=f"test-{marker}",
    )
    return student


def _point_card(student, placement, *, actor, marker):
    card = Card.objects.create(
        placement=placement, school=student.school, student=student, start_on=timezone.localdate(), created_by=actor
    )
    card.expectations.create(text=f"Verwachting {marker}")
    card.periods.create(weekday=0, hour=1)
    day = card.days.create(day=timezone.localdate())
    day.scores.create(hour=1, scored_by=actor)
    card.proposals.create(proposal="continue", by=actor, note=f"Voorstel {marker}")


def _plan_and_requests(student, *, actor, organisation, marker):
    from students.models import Consent

    plan = Plan.objects.create(
        school=student.school, student=student, support_started_on=timezone.localdate(), created_by=actor
    )
    PlanVersion.objects.create(plan=plan, number=1, created_by=actor, goals=f"Doelen {marker}")
    consent = Consent.objects.filter(student=student).first()
    request = SupportRequest.objects.create(
        school=student.school,
        student=student,
        organisation=organisation,
        kind="arrangement",
        question=f"Aanvraag {marker}",
        consent=consent,
        sent_by=actor,
    )
    RequestMessage.objects.create(request=request, author=actor, from_swv=False, text=f"Bericht {marker}")
    ExternalReferral.objects.create(
        school=student.school,
        student=student,
        organisation=organisation,
        question=f"Verwijzing {marker}",
        consent=consent,
        sent_by=actor,
    )


def _portal(student, *, actor, item, marker):
    from django.contrib.contenttypes.models import ContentType

    from accounts.tests.factories import UserFactory

    participant = Participant.objects.create(
        user=UserFactory(email=f"ouder-{marker.lower()}@thuis.test"), student=student, invited_by=actor
    )
    Invitation.objects.create(
        participant=participant,
        token_hash=f"{marker}".ljust(64, "0"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    Share.objects.create(
        student=student,
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        shared_by=actor,
    )
    ParentView.objects.create(item=item, participant=participant, text=f"Onze kijk {marker}")
    version = PlanVersion.objects.filter(plan__student=student).first()
    PlanAgreement.objects.create(
        participant=participant,
        content_type=ContentType.objects.get_for_model(version),
        object_id=version.pk,
        plan_version=version.number,
        agreed=True,
    )
    OppView.objects.create(version=version, participant=participant, text=f"Onze kijk op het OPP {marker}")


def _handovers(student, *, actor, marker):
    """A handover this pupil arrived with (accepted), and one of this pupil waiting."""
    from accounts.tests.factories import SchoolFactory

    previous_school = SchoolFactory(name=f"Vorige school {marker}", brin_code=f"V{marker[:3]}")
    next_school = SchoolFactory(name=f"Volgende school {marker}", brin_code=f"N{marker[:3]}")
    previous = StudentFactory(school=previous_school, first_name=student.first_name, school_class=None)
    person = {"first_name": student.first_name, "last_name": student.last_name, "date_of_birth": student.date_of_birth}
    arrived = Handover.objects.create(
        student=previous,
        from_school=previous_school,
        to_school=student.school,
        status="aanvaard",
        basis="wet",
        summary=[{"title": "Leerling", "lines": [f"Samenvatting {marker}"]}],
        started_by=actor,
        accepted_by=actor,
        accepted_at=timezone.now(),
        received_student=student,
        **person,
    )
    arrived.items.create(
        kind="notitie", section="zorg", title="Notitie", occurred_on=timezone.localdate(), text=f"Overgedragen {marker}"
    )
    leaving = Handover.objects.create(
        student=student,
        from_school=student.school,
        to_school=next_school,
        basis="wet",
        summary=[{"title": "Leerling", "lines": [f"Vertrek {marker}"]}],
        started_by=actor,
        **person,
    )
    leaving.items.create(
        kind="notitie", section="zorg", title="Notitie", occurred_on=timezone.localdate(), text=f"Mee {marker}"
    )


def left(student, *, years_ago: int) -> None:
    student.left_on = date.today().replace(year=date.today().year - years_ago) - timedelta(days=10)
    student.save(update_fields=["left_on"])
