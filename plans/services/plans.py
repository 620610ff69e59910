"""The OPP: start, write (coordinator, mentor, coach), the talk with the parents, their
instemming, adopt (freeze) and the next period's draft."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord.access.handovers import check_file_open
from students.models import Guardian, age_on
from students.timeline import timeline_add

from ..models import CONSENT_OWN_AGE, CONTENT_FIELDS, Plan, PlanVersion, VersionState


def _locked_draft(version: PlanVersion) -> PlanVersion:
    """The version's row, locked; refuses a version that is no longer a draft, and every
    change once the pupil's file is closed after a handover (read-only at this school)."""
    locked = PlanVersion.objects.select_for_update(of=("self",)).select_related("plan__student").get(pk=version.pk)
    check_file_open(locked.plan.student)
    if locked.state != VersionState.DRAFT:
        raise ValidationError(
            _("Deze versie is vastgesteld en kan niet meer worden gewijzigd. Begin een nieuwe periode.")
        )
    return locked


def plan_start(*, student, actor, support_started_on: date) -> Plan:
    """Start the pupil's OPP (and its first draft) on the day extra support started."""
    check_file_open(student)
    if support_started_on > timezone.localdate():
        raise ValidationError({"support_started_on": _("Deze datum ligt in de toekomst.")})
    with transaction.atomic():
        if Plan.objects.filter(student=student).exists():
            raise ValidationError(_("Deze leerling heeft al een OPP."))
        plan = Plan.objects.create(
            school_id=student.school_id, student=student, support_started_on=support_started_on, created_by=actor
        )
        PlanVersion.objects.create(plan=plan, number=1, created_by=actor, period_start=support_started_on)
        timeline_add(student=student, kind="plans.started", actor=actor, deadline=plan.deadline)
    return plan


def plan_update(*, version: PlanVersion, actor, fields: tuple[str, ...], **values) -> PlanVersion:
    """Write `fields` of a draft (the coordinator all of them, the mentor and the coach their
    own part: the view passes the fields the user may write). A new version in the history."""
    unknown = set(values) - set(fields)
    if unknown or not set(fields) <= set(CONTENT_FIELDS):
        raise ValueError(f"not writable here: {sorted(unknown)}")
    start = values.get("period_start", version.period_start)
    end = values.get("period_end", version.period_end)
    if start and end and end < start:
        raise ValidationError({"period_end": _("De einddatum ligt vóór het begin van de periode.")})
    with transaction.atomic():
        locked = _locked_draft(version)
        changed = False
        for name, value in values.items():
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed = True
        if changed:
            locked._history_user = actor
            locked.save()
    return locked


def plan_discussion_record(*, version: PlanVersion, actor, discussed_on: date, discussed_with: str, parents_view: str):
    """The op overeenstemming gericht overleg with the parents: when, with whom, their view."""
    if discussed_on > timezone.localdate():
        raise ValidationError({"discussed_on": _("Dit gesprek ligt in de toekomst.")})
    if not discussed_with.strip():
        raise ValidationError({"discussed_with": _("Vul in met wie het plan is besproken.")})
    with transaction.atomic():
        locked = _locked_draft(version)
        locked.discussed_on, locked.discussed_with, locked.parents_view = discussed_on, discussed_with, parents_view
        locked._history_user = actor
        locked.save()
        timeline_add(
            student=locked.plan.student, kind="plans.discussed", actor=actor, date=discussed_on, number=locked.number
        )
    return locked


def check_consent_giver(*, student, given_on: date, guardian: Guardian | None, by_student: bool, today=None):
    """Instemming with the handelingsdeel: under 18 a guardian of this pupil with gezag,
    from 18 the pupil. The age counts on the day given and today (as consent does)."""
    today = today or timezone.localdate()
    if given_on > today:
        raise ValidationError({"consent_given_on": _("Instemming kan niet in de toekomst gegeven zijn.")})
    adult = age_on(student.date_of_birth, given_on) >= CONSENT_OWN_AGE
    adult_now = age_on(student.date_of_birth, today) >= CONSENT_OWN_AGE
    if by_student:
        if not adult:
            raise ValidationError(
                {"giver": _("De leerling was op die dag jonger dan 18: een ouder met gezag stemt in.")}
            )
        return
    if guardian is None:
        raise ValidationError({"giver": _("Kies wie heeft ingestemd.")})
    if adult or adult_now:
        raise ValidationError({"giver": _("De leerling is 18 of ouder en stemt zelf in met het handelingsdeel.")})
    if guardian.student_id != student.pk:
        raise ValidationError({"giver": _("Deze ouder/verzorger hoort niet bij deze leerling.")})
    if not guardian.has_authority:
        raise ValidationError(
            {"giver": _("%(name)s heeft geen gezag en kan niet instemmen.") % {"name": guardian.name}}
        )


def _record_consent(*, version, actor, given_on, guardian, by_student, online):
    with transaction.atomic():
        locked = _locked_draft(version)
        student = locked.plan.student
        if locked.discussed_on is None:
            raise ValidationError(_("Leg eerst het gesprek met de ouders vast; daarna de instemming."))
        check_consent_giver(student=student, given_on=given_on, guardian=guardian, by_student=by_student)
        locked.consent_given_on = given_on
        locked.consent_by_guardian = guardian
        locked.consent_by_student = by_student
        locked.consent_online = online
        locked.consent_recorded_by = actor
        locked._history_user = actor
        locked.save()
        timeline_add(
            student=student,
            kind="plans.consent",
            actor=actor,
            date=given_on,
            giver=locked.consent_giver_label,
            online=online,
            number=locked.number,
        )
    return locked


def plan_consent_record(
    *, version: PlanVersion, actor, given_on: date, guardian: Guardian | None = None, by_student: bool = False
):
    """The coordinator records the instemming with the handelingsdeel (date, by whom)."""
    return _record_consent(
        version=version, actor=actor, given_on=given_on, guardian=guardian, by_student=by_student, online=False
    )


def plan_parent_agree(*, version: PlanVersion, guardian: Guardian | None = None, by_student: bool = False, user=None):
    """A parent (or the pupil of 18+) agrees online, for the parents' portal (issue 19):
    the same rules as the coordinator's record, dated today, marked as given online.
    `user` is the portal's account, kept as who recorded it when there is one."""
    return _record_consent(
        version=version,
        actor=user,
        given_on=timezone.localdate(),
        guardian=guardian,
        by_student=by_student,
        online=True,
    )


def plan_adopt(*, version: PlanVersion, actor) -> PlanVersion:
    """Vaststellen: the version is frozen from now on. Needs the talk with the parents and
    the instemming with the handelingsdeel."""
    with transaction.atomic():
        locked = _locked_draft(version)
        errors = []
        if locked.discussed_on is None:
            errors.append(_("Het plan is nog niet met de ouders besproken."))
        if locked.consent_given_on is None:
            errors.append(_("De instemming met het handelingsdeel ontbreekt."))
        if not (locked.educational_needs.strip() and locked.goals.strip() and locked.support.strip()):
            errors.append(_("Vul ten minste de onderwijsbehoeften, de doelen en de ondersteuning in."))
        if errors:
            raise ValidationError(errors)
        locked.state = VersionState.ADOPTED
        locked.adopted_at = timezone.now()
        locked.adopted_by = actor
        locked._history_user = actor
        locked.save()
        timeline_add(
            student=locked.plan.student, kind="plans.adopted", actor=actor, number=locked.number, version_id=locked.pk
        )
    return locked


def plan_new_draft(*, plan: Plan, actor) -> PlanVersion:
    """The next period: a new draft copied from the last adopted version (evaluation empty,
    the period starting the day after the last one ended, or today)."""
    check_file_open(plan.student)
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.versions.filter(state=VersionState.DRAFT).exists():
            raise ValidationError(_("Er is al een concept voor de volgende periode."))
        last = plan.versions.filter(state=VersionState.ADOPTED).order_by("-number").first()
        if last is None:
            raise ValidationError(_("Er is nog geen vastgestelde versie."))
        values = {name: getattr(last, name) for name in CONTENT_FIELDS}
        values.update(evaluation="", mentor_contribution="", coach_contribution="", period_end=None)
        values["period_start"] = timezone.localdate()
        draft = PlanVersion(plan=plan, number=last.number + 1, created_by=actor, **values)
        draft._history_user = actor
        draft.save()
    return draft
