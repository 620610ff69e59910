"""Menu items and home cards of the meetings app."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import OVERLEG, HomeCard, NavItem

from .models import Agreement, Meeting


def nav_items(request):
    if not access.can(request.user, "school.list_meetings", request.school):
        return []
    return [
        NavItem(_("Overleggen"), reverse("meetings:list"), "calendar-event", OVERLEG),
        NavItem(_("Afspraken"), reverse("meetings:agreement_list"), "check2-square", OVERLEG),
    ]


def home_cards(request):
    user, school = request.user, request.school
    if not access.can(user, "school.list_meetings", school):
        return []
    upcoming = Meeting.objects.visible_to(user).planned().filter(school=school, ends_at__gte=timezone.now())
    if not access.can(user, "school.plan_meetings", school):
        upcoming = upcoming.filter(participants=user)
    # The card shows the title and the time only: two columns, not a whole meeting row (the
    # home page is opened often, and each column and model instance costs Python).
    next_meeting = upcoming.order_by("starts_at").values_list("title", "starts_at").first()
    open_agreements = Agreement.objects.visible_to(user).open().filter(school=school, owner=user).count()
    if next_meeting:
        title, starts_at = next_meeting
        text = _("Volgende: %(title)s op %(when)s") % {
            "title": title,
            "when": timezone.localtime(starts_at).strftime("%d-%m-%Y %H:%M"),
        }
    else:
        text = _("Geen overleggen gepland.")
    return [
        HomeCard(_("Mijn overleggen"), reverse("meetings:list"), text, icon="calendar-event"),
        HomeCard(
            _("Mijn afspraken"),
            reverse("meetings:agreement_list"),
            _("Open afspraken die jij oppakt."),
            figure=open_agreements,
            icon="check2-square",
        ),
    ]
