"""A leaver's open agreements (afspraken) go to the school's zorgcoördinator
(accounts.services.staff_deactivate sends `staff_left` inside its transaction)."""

from django.dispatch import receiver

from accounts.services.region import staff_left
from carecoord.access import concerns as concern_access

from .models import Agreement


@receiver(staff_left, dispatch_uid="meetings.handover")
def hand_over(sender, *, school, user, **kwargs):
    coordinator = concern_access.unreachable_recipients(school).first()
    if coordinator is not None and coordinator != user:
        Agreement.objects.filter(school=school, owner=user, done_at__isnull=True).update(owner=coordinator)
