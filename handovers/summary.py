"""The care summary (zorgsamenvatting) of a pupil: what the receiving school needs to know
to continue the support — the stage, the concerns by category and date, the support given
(placements, their goals, evaluations and outcome) and absence this school year.

Plain text lines, in Dutch (the language of the record that travels), so that the copy in
a handover and the PDF for the OSO overstapdossier say the same and do not change when the
sending school's data changes later. What a concern's reporter wrote is not in it: the
observations stay at the sending school; chosen notes and documents carry the details.
Meldcode concerns appear only when the zorgcoördinator chose to include the Meldcode.
"""

from datetime import date

from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from absence.models import AbsenceKind, AbsenceRecord
from absence.signals import school_year_start
from concerns.models import Concern, MeldcodeStep
from referrals.models import Placement


def _day(value) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


def _hours(minutes) -> str:
    return f"{(minutes or 0) / 60:.1f}".replace(".", ",")


def care_summary(student, *, meldcode: bool, today: date | None = None) -> list[dict]:
    """[{"title": ..., "lines": [...]}] for `student`. A fixed number of queries."""
    from django.utils import timezone

    today = today or timezone.localdate()
    with translation.override("nl"):
        return [
            _pupil(student),
            _concerns(student, meldcode=meldcode),
            _support(student),
            _absence(student, today),
        ]


def _pupil(student) -> dict:
    lines = [
        _("Geboortedatum: %(day)s") % {"day": _day(student.date_of_birth)},
        _("School: %(school)s") % {"school": student.school.name},
        _("Laatste klas: %(klas)s") % {"klas": student.school_class or "—"},
        _("Vertrokken op: %(day)s") % {"day": _day(student.left_on)},
        _("Ondersteuning: %(stage)s") % {"stage": student.get_support_status_display() or _("geen")},
    ]
    return {"title": student.full_name, "lines": lines}


def _concerns(student, *, meldcode: bool) -> dict:
    concerns = Concern.objects.filter(student=student).select_related("category").order_by("created_at")
    if not meldcode:
        concerns = concerns.filter(is_meldcode=False)
    lines = [
        _("%(day)s · %(category)s · %(status)s")
        % {
            "day": _day(c.created_at.date()),
            "category": c.category.name + (" (Meldcode)" if c.is_meldcode else ""),
            "status": c.get_status_display(),
        }
        for c in concerns
    ]
    return {"title": _("Zorgmeldingen"), "lines": lines or [_("Geen zorgmeldingen.")]}


def _support(student) -> dict:
    placements = (
        Placement.objects.filter(student=student)
        .select_related("facility")
        .prefetch_related("goals", "evaluations")
        .order_by("start_on")
    )
    lines = []
    for p in placements:
        period = _("%(start)s tot %(end)s") % {
            "start": _day(p.start_on),
            "end": _day(p.ended_on) if p.ended_on else _("nu"),
        }
        lines.append(
            _("%(facility)s (%(kind)s), %(period)s")
            % {"facility": p.facility.name, "kind": p.get_kind_display(), "period": period}
        )
        for goal in p.goals.all():
            lines.append(_("  Doel: %(goal)s") % {"goal": goal.text})
        evaluations = list(p.evaluations.all())
        if evaluations:
            last = evaluations[0]  # newest first (the model's ordering)
            lines.append(
                _("  Laatste evaluatie %(day)s: %(decision)s")
                % {"day": _day(last.held_on), "decision": last.get_decision_display()}
            )
        if p.outcome:
            outcome = p.get_outcome_display()
            if p.outcome_note:
                outcome = f"{outcome} — {p.outcome_note}"
            lines.append(_("  Uitkomst: %(outcome)s") % {"outcome": outcome})
    return {"title": _("Gegeven ondersteuning"), "lines": lines or [_("Geen plaatsingen in een voorziening.")]}


def _absence(student, today: date) -> dict:
    start = school_year_start(today)
    totals = dict(
        AbsenceRecord.objects.filter(student=student, date__gte=start, date__lte=today)
        .values("kind")
        .annotate(minutes=Sum("minutes"))
        .values_list("kind", "minutes")
    )
    lines = [
        _("Sinds %(day)s: %(unauthorised)s uur ongeoorloofd, %(authorised)s uur geoorloofd afwezig")
        % {
            "day": _day(start),
            "unauthorised": _hours(totals.get(AbsenceKind.UNAUTHORISED)),
            "authorised": _hours(totals.get(AbsenceKind.AUTHORISED)),
        }
    ]
    return {"title": _("Verzuim dit schooljaar"), "lines": lines}


def meldcode_steps(student):
    """The recorded Meldcode steps of the pupil's Meldcode concerns, oldest first."""
    return MeldcodeStep.objects.filter(concern__student=student, concern__is_meldcode=True).order_by(
        "occurred_on", "pk"
    )


# The fields of an OPP version that travel, in the order of the document.
PLAN_FIELDS = (
    "educational_needs",
    "stimulating_factors",
    "hindering_factors",
    "destination",
    "destination_reasons",
    "goals",
    "support",
    "evaluation",
)


def current_plan(student):
    """The pupil's newest adopted OPP version as (title, date, text), or None."""
    from plans.models import PlanVersion, VersionState

    version = (
        PlanVersion.objects.filter(plan__student=student, state=VersionState.ADOPTED)
        .order_by("-adopted_at", "-pk")
        .first()
    )
    if version is None:
        return None
    with translation.override("nl"):
        parts = []
        for name in PLAN_FIELDS:
            field = version._meta.get_field(name)
            value = version.get_destination_display() if name == "destination" else getattr(version, name)
            if value:
                parts.append(f"{str(field.verbose_name).capitalize()}: {value}")
        title = _("OPP, versie %(number)s (%(start)s tot %(end)s)") % {
            "number": version.number,
            "start": _day(version.period_start),
            "end": _day(version.period_end),
        }
    return title, version.adopted_at.date(), "\n".join(parts)
