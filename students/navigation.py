"""Menu items and home cards of the students app."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.navigation import BEHEER, HomeCard, NavItem

from .models import Student


def nav_items(request):
    user, school = request.user, request.school
    items = []
    if access.can(user, "school.list_students", school):
        items.append(NavItem(_("Leerlingen"), reverse("students:list"), "people"))
    if access.can(user, "school.manage_classes", school):
        # "Groepen" at a primary or special school (accounts.words).
        items.append(NavItem(school.words.klassen, reverse("students:class_list"), "collection", BEHEER))
    if access.can(user, "school.import_students", school):
        items.append(NavItem(_("Leerlingen inlezen"), reverse("students:import_upload"), "cloud-arrow-up", BEHEER))
    if access.can(user, "school.view_access_log", school):
        items.append(NavItem(_("Leesregistratie"), reverse("students:school_access_log"), "eye", BEHEER))
    return items


def home_cards(request):
    user, school = request.user, request.school
    if not access.can(user, "school.list_students", school):
        return []
    count = Student.objects.visible_to(user).filter(school=school).active().count()
    if not count and access.acts_as_partner(user, school):
        text = _("Er zijn (nu) geen leerlingen met toestemming voor jouw organisatie.")
    else:
        text = _("Zoek een leerling en open het dossier.")
    return [HomeCard(_("Leerlingen"), reverse("students:list"), text, figure=count, icon="people")]
