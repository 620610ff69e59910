"""What the views of the plans app share: fetching a request or a referral for a page, and
handing a valid form to a service (views.py: the OPP and the requests to the
samenwerkingsverband; referral_views.py: the referrals to external partners)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect

from carecoord import access
from carecoord.forms import add_service_errors


def fetch(request, queryset, pk, action):
    """The one request or referral a page is about, through `queryset` (already scoped to the
    user with `visible_to`): 404 outside it, so whether it exists is not told; 403 without
    the right to `action`."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    if not access.can(request.user, action, found):
        raise PermissionDenied
    return found


def form_saved(request, form, save, *, success, then=None):
    """A valid form handed to the service: `save()` runs it. Done: `success` as a message and
    a redirect to `then` (by default what `save` returned). Refused by the service: its
    errors on the form, where the user sees them with what they typed; None, as for a form
    that is not (validly) posted, so the view shows the form again."""
    if not form.is_valid():
        return None
    try:
        saved = save()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success)
    return redirect(saved if then is None else then)
