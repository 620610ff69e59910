"""Mailed links with a secret in the path: the invitation of a new colleague (accounts) and
of a parent (portal). Whoever holds the secret can use the invitation, for days.

A path is written to gunicorn's and the proxy's access logs (docs/deploy.md drops only the
query string) and, under our global `Referrer-Policy: same-origin`, sent along with every
request the page makes to our own site: its styles and scripts, the form's POST. So the
secret leaves the address at once, as in Django's PasswordResetConfirmView: the first GET
puts it in the session and redirects to the same page with a fixed word in its place; the
page and its POST read it from the session. Only that first GET holds the secret (the mail
does anyway). Calendar feeds stay token URLs: a calendar app keeps no session.
"""

from functools import wraps

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

# What the address shows instead of the secret (a secret is 43 characters, never this word).
PLACEHOLDER = "welkom"

# The page of a link whose secret this browser's session no longer holds: the session ended
# (30 minutes idle, or the browser was closed), or another invitation was opened since.
REOPEN_LINK = _(
    "Open de link uit je e-mail opnieuw: in deze browser is intussen een andere uitnodiging geopend, "
    "of de pagina stond te lang open."
)


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
            if token == PLACEHOLDER:
                return view(request, request.session.get(session_key, ""))
            # Also a POST to an old address (a page opened before this change): nothing is
            # used, the browser shows the page again.
            request.session[session_key] = token
            response = redirect(request.resolver_match.view_name, token=PLACEHOLDER)
            response["Referrer-Policy"] = "no-referrer"
            return response

        return wrapped

    return decorator
