"""Reads of the task list: every source's open tasks for one user at one school."""

from collections import namedtuple
from datetime import date

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils import timezone

from carecoord.access.todo import hides_tasks_without_pupil_access
from carecoord.addresses import row_address
from students.models import Student, full_name

from .registry import TaskItem, sources

MENU_COUNT_SECONDS = 60


class NamedPupil(namedtuple("NamedPupil", "pk school_id first_name tussenvoegsel last_name school_class")):
    """The pupil of a task, read as plain values: what a row shows (todo/rows.py: the name
    and the class's name, None without a class) and what the read log needs (`log_read`:
    the id and the school)."""

    __slots__ = ()

    @property
    def full_name(self):
        return full_name(self.first_name, self.tussenvoegsel, self.last_name)


def task_list(*, user, school, today: date | None = None, due_until: date | None = None) -> list[TaskItem]:
    """The user's open tasks at `school`, overdue first, then by due date (no date last).

    One query or two per source, plus one for the pupils, whatever the number of tasks.
    A pupil the user may not see is not named (staff) or the task is left out (partners:
    consent decides, and a withdrawn consent counts at once); a pupil they may see comes
    as a `NamedPupil` (`student`). `due_until`: only tasks due on or before that day (the
    home page: overdue and today)."""
    today = today or timezone.localdate()
    return name_pupils(_open_tasks(user, school, today, due_until), user=user, school=school)


def task_page(*, user, school, today: date, number, per_page: int) -> Page:
    """One page of `task_list` ("Mijn taken"); `page.paginator.count` is the number of tasks.

    Staff see every task whatever its pupil (one they may not see is only not named), so
    only the pupils of the page are asked about: a list of hundreds of tasks asked about
    every pupil on it, and each id in the query costs Python to prepare. For a partner the
    pupils decide which tasks are on the list: all of them are asked about first."""
    tasks = _open_tasks(user, school, today, None)
    if hides_tasks_without_pupil_access(user, school):
        return Paginator(name_pupils(tasks, user=user, school=school), per_page).get_page(number)
    page = Paginator(tasks, per_page).get_page(number)
    page.object_list = name_pupils(page.object_list, user=user, school=school)  # staff: none left out
    return page


def _open_tasks(user, school, today: date, due_until: date | None) -> list[TaskItem]:
    """Every source's open tasks of the user at `school`, in the order of the list, before
    the pupils are asked about (`name_pupils`)."""
    items: list[TaskItem] = []
    for source in sources():
        items.extend(source.items(user, school, today))
    if due_until is not None:
        items = [i for i in items if i.due_on is not None and i.due_on <= due_until]
    for item in items:
        # A source may hand the pupil itself (student=) instead of its id: same rule.
        if item.student is not None and item.student_id is None:
            item.student_id = item.student.pk
    items.sort(key=lambda i: (i.due_on is None, i.due_on or today, i.source, i.pk))
    return items


def name_pupils(items: list[TaskItem], *, user, school) -> list[TaskItem]:
    """`items` as the user may see them, in the same order: a task about a pupil the user
    may not see loses the pupil (staff) or is left out (partners); a pupil they may see is
    set as a `NamedPupil` (`student`), unless the source handed the pupil itself. One query."""
    student_ids = {i.student_id for i in items if i.student_id is not None}
    visible = {}
    if student_ids:
        # The query that asks which pupils the user may see also reads what a row shows of
        # them: no second query of whole Student and SchoolClass objects for the page (most
        # of the rows' Python at region scale, docs/performance.md).
        rows = (
            Student.objects.visible_to(user)
            .filter(pk__in=student_ids)
            .order_by()
            .values_list("pk", "school_id", "first_name", "tussenvoegsel", "last_name", "school_class__name")
        )
        visible = {row[0]: NamedPupil._make(row) for row in rows}
    hide = hides_tasks_without_pupil_access(user, school)
    shown = []
    for item in items:
        if item.student_id is not None:
            pupil = visible.get(item.student_id)
            if pupil is None:
                if hide:
                    continue
                item.student_id, item.student = None, None
            elif item.student is None:
                item.student = pupil
        shown.append(item)
    return shown


def prepare_rows(items, today: date) -> None:
    """Everything a row of the table shows, computed here once per row shown: the colour
    ('overdue', 'soon') and the "Gedaan" address (the pupil came with `task_list`).
    todo/rows.py then writes the rows from these values (a template include, filter and
    `{% url %}` per row were most of the page's time at 500 tasks). The "Gedaan" address is
    reversed once per source, not once per row (`row_address`)."""
    done_address = {}
    for item in items:
        item.state = item.status(today)
        if item.can_mark_done:
            address = done_address.get(item.source)
            if address is None:
                address = done_address[item.source] = row_address("todo:done", item.source)
            item.done_url = address(item.pk)


def _menu_key(user, school) -> str:
    return f"todo:menu:{user.pk}:{school.pk}"


def menu_count(*, user, school) -> int:
    """Open tasks due today or earlier, for the menu (kept a minute: every page shows it)."""
    key = _menu_key(user, school)
    count = cache.get(key)
    if count is None:
        today = timezone.localdate()
        count = len(task_list(user=user, school=school, today=today, due_until=today))
        cache.set(key, count, MENU_COUNT_SECONDS)
    return count


def menu_count_forget(*, user, school) -> None:
    cache.delete(_menu_key(user, school))
