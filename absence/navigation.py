"""Menu items and home cards of the absence app."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import HomeCard, NavItem

from .models import AbsenceSignal, SignalLevel


def nav_items(request):
    if not access.can(request.user, "school.view_absence", request.school):
        return []
    return [NavItem(_("Verzuim"), reverse("absence:overview"), "calendar-x")]


def home_cards(request):
    if not access.can(request.user, "school.view_absence", request.school):
        return []
    counts = (
        AbsenceSignal.objects.visible_to(request.user)
        .filter(school=request.school, student__left_on__isnull=True)
        # Only the rows a count below can include: a school has a signal row for most of its
        # pupils, a few hundred signalled; joining each to its pupil (left or not) was the
        # home page's slowest query at region scale (2.2 → 1.0 ms, docs/performance.md).
        .filter(Q(level__gt=SignalLevel.NONE) | Q(crossed_on__isnull=False))
        .aggregate(
            signalled=Count("pk", filter=Q(level__gt=SignalLevel.NONE)),
            report_due=Count("pk", filter=Q(level=SignalLevel.REPORT_DUE) | Q(crossed_on__isnull=False)),
            thuiszitter=Count("pk", filter=Q(level=SignalLevel.THUISZITTER)),
        )
    )
    # Natural Dutch, "1 thuiszitter" and "2 thuiszitters", not "thuiszitter(s)" (issue 17).
    report = ngettext("%(n)s melding verplicht", "%(n)s meldingen verplicht", counts["report_due"])
    thuis = ngettext("%(n)s thuiszitter", "%(n)s thuiszitters", counts["thuiszitter"])
    text = gettext("%(report)s, %(thuis)s.") % {
        "report": report % {"n": counts["report_due"]},
        "thuis": thuis % {"n": counts["thuiszitter"]},
    }
    return [
        HomeCard(_("Verzuimsignalen"), reverse("absence:overview"), text, figure=counts["signalled"], icon="calendar-x")
    ]
