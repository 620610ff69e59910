"""The shell: home page, health check and error pages."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from carecoord import navigation

log = logging.getLogger(__name__)


def greeting(name: str, now=None) -> str:
    """ "Goedemorgen" until noon, "goedemiddag" until six, then "goedenavond", by the clock in
    Amsterdam (issue 17). The small hours count as evening: "goedenacht" is said when leaving."""
    hour = timezone.localtime(now).hour
    if 6 <= hour < 12:
        text = gettext("Goedemorgen, %(name)s")
    elif 12 <= hour < 18:
        text = gettext("Goedemiddag, %(name)s")
    else:
        text = gettext("Goedenavond, %(name)s")
    return text % {"name": name}


def home(request):
    """Where everyone lands: "Vandaag" (what needs doing today, each block loaded on its own
    by htmx so a slow block never holds up the page), then the cards of what their roles at
    this school allow."""
    from todo.views import today_blocks

    cards = navigation.home_cards(request)
    return render(
        request,
        "home.html",
        {
            "greeting": greeting(request.user.get_short_name()),
            "primary_cards": [c for c in cards if c.primary],
            "cards": [c for c in cards if not c.primary],
            "today_blocks": today_blocks(request),
        },
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:  # any failure means "not healthy"; the kind of failure goes to the log
        log.warning("healthz: database check failed (%s)", type(exc).__name__)
        if not connection.in_atomic_block:
            connection.close()  # a broken connection must not stay for the next request
        return False


def _broker_status() -> str:
    if not settings.BROKER_CONFIGURED:
        return "not-configured"
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        log.warning("healthz: broker check failed (%s)", type(exc).__name__)
        return "down"


@login_not_required
@never_cache
def healthz(request):
    """For load balancers: 200 when the database (and the broker, if configured) answer,
    else 503, always JSON. No login, no session, no personal data (served by
    carecoord.middleware.HealthCheckMiddleware before the session is read)."""
    database = "ok" if _database_ok() else "down"
    broker = _broker_status()
    healthy = database == "ok" and broker != "down"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def error_500(request):
    # Rendered without context processors: the failure may be in them.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({"request": request}))


@login_not_required
def not_found(request, *args, **kwargs):
    """A page that a library offers and we switched off."""
    raise Http404
