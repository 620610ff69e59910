"""Agenda suggestions for meetings (see meetings/suggestions.py): pupils this app knows a
reason to discuss. Each provider is one query; reasons name the stage, never care content."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.suggestions import Suggestion, register_suggestion_provider

from .models import Placement, Referral, ReferralState


@register_suggestion_provider
def open_referrals(school, meeting):
    referrals = (
        Referral.objects.filter(school=school)
        .open()
        .order_by("created_at")
        .values_list("student_id", "facility__name", "state")
    )
    return [
        Suggestion(
            None,
            _("Aanmelding %(facility)s: %(state)s") % {"facility": facility, "state": ReferralState(state).label},
            "referrals",
            student_id,
        )
        for student_id, facility, state in referrals
    ]


@register_suggestion_provider
def placements_with_evaluation_due(school, meeting):
    # Due before the meeting after this one (six weeks is the usual OT rhythm).
    horizon = timezone.localtime(meeting.starts_at).date() + timedelta(weeks=6)
    placements = (
        Placement.objects.filter(school=school, next_evaluation_on__lte=horizon)
        .active()
        .values_list("student_id", "facility__name", "next_evaluation_on")
    )
    # Many placements share a facility and an evaluation date: each reason is formatted once.
    reasons: dict[tuple, str] = {}
    suggestions = []
    for student_id, facility, evaluation_on in placements:
        reason = reasons.get((facility, evaluation_on))
        if reason is None:
            reason = reasons[facility, evaluation_on] = _("Evaluatie %(facility)s op %(date)s") % {
                "facility": facility,
                "date": date_format(evaluation_on, "SHORT_DATE_FORMAT"),
            }
        suggestions.append(Suggestion(None, reason, "placements", student_id))
    return suggestions
