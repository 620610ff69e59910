"""Mailed links with a secret in the path: the invitation of a new colleague (accounts) and
of a parent (portal). Whoever holds the secret can use the invitation, for days.

A path is written to gunicorn's and the proxy's access logs and, under our global
`Referrer-Policy: same-origin`, sent along with every request the page makes to our own site:
its styles and scripts, the form's POST. So the mailed link carries the secret in its query
string (`link_path`), which neither access log keeps (docs/deploy.md), and the secret leaves
the address at once, as in Django's PasswordResetConfirmView: the first GET puts it in the
session and redirects to the page without it; the page and its POST read it from the session.
A link mailed before 29-11-2026 has the secret in its path instead, and works the same way.
Calendar feeds stay token URLs: a calendar app keeps no session.
"""

from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

# What the address shows instead of the secret (a secret is 43 characters, never this word).
PLACEHOLDER = "welkom"
# The query parameter of a mailed link that holds its secret.
SECRET = "sleutel"

# The page of a link whose secret this browser's session no longer holds: the session ended
# (30 minutes idle, or the browser was closed), or another invitation was opened since.
REOPEN_LINK = _(
    "Open de link uit je e-mail opnieuw: in deze browser is intussen een andere uitnodiging geopend, "
    "of de pagina stond te lang open."
)


def link_path(view_name: str, secret: str) -> str:
    """The path (and query) of a mailed link to `view_name` (decorated with `secret_from_link`)."""
    return f"{reverse(view_name, kwargs={'token': PLACEHOLDER})}?{urlencode({SECRET: secret})}"


def secret_from_link(session_key: str):
    """Decorate a view `view(request, token)` reached by a mailed link. The link's secret goes
    to `request.session[session_key]` and the browser to the placeholder address; there the
    view gets the secret from the session ("" when there is none). The view removes it once
    used.

    The redirect says `Referrer-Policy: no-referrer` (the next request does not even name the
    webmail it came from). The page itself keeps our global same-origin: its address holds no
    secret, and under no-referrer a browser sends its form's POST with `Origin: null`, which
    Django's CSRF check refuses."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, token):
            secret = request.GET.get(SECRET, "")
            if token == PLACEHOLDER and not secret:
                # Every link shows this one address: a browser must not keep its answer (the
                # "verlopen" page of an old link showed for the next, valid one), nor the page
                # with the invitee's name and address (a shared computer).
                response = view(request, request.session.get(session_key, ""))
                add_never_cache_headers(response)
                return response
            # Also a POST to an old address (a page opened before this change): nothing is
            # used, the browser shows the page again.
            request.session[session_key] = secret or token
            response = redirect(request.resolver_match.view_name, token=PLACEHOLDER)
            response["Referrer-Policy"] = "no-referrer"
            add_never_cache_headers(response)
            return response

        return wrapped

    return decorator
