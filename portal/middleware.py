"""The gate: a participant (parent, pupil of 16+) reaches the portal and nothing else.

One middleware instead of a check per staff view, so a new staff page cannot forget it:
every URL outside the portal answers 404 to a participant (existence does not leak), and
their session ends after PORTAL_IDLE_MINUTES without a request.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect

from carecoord.access.portal import is_participant

# What a participant may reach outside the portal's own namespace.
OPEN_TO_PARTICIPANTS = frozenset({"account_logout", "set_language", "healthz"})


class ParticipantGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not is_participant(user):
            return None
        # A short idle time: a parent's phone or a shared computer at home.
        request.session.set_expiry(settings.PORTAL_IDLE_MINUTES * 60)
        match = request.resolver_match
        if match is None or match.namespace == "portal" or match.url_name in OPEN_TO_PARTICIPANTS:
            return None
        if match.view_name == "home":
            return redirect("portal:home")
        raise Http404
