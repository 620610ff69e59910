"""The school day by the lesson-hour timetable: day bounds, lesson hours, and the blocks of
hours a placed pupil is expected."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from accounts.words import DAY_PARTS

from ..models import LessonHour, Placement, PlacementKind


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    return _aware(day, time.min), _aware(day + timedelta(days=1), time.min)


def lesson_hours(*, school) -> list[LessonHour]:
    """The school's lesson hours by number, each with its school. Given the School itself
    (not its id), the hours get that object instead of a join: the coach's board asks on
    every refresh, and a School row per lesson hour was most of the objects it built."""
    if isinstance(school, School):
        hours = list(LessonHour.objects.filter(school=school).order_by("number"))
        for hour in hours:
            hour.school = school
        return hours
    return list(LessonHour.objects.filter(school=school).select_related("school").order_by("number"))


@dataclass
class Block:
    """Consecutive lesson hours on one day when a pupil is expected."""

    first: int
    last: int
    start: datetime
    end: datetime
    # A PO/SO school counts day parts (ochtend/middag) instead of lesson hours.
    day_parts: bool = False

    @property
    def label(self):
        if self.day_parts:
            names = [str(DAY_PARTS.get(n, n)) for n in range(self.first, self.last + 1)]
            return " + ".join(names)
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def kind_word(self):
        return _("dagdeel") if self.day_parts else _("lesuur")


def day_hours(day: date, hours: list[LessonHour]) -> dict[int, tuple[datetime, datetime, bool]]:
    """`hours` on `day` by number, as (start, end, day_parts). The board works them out once
    for all its placed pupils: per pupil it was a third of the board's own work."""
    return {h.number: (_aware(day, h.starts_at), _aware(day, h.ends_at), h.school.uses_day_parts) for h in hours}


def expected_blocks(placement: Placement, day: date, hours: list[LessonHour], slots=None, times=None) -> list[Block]:
    """When `placement`'s pupil is expected on `day` (uses the prefetched slots, or `slots`:
    the (weekday, hour) pairs the caller loaded; `times`: `day_hours(day, hours)`)."""
    if not hours or day.weekday() > 4:
        return []
    if placement.kind == PlacementKind.FULL_TIME:
        wanted = [h.number for h in hours]
    else:
        if slots is None:
            slots = [(s.weekday, s.hour) for s in placement.slots.all()]
        wanted = sorted(hour for weekday, hour in slots if weekday == day.weekday())
    if times is None:
        times = day_hours(day, hours)
    blocks: list[Block] = []
    for number in wanted:
        time_of = times.get(number)
        if time_of is None:
            continue
        if blocks and blocks[-1].last == number - 1:
            blocks[-1].last = number
            blocks[-1].end = time_of[1]
        else:
            blocks.append(Block(number, number, time_of[0], time_of[1], day_parts=time_of[2]))
    return blocks
