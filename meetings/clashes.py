"""Clash warnings: when planning or moving a meeting or a series, who already has a meeting
at that time, at any school of the installation. Partners and staff often work at several
schools (the demo's leerplicht officer sits in the OT of both), so a clash elsewhere is the
one planners cannot see themselves.

A meeting at another school is shown as busy time only ("heeft dan al een overleg op een
andere school"): its title, place and agenda stay at that school. Meetings that only touch
(one ends at 15:30, the next starts at 15:30) do not clash.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from .models import Meeting, MeetingStatus

# Enough to tell the planner what is wrong; a series with clashes on every date lists the first.
MAX_SHOWN = 20


@dataclass(frozen=True)
class Clash:
    person_name: str
    starts_at: datetime
    ends_at: datetime
    # The other meeting's title when it is at the planning school, else "" (busy time only).
    title: str
    same_school: bool


def participant_clashes(*, school, slots, participants, exclude_meetings=()) -> list[Clash]:
    """The planned meetings of `participants` that overlap one of `slots` ([(start, end)],
    aware datetimes), at any school, leaving out `exclude_meetings` (the meeting being moved).
    One query, whatever the number of slots or participants."""
    ids = [getattr(p, "pk", p) for p in participants]
    if not ids or not slots:
        return []
    overlap = Q()
    for start, end in slots:
        overlap |= Q(meeting__starts_at__lt=end, meeting__ends_at__gt=start)
    through = Meeting.participants.through
    rows = (
        through.objects.filter(overlap, user_id__in=ids, meeting__status=MeetingStatus.PLANNED)
        .exclude(meeting_id__in=[getattr(m, "pk", m) for m in exclude_meetings])
        .select_related("meeting", "user")
        .order_by("meeting__starts_at", "user__name")[:MAX_SHOWN]
    )
    school_id = getattr(school, "pk", school)
    return [
        Clash(
            person_name=row.user.name,
            starts_at=row.meeting.starts_at,
            ends_at=row.meeting.ends_at,
            title=row.meeting.title if row.meeting.school_id == school_id else "",
            same_school=row.meeting.school_id == school_id,
        )
        for row in rows
    ]
