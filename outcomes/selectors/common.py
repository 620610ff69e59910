"""Shared pieces of the outcome figures: the school year, school weeks, outcome groups."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from absence.signals import school_year_start
from referrals.models import Outcome

# The outcomes of a placement as the figures group them (the issue's "back in class fully
# or partly, other facility, other school, thuiszitter"): mainstream and special education
# are other schools too.
OUTCOME_GROUPS = [
    ("back_fully", _("volledig terug in de klas"), {Outcome.BACK_FULLY}),
    ("back_partly", _("deels terug in de klas"), {Outcome.BACK_PARTLY}),
    ("other_facility", _("andere voorziening"), {Outcome.OTHER_FACILITY}),
    (
        "other_school",
        _("andere school (ook regulier of speciaal)"),
        {Outcome.OTHER_SCHOOL, Outcome.TO_MAINSTREAM, Outcome.TO_OTHER_SPECIAL},
    ),
    ("at_home", _("thuis / thuiszitter"), {Outcome.AT_HOME}),
    ("other", _("anders"), {Outcome.OTHER}),
]
OUTCOME_GROUP_OF = {outcome: key for key, _label, outcomes in OUTCOME_GROUPS for outcome in outcomes}
BACK_IN_CLASS = {Outcome.BACK_FULLY, Outcome.BACK_PARTLY}


def school_year(day: date) -> tuple[date, date]:
    """1 August to 31 July of the school year `day` falls in."""
    start = school_year_start(day)
    return start, date(start.year + 1, 7, 31)


def school_year_label(start: date) -> str:
    return f"{start.year}-{start.year + 1}"


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def day_after(day: date) -> datetime:
    return day_start(day + timedelta(days=1))


def days_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() / 86400


@dataclass
class Row:
    """A labelled line of figures (a facility, a role, a school), cells from suppression."""

    label: str
    cells: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
