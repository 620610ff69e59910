"""What the views of the referrals app share: the page size, the pupil picker, the form page
and fetching a facility (404 outside scope, 403 without the right)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carecoord import access
from carecoord.access.placements import with_coaching_of

from ..models import Facility

PER_PAGE = 50


def _picked(students, request):
    """The pupil the search field chose (to show it again when the form has errors)."""
    value = request.POST.get("student", "") if request.method == "POST" else ""
    return students.filter(pk=int(value)).first() if value.isdigit() else None


def _form_page(request, form, title, crumbs, **extra):
    return render(request, "referrals/referral_form.html", {"form": form, "title": title, "crumbs": crumbs, **extra})


def _facility(request, pk, action=None, *, with_school=True) -> Facility:
    """The facility (404 outside scope, 403 without `action`), with its school unless
    `with_school` is False: a check-in or -out tap needs only the school's id."""
    facilities = Facility.objects.visible_to(request.user)
    if with_school:
        facilities = facilities.select_related("school")
    facilities = with_coaching_of(facilities, request.user)
    facility = get_object_or_404(facilities, pk=pk)
    if action and not access.can(request.user, action, facility):
        raise PermissionDenied
    return facility


def _facility_crumbs():
    return [(_("Voorzieningen"), reverse("referrals:facility_list"))]
