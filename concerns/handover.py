"""A leaver's open work in the zorgroute goes to the school's zorgcoördinator
(accounts.services.staff_deactivate sends `staff_left` inside its transaction)."""

from django.dispatch import receiver

from accounts.services.region import staff_left
from carecoord.access import concerns as concern_access

from .models import Concern, ConcernAction, ConcernStatus


@receiver(staff_left, dispatch_uid="concerns.handover")
def hand_over(sender, *, school, user, **kwargs):
    coordinator = concern_access.unreachable_recipients(school).first()
    ConcernAction.objects.filter(concern__school=school, owner=user, done_at__isnull=True).update(owner=coordinator)
    open_cases = Concern.objects.filter(school=school, handler=user).exclude(status=ConcernStatus.CLOSED)
    for meldcode in (False, True):
        open_cases.filter(is_meldcode=meldcode).update(
            handler=None, handler_role=concern_access.default_handler_role(meldcode=meldcode)
        )
