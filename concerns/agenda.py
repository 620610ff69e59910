"""Agenda suggestions for meetings (see meetings/suggestions.py): pupils with a concern in
progress. One query; the reason names the category and status, never care content."""

from django.utils.translation import gettext as _

from meetings.suggestions import Suggestion, register_suggestion_provider

from .models import Concern, ConcernStatus


@register_suggestion_provider
def concerns_in_progress(school, meeting):
    # Meldcode cases are never suggested: they are discussed within the Meldcode steps.
    concerns = (
        Concern.objects.filter(school=school, is_meldcode=False)
        .open()
        .order_by("created_at")
        .values_list("student_id", "category__name", "status")
    )
    # A school has a hundred or more open concerns in a handful of categories and statuses:
    # each reason is translated once (a translation per row was most of this provider's time).
    reasons: dict[tuple, str] = {}
    suggestions = []
    for student_id, category, status in concerns:
        reason = reasons.get((category, status))
        if reason is None:
            reason = reasons[category, status] = _("Zorgmelding %(category)s (%(status)s)") % {
                "category": category,
                "status": ConcernStatus(status).label,
            }
        suggestions.append(Suggestion(None, reason, "concerns", student_id))
    return suggestions
