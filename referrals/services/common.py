"""What the referral, placement and visit services share: the facility lock, the end of
the school day, the default timetable and the pupil's support status."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import time_format

from students.models import SupportStatus
from students.services import student_set_support_status

from ..models import Facility, Outcome, Placement, Referral

SUPPORT_AFTER_OUTCOME = {
    Outcome.BACK_FULLY: SupportStatus.NONE,
    Outcome.OTHER_SCHOOL: SupportStatus.NONE,
}

# The school day ends after the last lesson hour; without a timetable at this hour.
DEFAULT_DAY_END = datetime.strptime("17:00", "%H:%M").time()

# A Dutch secondary-school timetable of 50-minute lessons, offered when a school has none yet.
DEFAULT_LESSON_HOURS = [
    ("08:30", "09:20"),
    ("09:20", "10:10"),
    ("10:30", "11:20"),
    ("11:20", "12:10"),
    ("12:40", "13:30"),
    ("13:30", "14:20"),
    ("14:30", "15:20"),
    ("15:20", "16:10"),
]


def _lock_facility(facility) -> Facility:
    """The facility row, locked until the end of the transaction.

    Every write that counts places (a full-time placement, a check-in) takes this lock
    first, so two requests never both see the last free place: the second one waits and
    then counts again, with the first one's row committed.
    """
    return Facility.objects.select_for_update().get(pk=facility.pk)


def _shown_time(moment) -> str:
    return time_format(timezone.localtime(moment), "H:i")


def _sync_support_status(*, student, actor, fallback=SupportStatus.IN_BEGELEIDING) -> None:
    """What the mentor sees follows the trajectory: placed while any placement is active,
    referred while any referral is open, else `fallback` (only replacing what this app set)."""
    if Placement.objects.active().filter(student=student).exists():
        status = SupportStatus.GEPLAATST
    elif Referral.objects.open().filter(student=student).exists():
        status = SupportStatus.AANGEMELD
    elif student.support_status in (SupportStatus.AANGEMELD, SupportStatus.GEPLAATST):
        status = fallback
    else:
        return
    student_set_support_status(student=student, status=status, actor=actor)


def _names(student, facility):
    return {"name": student.full_name, "facility": facility.name}
