"""A leaver's open stored tasks (todo.Task) at the school go to its zorgcoördinator, like
their agreements (meetings/handover.py) and triage actions (concerns/handover.py):
accounts.services.region sends `staff_left` inside the transaction that switches them off.

A task goes only to a coordinator who may open it. Handing a task on is giving it, so the
rules of giving it are asked again (carecoord/access/todo.py `task_handover_refusals`): the
coordinator may see the pupil and, for a note or document to read, may read it. Today the
zorgcoördinator sees every pupil and every section of the school (vertrouwelijk included),
so this refuses nothing in practice; but should a rule narrow, a task the coordinator may
not open is closed with the reason (`Task.closed_reason`) instead of handed to them: they
could not do it, and its title and pupil would be shown to someone who may not see them.
Closing, not leaving it open with the leaver: nobody would ever see it again. Whoever
handed the note or document on sees the reason in its "Voor wie" part.

A task's key ends with its person's id (records/services/flags.py, referrals/services/
noshows.py: "a second run finds the row"). The key is rewritten for the coordinator, so a
second run finds their row and a note they open ticks the task off; when they already have
the same task, the leaver's copy is closed as a duplicate. No coordinator at the school:
the tasks stay where they are, as agreements and triage actions do, until someone becomes its
coordinator (`pick_up`). Someone who stays with fewer roles hands on only the tasks the roles
they keep cannot open (`roles_taken`); with no coordinator those stay with them (shown
without the pupil's name) until someone becomes coordinator, as a leaver's do."""

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services.region import coordinator_appointed, roles_taken, staff_left
from carecoord.access import concerns as concern_access
from carecoord.access.todo import task_handover_refusals

from .models import Task


def _key_for(key: str, leaver, coordinator) -> str:
    suffix = f":{leaver.pk}"
    return f"{key[: -len(suffix)]}:{coordinator.pk}"[:200] if key.endswith(suffix) else key


def _open_tasks(school, user) -> list[Task]:
    return list(
        Task.objects.open()
        .filter(school=school, assignee=user)
        .select_related("school", "student")
        .select_for_update(of=("self",))
    )


@receiver(staff_left, dispatch_uid="todo.handover")
def hand_over(sender, *, school, user, actor=None, **kwargs):
    coordinator = concern_access.unreachable_recipients(school).first()
    _leavers_tasks_to(coordinator, school=school, user=user, actor=actor)


@receiver(roles_taken, dispatch_uid="todo.roles_taken")
def hand_over_what_they_cannot_open(sender, *, school, user, actor=None, **kwargs):
    """Someone who stays at the school with fewer roles keeps the tasks they can still open;
    a task they could no longer be given (about a pupil the kept roles do not show, a note
    they may no longer read: `task_handover_refusals` asked of them) goes on as a leaver's.
    Returns how many went to the coordinator."""
    coordinator = concern_access.unreachable_recipients(school).first()
    return _unopenable_tasks_to(coordinator, school=school, user=user, actor=actor)


def _leavers_tasks_to(coordinator, *, school, user, actor) -> None:
    if coordinator is None or coordinator == user:
        return
    closed = _("Gesloten toen %(leaver)s vertrok, niet doorgegeven: %(reason)s")
    _hand_on(_open_tasks(school, user), user=user, coordinator=coordinator, actor=actor, closed=closed)


def _unopenable_tasks_to(coordinator, *, school, user, actor) -> int:
    if coordinator is None or coordinator == user:
        return 0
    tasks = _open_tasks(school, user)
    cannot_open = task_handover_refusals(user, tasks)
    tasks = [task for task in tasks if task.pk in cannot_open]
    closed = _("Gesloten toen de rollen van %(leaver)s veranderden, niet doorgegeven: %(reason)s")
    return _hand_on(tasks, user=user, coordinator=coordinator, actor=actor, closed=closed)


def _hand_on(tasks, *, user, coordinator, actor, closed: str):
    """`user`'s `tasks` go to `coordinator`; one the coordinator may not be given, or has
    already, is closed with the reason (`closed`: "%(leaver)s", "%(reason)s"). Returns how
    many went to the coordinator."""
    new_keys = {task.pk: _key_for(task.key, user, coordinator) for task in tasks}
    # The coordinator's own tasks with the keys these would get: one query.
    taken = set(
        Task.objects.filter(key__in=list(new_keys.values())).exclude(pk__in=new_keys).values_list("key", flat=True)
    )
    refusals = task_handover_refusals(coordinator, tasks)  # one query for all their pupils
    now, handed_on, closed_now = timezone.now(), [], []
    for task in tasks:
        reason = refusals.get(task.pk, "")
        if not reason and new_keys[task.pk] in taken:
            reason = _("%(name)s had deze taak al.") % {"name": coordinator.name}
        if reason:
            task.done_at, task.done_by = now, actor
            task.closed_reason = (closed % {"leaver": user.name, "reason": reason})[:300]
            closed_now.append(task)
        else:
            task.assignee, task.key = coordinator, new_keys[task.pk]
            handed_on.append(task)
    # Two updates, not one per task: a leaver can have hundreds. The new keys end with the
    # coordinator's id and none is taken (above), so no row collides with another's key.
    Task.objects.bulk_update(closed_now, ["done_at", "done_by", "closed_reason"], batch_size=500)
    Task.objects.bulk_update(handed_on, ["assignee", "key"], batch_size=500)
    return len(handed_on)


@receiver(coordinator_appointed, dispatch_uid="todo.pick_up")
def pick_up(sender, *, school, actor=None, **kwargs):
    """A new zorgcoördinator takes the open tasks leavers left at the school while it had none,
    and those colleagues who stayed with fewer roles cannot open (their roles were taken
    while it had none): each of those tasks is asked about, once, when someone is appointed."""
    coordinator = concern_access.unreachable_recipients(school).first()  # once for everyone
    waiting = User.objects.filter(pk__in=Task.objects.open().filter(school=school).values("assignee")).order_by("pk")
    for leaver in waiting.filter(concern_access.left_school_q(school)):
        _leavers_tasks_to(coordinator, school=school, user=leaver, actor=actor)
    for colleague in waiting.exclude(concern_access.left_school_q(school)):
        _unopenable_tasks_to(coordinator, school=school, user=colleague, actor=actor)
