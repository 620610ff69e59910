"""Reads of the parents' portal: what one participant may see of their child, each a fixed
number of queries. Only items with a `Share` row (the school's explicit choice) are read;
the never-shared sections are filtered out here too, whatever rows exist."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord.access.portal import involved_staff, reader_labels, shareable_q, shared_opp_versions_q
from meetings.models import AgendaItem, Agreement
from plans.models import PlanVersion
from records.models import Document
from referrals.models import Placement, PlacementGoal
from students.models import Consent, ConsentPurpose, FileAccess, PartnerLink

from .models import OppView, ParentView, Participant, PlanAgreement, Share


def participant_for(*, user, student_id: int) -> Participant:
    """The user's own access to this pupil, or 404 (another child, revoked access, a
    guardian without gezag, a pupil who left: existence does not leak)."""
    participant = (
        Participant.objects.visible_to(user)
        .select_related("student__school", "student__school_class", "guardian")
        .filter(student_id=student_id)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def children_of(user) -> list[Participant]:
    return list(
        Participant.objects.visible_to(user)
        .select_related("student__school", "student__school_class", "guardian")
        .order_by("student__first_name", "pk")
    )


def shared_ids(student, model) -> list[int]:
    return list(
        Share.objects.filter(student=student, content_type=ContentType.objects.get_for_model(model)).values_list(
            "object_id", flat=True
        )
    )


def shared_documents(student):
    return Document.objects.filter(
        shareable_q(), student=student, pk__in=shared_ids(student, Document), removed_at__isnull=True
    )


def shared_items(student):
    """Agenda items about the pupil that the school shared, with their agreements."""
    return (
        AgendaItem.objects.filter(student=student, pk__in=shared_ids(student, AgendaItem))
        .select_related("meeting")
        .prefetch_related(Prefetch("agreements", queryset=Agreement.objects.order_by("due_on", "pk")))
        .order_by("-meeting__starts_at", "pk")
    )


def shared_plans(student):
    return (
        Placement.objects.filter(student=student, pk__in=shared_ids(student, Placement))
        .select_related("facility")
        .prefetch_related(Prefetch("goals", queryset=PlacementGoal.objects.filter(closed_on__isnull=True)))
    )


def shared_opp_versions(user, student):
    """The versions of the pupil's groeidocument/OPP the school shared, newest first (the
    rule in carecoord/access/portal.py: another child's or an unshared version never)."""
    return (
        PlanVersion.objects.filter(shared_opp_versions_q(user), plan__student=student)
        .select_related("plan", "consent_by_guardian")
        .order_by("-number")
    )


def own_opp_views(participant, versions) -> dict[int, OppView]:
    return {v.version_id: v for v in OppView.objects.filter(participant=participant, version__in=versions)}


def opp_views_for_staff(version):
    """What the parents (and the pupil) wrote on one OPP version, for the school."""
    return OppView.objects.filter(version=version).select_related("participant__guardian").order_by("-written_at")


@dataclass
class ConsentChoice:
    label: str
    organisation_id: int | None
    purpose: str
    consent: Consent | None  # the one in force, if any


def consent_overview(student) -> tuple[list[ConsentChoice], list[Consent]]:
    """What a participant can give or withdraw (each purpose and each partner organisation
    involved with the pupil, with the consent in force) and the consents that ended."""
    today = timezone.localdate()
    consents = list(Consent.objects.filter(student=student).select_related("organisation", "given_by_guardian"))
    active = [c for c in consents if c.is_active(today)]
    links = PartnerLink.objects.active().filter(student=student).select_related("organisation")
    organisations = {link.organisation_id: link.organisation for link in links}
    for consent in active:
        if consent.organisation_id:
            organisations.setdefault(consent.organisation_id, consent.organisation)
    choices = []
    for organisation in sorted(organisations.values(), key=lambda o: o.name.lower()):
        current = next((c for c in active if c.organisation_id == organisation.pk), None)
        choices.append(ConsentChoice(str(organisation), organisation.pk, "", current))
    for value, label in ConsentPurpose.choices:
        current = next((c for c in active if c.purpose == value), None)
        choices.append(ConsentChoice(str(label), None, value, current))
    ended = [c for c in consents if not c.is_active(today)]
    return choices, ended


@dataclass
class Professional:
    name: str
    role: str


def professionals(student) -> list[Professional]:
    """The people involved: mentors of the class, the zorgcoördinator(s) and the partners
    linked to the pupil (personally or as organisation)."""
    people = [Professional(name, label) for name, label in involved_staff(student)]
    for link in PartnerLink.objects.active().filter(student=student).select_related("organisation", "user"):
        name = link.user.name if link.user_id else str(link.organisation)
        role = link.role or link.organisation.get_kind_display()
        people.append(Professional(name, f"{role} ({link.organisation})" if link.user_id else role))
    return people


PARENT_LABEL = _("ouder of leerling (ouderportaal)")


@dataclass
class ReadLine:
    at: object
    who: str
    section: str


def read_log(student, *, limit: int = 100) -> list[ReadLine]:
    """Who read the child's file (AVG inzage): by role and organisation, never by name of
    a parent's fellow guardian; two queries whatever the number of rows."""
    rows = list(FileAccess.objects.filter(student=student).select_related("user__organisation")[:limit])
    labels = reader_labels({row.user_id for row in rows}, student.school_id)
    lines = []
    for row in rows:
        if row.user.organisation_id:
            who = f"{row.user.organisation.get_kind_display()} ({row.user.organisation})"
        elif row.user_id in labels:
            who = f"{labels[row.user_id]} ({student.school})"
        else:
            who = str(PARENT_LABEL)
        lines.append(ReadLine(row.accessed_at, who, row.section))
    return lines


def own_views(participant, items) -> dict[int, ParentView]:
    return {v.item_id: v for v in ParentView.objects.filter(participant=participant, item__in=items)}


def plan_answers(participant, plans) -> dict[int, PlanAgreement]:
    """The latest answer of the participant per plan."""
    ct = ContentType.objects.get_for_model(Placement)
    answers = {}
    for answer in PlanAgreement.objects.filter(
        participant=participant, content_type=ct, object_id__in=[p.pk for p in plans]
    ).order_by("answered_at"):
        answers[answer.object_id] = answer
    return answers


# --- The school's side (the zorgcoördinator's page) ------------------------------------------------


def participants_of(student) -> list[Participant]:
    """Everyone ever invited for this pupil, with whether their access counts now."""
    participants = list(
        Participant.objects.filter(student=student).select_related("user", "guardian").order_by("revoked_at", "pk")
    )
    active = set(Participant.objects.active().filter(student=student).values_list("pk", flat=True))
    for participant in participants:
        participant.counts_now = participant.pk in active
    return participants


@dataclass
class Shareable:
    kind: str  # the URL's kind: document, overleg, plan, opp
    pk: int
    label: str
    shared: bool
    never: bool  # Meldcode or vertrouwelijk: cannot be shared


def shareables(student) -> list[Shareable]:
    """Every item of the pupil the school can share, with its state (six queries)."""
    from carecoord.access.portal import may_be_shared

    documents = Document.objects.filter(student=student, removed_at__isnull=True)
    items = AgendaItem.objects.filter(student=student).select_related("meeting").order_by("-meeting__starts_at")
    plans = Placement.objects.filter(student=student).select_related("facility")
    versions = PlanVersion.objects.filter(plan__student=student).order_by("-number")
    shared = {
        (ct, oid) for ct, oid in Share.objects.filter(student=student).values_list("content_type_id", "object_id")
    }
    cts = ContentType.objects.get_for_models(Document, AgendaItem, Placement, PlanVersion)
    rows = []
    for document in documents:
        rows.append(
            Shareable(
                "document",
                document.pk,
                _("Document: %(title)s") % {"title": document.title},
                (cts[Document].pk, document.pk) in shared,
                not may_be_shared(document.section),
            )
        )
    for item in items:
        label = _("Overleg: %(title)s, %(date)s") % {
            "title": item.meeting.title,
            "date": timezone.localtime(item.meeting.starts_at).strftime("%d-%m-%Y"),
        }
        rows.append(Shareable("overleg", item.pk, label, (cts[AgendaItem].pk, item.pk) in shared, False))
    for placement in plans:
        label = _("Plan: %(facility)s vanaf %(date)s") % {
            "facility": placement.facility.name,
            "date": placement.start_on.strftime("%d-%m-%Y"),
        }
        rows.append(Shareable("plan", placement.pk, label, (cts[Placement].pk, placement.pk) in shared, False))
    for version in versions:
        label = _("Groeidocument/OPP: versie %(number)s (%(state)s)") % {
            "number": version.number,
            "state": version.get_state_display(),
        }
        rows.append(Shareable("opp", version.pk, label, (cts[PlanVersion].pk, version.pk) in shared, False))
    return rows


def views_for_staff(student):
    return (
        ParentView.objects.filter(item__student=student)
        .select_related("participant__guardian", "item__meeting")
        .order_by("-written_at")
    )


def opp_views_of(student):
    return (
        OppView.objects.filter(participant__student=student)
        .select_related("participant__guardian", "version")
        .order_by("-written_at")
    )


def answers_for_staff(student):
    return (
        PlanAgreement.objects.filter(participant__student=student)
        .select_related("participant__guardian")
        .order_by("-answered_at")
    )
