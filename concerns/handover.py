"""A leaver's open work in the zorgroute goes to the school's zorgcoördinator
(accounts.services.staff_deactivate sends `staff_left` inside its transaction): their triage
actions; the cases they handled go back to the handler role. With no coordinator the actions
stay with the leaver, as tasks and agreements do, until someone becomes one (`pick_up`)."""

from django.dispatch import receiver

from accounts.models import User
from accounts.services.region import coordinator_appointed, roles_taken, staff_left
from carecoord.access import concerns as concern_access

from .models import Concern, ConcernAction, ConcernStatus


def _actions_to(coordinator, *, school, user, **only) -> int:
    """`user`'s open triage actions at `school` (`only`: e.g. those in Meldcode cases) go to
    `coordinator`; none without one, or when it is `user`. Returns how many."""
    if coordinator is None or coordinator == user:
        return 0
    actions = ConcernAction.objects.filter(concern__school=school, owner=user, done_at__isnull=True, **only)
    return actions.update(owner=coordinator)


def _cases_back_to_role(*, school, user, meldcode: bool) -> int:
    """The open cases `user` handles in person go back to their handler role. Returns how many."""
    cases = Concern.objects.filter(school=school, handler=user, is_meldcode=meldcode).exclude(
        status=ConcernStatus.CLOSED
    )
    return cases.update(handler=None, handler_role=concern_access.default_handler_role(meldcode=meldcode))


def _leavers_work_to(coordinator, *, school, user) -> None:
    _actions_to(coordinator, school=school, user=user)
    for meldcode in (False, True):
        _cases_back_to_role(school=school, user=user, meldcode=meldcode)


def _meldcode_work_to(coordinator, *, school, user) -> int:
    if concern_access.may_handle(user, school, meldcode=True):
        return 0
    actions = _actions_to(coordinator, school=school, user=user, concern__is_meldcode=True)
    return actions + _cases_back_to_role(school=school, user=user, meldcode=True)


@receiver(staff_left, dispatch_uid="concerns.handover")
def hand_over(sender, *, school, user, **kwargs):
    _leavers_work_to(concern_access.unreachable_recipients(school).first(), school=school, user=user)


@receiver(roles_taken, dispatch_uid="concerns.roles_taken")
def hand_over_meldcode_cases(sender, *, school, user, **kwargs):
    """Only a zorgcoördinator or an aandachtsfunctionaris handles a Meldcode case, or an action
    in one (`possible_handlers`). Someone who stays at the school without either role no longer
    sees those cases: the cases go back to the aandachtsfunctionaris role and the open actions
    to the coordinator, as a leaver's. Other concerns any staff member may handle: theirs still.
    Returns how many cases and actions were handed on."""
    return _meldcode_work_to(concern_access.unreachable_recipients(school).first(), school=school, user=user)


@receiver(coordinator_appointed, dispatch_uid="concerns.pick_up")
def pick_up(sender, *, school, **kwargs):
    """A new zorgcoördinator takes the open triage actions leavers left at the school while it
    had none, and the actions in Meldcode cases of colleagues who stayed without a Meldcode
    role (`hand_over_meldcode_cases` while the school had no coordinator). The coordinator is
    looked up once for all of them."""
    coordinator = concern_access.unreachable_recipients(school).first()
    waiting = ConcernAction.objects.filter(concern__school=school, done_at__isnull=True)
    leavers = User.objects.filter(concern_access.left_school_q(school), pk__in=waiting.values("owner")).order_by("pk")
    for leaver in leavers:
        _leavers_work_to(coordinator, school=school, user=leaver)
    in_cases = waiting.filter(concern__is_meldcode=True).values("owner")
    for colleague in User.objects.filter(pk__in=in_cases).exclude(concern_access.left_school_q(school)).order_by("pk"):
        _meldcode_work_to(coordinator, school=school, user=colleague)
