"""Agenda suggestions for meetings (see meetings/suggestions.py): pupils this app knows a
reason to discuss. Each provider is one query; reasons name the stage, never care content."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.suggestions import Suggestion, register_suggestion_provider

from .models import Placement, Referral


@register_suggestion_provider
def open_referrals(school, meeting):
    referrals = (
        Referral.objects.filter(school=school)
        .open()
        .select_related("student__school_class", "facility")
        .order_by("created_at")
    )
    return [
        Suggestion(
            student=r.student,
            reason=_("Aanmelding %(facility)s: %(state)s")
            % {"facility": r.facility.name, "state": r.get_state_display()},
            source="referrals",
        )
        for r in referrals
    ]


@register_suggestion_provider
def placements_with_evaluation_due(school, meeting):
    # Due before the meeting after this one (six weeks is the usual OT rhythm).
    horizon = timezone.localtime(meeting.starts_at).date() + timedelta(weeks=6)
    placements = (
        Placement.objects.filter(school=school, next_evaluation_on__lte=horizon)
        .active()
        .select_related("student__school_class", "facility")
    )
    return [
        Suggestion(
            student=p.student,
            reason=_("Evaluatie %(facility)s op %(date)s")
            % {"facility": p.facility.name, "date": date_format(p.next_evaluation_on, "SHORT_DATE_FORMAT")},
            source="placements",
        )
        for p in placements
    ]
