"""A leaver's open agreements (afspraken) go to the school's zorgcoördinator
(accounts.services.staff_deactivate sends `staff_left` inside its transaction). With no
coordinator they stay with the leaver until someone becomes one (`pick_up`)."""

from django.dispatch import receiver

from accounts.models import User
from accounts.services.region import coordinator_appointed, staff_left
from carecoord.access import concerns as concern_access

from .models import Agreement


@receiver(staff_left, dispatch_uid="meetings.handover")
def hand_over(sender, *, school, user, **kwargs):
    coordinator = concern_access.unreachable_recipients(school).first()
    if coordinator is not None and coordinator != user:
        Agreement.objects.filter(school=school, owner=user, done_at__isnull=True).update(owner=coordinator)


@receiver(coordinator_appointed, dispatch_uid="meetings.pick_up")
def pick_up(sender, *, school, **kwargs):
    """A new zorgcoördinator takes the open agreements leavers left at the school while it had none."""
    waiting = Agreement.objects.filter(school=school, done_at__isnull=True).values("owner")
    for leaver in User.objects.filter(concern_access.left_school_q(school), pk__in=waiting).order_by("pk"):
        hand_over(sender, school=school, user=leaver)
