"""The page shown while an address is locked after wrong passwords (django-axes)."""

import math

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.shortcuts import render
from django.utils import timezone


def lockout_response(request, original_response=None, credentials=None):
    """429 with the time the lock ends, so the person knows when to try again.

    The lock is per address and IP address (settings.AXES_LOCKOUT_PARAMETERS): it ends a
    cool-off period after the last wrong attempt from here.
    """
    username = get_client_username(request, credentials)
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=ip_address)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    now = timezone.now()
    until = (last or now) + get_cool_off(request)
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return render(
        request,
        "registration/locked_out.html",
        {"until": timezone.localtime(until), "minutes": minutes},
        status=429,
    )
