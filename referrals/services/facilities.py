"""Facilities and the school's lesson-hour timetable."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import change_record, values_of
from carecoord import access
from carecoord.access import placements as placement_access

from ..models import Facility, LessonHour, Placement, PlacementKind
from .common import _lock_facility

FACILITY_FIELDS = ("name", "kind", "capacity", "hours_per_week", "coaches", "partner_organisation", "is_active")


def facility_save(*, school, actor, instance: Facility | None = None, coaches=(), **fields) -> Facility:
    """Create or change a facility. Coaches must have the coach role at the school; the
    capacity may not drop below the full-time placements it holds now."""
    coach_ids = {c.pk for c in coaches}
    allowed = set(placement_access.possible_coaches(school).filter(pk__in=coach_ids).values_list("pk", flat=True))
    if coach_ids - allowed:
        raise ValidationError({"coaches": _("Alleen medewerkers met de rol coach op deze school kunnen coach zijn.")})
    with transaction.atomic():
        facility = instance or Facility(school=school)
        if instance is not None:
            facility = _lock_facility(instance)
        before = values_of(facility, FACILITY_FIELDS) if facility.pk else {}
        for name, value in fields.items():
            setattr(facility, name, value)
        if facility.pk:
            full_time = Placement.objects.active().filter(facility=facility, kind=PlacementKind.FULL_TIME).count()
            if facility.capacity < full_time:
                raise ValidationError(
                    {
                        "capacity": _("Er zijn nu %(n)s voltijdplaatsingen; de capaciteit kan niet lager dan dat.")
                        % {"n": full_time}
                    }
                )
        try:
            facility.full_clean()
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        facility.save()
        facility.coaches.set(coaches)
        after = values_of(facility, FACILITY_FIELDS)
        change_record(
            school=school, actor=actor, kind="referrals.facility_saved", obj=facility, before=before, after=after
        )
    for coach in coaches:
        access.forget(coach)  # their rights changed within this request
    return facility


def lesson_hours_save(*, school, hours, actor) -> list[LessonHour]:
    """Replace the school's timetable with `hours` [(start, end), ...] in order: lesson
    hour 1 is the first. Hours may not overlap."""
    hours = [(start, end) for start, end in hours if start and end]
    errors = []
    for n, (start, end) in enumerate(hours, start=1):
        if end <= start:
            errors.append(_("Lesuur %(n)s eindigt niet na het begin.") % {"n": n})
        if n > 1 and start < hours[n - 2][1]:
            errors.append(_("Lesuur %(n)s begint voor het einde van lesuur %(m)s.") % {"n": n, "m": n - 1})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        old = LessonHour.objects.filter(school=school).order_by("number")
        before = [f"{h.starts_at:%H:%M}-{h.ends_at:%H:%M}" for h in old]
        old.delete()
        rows = LessonHour.objects.bulk_create(
            [LessonHour(school=school, number=n, starts_at=s, ends_at=e) for n, (s, e) in enumerate(hours, start=1)]
        )
        change_record(
            school=school,
            actor=actor,
            kind="referrals.lesson_hours_saved",
            object_type="referrals.lessonhour",
            before={"hours": before},
            after={"hours": [f"{s:%H:%M}-{e:%H:%M}" for s, e in hours]},
        )
    return rows
