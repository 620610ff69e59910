"""The school day by the lesson-hour timetable: day bounds, lesson hours, and the blocks of
hours a placed pupil is expected."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.words import DAY_PARTS

from ..models import LessonHour, Placement, PlacementKind


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    return _aware(day, time.min), _aware(day + timedelta(days=1), time.min)


def lesson_hours(*, school) -> list[LessonHour]:
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


def expected_blocks(placement: Placement, day: date, hours: list[LessonHour], slots=None) -> list[Block]:
    """When `placement`'s pupil is expected on `day` (uses the prefetched slots, or `slots`:
    the (weekday, hour) pairs the caller loaded)."""
    if not hours or day.weekday() > 4:
        return []
    if placement.kind == PlacementKind.FULL_TIME:
        wanted = [h.number for h in hours]
    else:
        if slots is None:
            slots = [(s.weekday, s.hour) for s in placement.slots.all()]
        wanted = sorted(hour for weekday, hour in slots if weekday == day.weekday())
    by_number = {h.number: h for h in hours}
    blocks: list[Block] = []
    for number in wanted:
        hour = by_number.get(number)
        if hour is None:
            continue
        if blocks and blocks[-1].last == number - 1:
            blocks[-1].last = number
            blocks[-1].end = _aware(day, hour.ends_at)
        else:
            blocks.append(
                Block(
                    number,
                    number,
                    _aware(day, hour.starts_at),
                    _aware(day, hour.ends_at),
                    day_parts=hour.school.uses_day_parts,
                )
            )
    return blocks
