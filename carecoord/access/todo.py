"""Tasks ("Mijn taken"), the home page "Vandaag", mail settings and the scheduler page.

A task list is personal: everyone sees only the tasks given to them. A task about a pupil
shows the pupil only when the user may see that pupil (students_q); a partner never sees a
task about a pupil their consent does not cover (the task is left out, and it disappears
the moment the consent is withdrawn: nothing is cached). Marking a task done is for the one
it was given to; a concern's action also for whoever triages the concern.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from accounts.models import Role

from .core import PARTNER, has_role, permission, roles_at, school_ids_with_role
from .students import students_q

NOTHING = Q(pk__in=[])


def _staff_school_ids(user):
    return school_ids_with_role(user, *Role.values)


def tasks_q(user, *, school=None) -> Q:
    """Q on todo.Task: the user's own tasks; a partner's only when the pupil is theirs to see.
    With `school`: the user's own tasks at that school only."""
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    from students.models import Student

    own = Q(assignee_id=user.pk)
    staff_at = _staff_school_ids(user)
    if school is not None:
        own &= Q(school_id=school.pk)
        if school.pk in staff_at:
            # Staff see every own task at their school already: no pupil clauses ("Mijn
            # taken" is opened often, and their subquery cost more Python than its SQL).
            return own
    return own & (
        Q(school_id__in=staff_at)
        | Q(student__isnull=True)
        | Q(student__in=Student.objects.filter(students_q(user)).values("pk"))
    )


def hides_tasks_without_pupil_access(user, school) -> bool:
    """A partner's list leaves out tasks about pupils they may not see; staff see the task
    (without the pupil's name)."""
    return PARTNER in roles_at(user, school) and not (roles_at(user, school) - {PARTNER})


NOT_AT_SCHOOL = gettext_lazy("Deze persoon werkt niet op deze school.")
PUPIL_NOT_VISIBLE = gettext_lazy("Deze persoon mag deze leerling niet zien.")


def may_receive_task(user, school, student=None) -> tuple[bool, str]:
    """May `user` be given a task at `school` (about `student`)? (yes/no, the reason)."""
    from students.models import Student

    if not roles_at(user, school):
        return False, str(NOT_AT_SCHOOL)
    if student is not None and not Student.objects.filter(students_q(user), pk=student.pk).exists():
        return False, str(PUPIL_NOT_VISIBLE)
    return True, ""


def task_handover_refusals(person, tasks) -> dict[int, str]:
    """Why each of `tasks` may not go to `person`: {task id: reason}, only for those that may
    not. Asked before tasks are handed on (todo/handover.py: a leaver's to the coordinator,
    and of someone with fewer roles which they may still be given): handing a task
    on is giving it, so the rules of giving it hold again: `person` works at the school and
    may see the pupil (may_receive_task), and for a note or a document to read ("Notitie voor
    jou", "Document voor jou") may read that note or document (carecoord/access/records.py
    `flag_refusal`). One query for all the pupils (a list can be hundreds of tasks), one or
    two per note or document."""
    from django.utils.translation import gettext as _

    from records.selectors import flagged_item
    from students.models import Student
    from todo.models import TaskKind

    from .records import flag_refusal

    tasks = list(tasks)
    pupils = {task.student_id for task in tasks if task.student_id}
    seen = (
        set(Student.objects.filter(students_q(person), pk__in=pupils).values_list("pk", flat=True)) if pupils else set()
    )
    refusals = {}
    for task in tasks:
        if not roles_at(person, task.school_id):
            refusals[task.pk] = str(NOT_AT_SCHOOL)
        elif task.student_id and task.student_id not in seen:
            refusals[task.pk] = str(PUPIL_NOT_VISIBLE)
        elif task.kind in (TaskKind.NOTE_FLAG, TaskKind.DOCUMENT_FLAG):
            item = flagged_item(task)
            reason = _("De notitie of het document bestaat niet meer.") if item is None else flag_refusal(person, item)
            if reason:
                refusals[task.pk] = reason
    return refusals


@permission("school.view_tasks")
def _view_tasks(user, school):
    return school is not None and bool(roles_at(user, school))


@permission("task.mark_done")
def _task_mark_done(user, task):
    return task.assignee_id == user.pk


@permission("concern_action.mark_done")
def _concern_action_mark_done(user, action):
    # The person it was given to, or whoever triages the concern (the coordinator).
    from .core import can

    return action.owner_id == user.pk or can(user, "concern.triage", action.concern)


def mas_step_one_q(user) -> Q:
    """Q on AbsenceSignal: the signals whose next MAS step is the mentor's (step 1, "Mentor
    neemt contact op met ouders") for pupils of the user's own classes. The mentor sees the
    step and the hours of unauthorised absence in the last four school weeks it needs, no
    other absence detail (the absence pages stay closed to them)."""
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    return Q(
        next_step=1,
        student__school_class__mentors=user,
        school_id__in=school_ids_with_role(user, Role.MENTOR),
        student__left_on__isnull=True,
    )


def owns_mas_step_one(user, school) -> bool:
    """Only a mentor of the school can own step 1 (`mas_step_one_q`): anyone else's list
    skips that query (no query)."""
    return school is not None and school.pk in school_ids_with_role(user, Role.MENTOR)


def owns_later_mas_steps(user, school) -> bool:
    """MAS steps 2-4 (talk with the coordinator, leerplicht, the report) are for the absence staff."""
    from .absence import ABSENCE_STAFF

    return has_role(user, school, *ABSENCE_STAFF)


def later_mas_step_owners(school):
    from .absence import ABSENCE_STAFF
    from .core import people_with_role

    return people_with_role(school, *ABSENCE_STAFF)


def evaluation_owners(school):
    """Who follows every placement's evaluation besides its coaches: the zorgcoördinatoren."""
    from .core import people_with_role

    return people_with_role(school, Role.ZORGCOORDINATOR)


def no_show_recipients(student) -> list:
    """Who is told of a no-show in the viproom: the pupil's mentor(s) and the school's
    verzuimcoördinatoren (the ones who follow attendance)."""
    from .core import people_with_role

    mentors = list(student.school_class.mentors.filter(is_active=True)) if student.school_class_id else []
    mentors = [m for m in mentors if has_role(m, student.school_id, Role.MENTOR)]
    attendance = list(people_with_role(student.school_id, Role.VERZUIMCOORDINATOR))
    return list({u.pk: u for u in mentors + attendance}.values())


@permission("school.view_schedule")
def _view_schedule(user, school):
    # "Geplande taken": the functioneel beheerder notices a stopped scheduler (no pupil data).
    return school is not None and has_role(user, school, Role.BEHEERDER)


def owns_meldcode_steps(user, school) -> bool:
    """The next step of every open Meldcode case of the school is the aandachtsfunctionaris's
    task (the Meldcode huiselijk geweld en kindermishandeling names them for the case)."""
    return has_role(user, school, Role.AANDACHTSFUNCTIONARIS)


def meldcode_step_owners(school):
    from .core import people_with_role

    return people_with_role(school, Role.AANDACHTSFUNCTIONARIS)
