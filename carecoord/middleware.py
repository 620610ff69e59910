"""Request id (for the read log and log lines) and the school a user is working in."""

import re
import time
import uuid

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from carecoord import access
from carecoord.requestid import reset_page, reset_request_id, set_page, set_request_id

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id: taken from a trusted proxy's X-Request-ID, else new.

    The id is written to every read-log row and every log line, so an access can be
    traced from the log to the request without putting pupil data in either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = set_request_id(request.id)
        page_token = set_page("")
        try:
            response = self.get_response(request)
        finally:
            reset_page(page_token)
            reset_request_id(token)
        response["X-Request-ID"] = request.id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The page kind of every read-log row written while serving this view.
        set_page(request.resolver_match.view_name if request.resolver_match else "")


class HealthCheckMiddleware:
    """Answer `/healthz` before sessions, authentication and the school are looked up.

    Those need the database; with the database down a request carrying a session cookie
    would end in a 500 page instead of the 503 JSON a load balancer reads. Also before the
    https redirect and host check: a load balancer asks over plain http by IP address.
    """

    PATH = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == self.PATH:
            from carecoord.views import healthz

            return healthz(request)
        return self.get_response(request)


SESSION_SCHOOL_KEY = "school_id"

# The idle timeout slides: a session ends SESSION_COOKIE_AGE after the last request. Saving
# the session on every request (SESSION_SAVE_EVERY_REQUEST) costs a database write and a
# commit per page for every user of a region; moving the end at most once a minute costs
# at most a minute of the timeout (29 instead of 30 minutes after the last click):
# settings.SESSION_REFRESH_SECONDS.
SESSION_REFRESH_KEY = "_idle_refreshed"


class SessionIdleMiddleware:
    """Slide the session's end with the user's activity, writing it at most once a minute
    (right after django's SessionMiddleware, which saves a session marked modified)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and response.status_code != 500:
            now = int(time.time())
            if now - session.get(SESSION_REFRESH_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESH_KEY] = now
        return response


class CurrentSchoolMiddleware:
    """Set `request.school` (or None) and `request.roles` (the user's roles there).

    The school comes from the session (the switcher in the navigation) when the user
    still has a role there, else their home school (that of their first role). Lists are scoped
    to this school; objects are checked against the user's roles at *their* school.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        request.roles = frozenset()
        if request.user.is_authenticated:
            schools = access.schools_of(request.user)
            wanted = request.session.get(SESSION_SCHOOL_KEY)
            request.school = next((s for s in schools if s.pk == wanted), None) or access.home_school(request.user)
            request.roles = access.roles_at(request.user, request.school)
        return self.get_response(request)


class HtmxLoginRedirectMiddleware:
    """When a session has ended, an htmx request would follow the redirect and swap the
    login page into a fragment. Tell htmx to load the login page as a whole page instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code == 302
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Dutch unless the user chose English in the menu (the language cookie).

    Django's own middleware would follow the browser's Accept-Language, which gives
    an English interface to staff whose laptop happens to be set to English.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not send: Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user, and on every download.

    Pupil pages, htmx partials and exports must not stay in the cache of a shared school PC
    or a proxy (issue 15). One middleware instead of a decorator per view, so a new page
    cannot forget it. Static files (WhiteNoise, earlier in the chain) keep their long caching;
    the calendar feed (no login, no pupil names) keeps its own revalidation headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or download:
            add_never_cache_headers(response)  # no-store, no-cache, max-age=0, private
        return response


# What a signed-in user without the second factor may still reach (allauth's URL names):
# signing out, the language and the code step; and, only while they have no device yet,
# enrolling one. Not the recovery codes of an existing device: a password alone would do.
TWO_FACTOR_OPEN = frozenset(
    {
        "account_logout",
        "account_login",
        "account_reauthenticate",
        "set_language",
        "healthz",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_trust",
    }
)
TWO_FACTOR_ENROLMENT = frozenset(
    {
        "two_factor_setup",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
    }
)


class TwoFactorRequiredMiddleware:
    """A session without the second factor reaches nothing but the steps to get one.

    Who must use a second factor: `carecoord.access.twofactor.two_factor_required`. Enforced
    here for every view (pupil pages, exports, htmx partials, the Django admin), not per
    view, so a new page cannot forget it. Someone without a device yet is sent to enrol
    (forced at first sign-in); someone with one who skipped the step (e.g. a role that now
    needs it) is asked for a code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from accounts import twofactor
        from carecoord.access.twofactor import two_factor_required

        user = request.user
        if not user.is_authenticated or request.path.startswith(settings.STATIC_URL):
            return None
        url_name = request.resolver_match.url_name if request.resolver_match else None
        if url_name in TWO_FACTOR_OPEN:
            return None
        if twofactor.second_factor_passed(request) or not two_factor_required(user):
            return None
        enrolled = twofactor.has_second_factor(user)
        if not enrolled and url_name in TWO_FACTOR_ENROLMENT:
            return None
        target = "mfa_reauthenticate" if enrolled else "two_factor_setup"
        url = f"{resolve_url(target)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
