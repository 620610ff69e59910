"""Agenda suggestions for meetings (see meetings/suggestions.py): pupils with a concern in
progress. One query; the reason names the category and status, never care content."""

from django.utils.translation import gettext as _

from meetings.suggestions import Suggestion, register_suggestion_provider

from .models import Concern


@register_suggestion_provider
def concerns_in_progress(school, meeting):
    # Meldcode cases are never suggested: they are discussed within the Meldcode steps.
    concerns = (
        Concern.objects.filter(school=school, is_meldcode=False)
        .open()
        .select_related("student__school_class", "category")
        .order_by("created_at")
    )
    return [
        Suggestion(
            student=c.student,
            reason=_("Zorgmelding %(category)s (%(status)s)")
            % {"category": c.category.name, "status": c.get_status_display()},
            source="concerns",
        )
        for c in concerns
    ]
