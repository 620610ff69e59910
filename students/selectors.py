"""Reads of pupil data. Opening a pupil's file goes through `student_for_file`, which
writes the read log; every export goes through `log_read` too."""

from collections import namedtuple
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from carecoord import access
from carecoord.access.sections import Section
from carecoord.kept import kept
from carecoord.requestid import current_page, current_request_id

from .models import Consent, FileAccess, Guardian, PartnerLink, SchoolClass, Student
from .presence import holds

# A pupil on a page read as plain values (a list of rows, not model objects): what `log_read`
# needs of one, its id and its school.
ShownPupil = namedtuple("ShownPupil", "pk school_id")


def log_read(*, user, students, section: str, page: str | None = None) -> None:
    """Append one read-log row per pupil shown (one INSERT for up to 500 pupils).

    `section` is what the person saw ("dossier", "zorgmeldingen", "export"); `page` the page
    kind, by default the URL name of the request being served. A pupil shown twice on one
    page (two agreements, two visits) is one row.
    """
    unique = {student.pk: student.school_id for student in students}
    if not unique:
        return
    FileAccess.objects.append(
        user_id=user.pk,
        section=section,
        page=current_page() if page is None else page,
        accessed_at=timezone.now(),
        request_id=current_request_id(),
        pupils=unique.items(),
    )


# A page that refreshes itself (the coach's board) logs the same pupils again after this long.
def read_log_sections(*, user, school) -> dict[str, list[str]]:
    """The parts in `school`'s read log as `user` may see them: {shown label: [stored parts]}
    (one query). See `access.read_log_section`."""
    stored = FileAccess.objects.filter(school=school).order_by().values_list("section", flat=True).distinct()
    shown: dict[str, list[str]] = {}
    for section in stored:
        shown.setdefault(access.read_log_section(user, school, section), []).append(section)
    return shown


def read_log_label(*, user, school, rows) -> None:
    """Set `shown_section` on each read-log row: its part as `user` may see it."""
    for row in rows:
        row.shown_section = access.read_log_section(user, school, row.section)


REPEAT_LOG_SECONDS = 10 * 60


def log_read_repeated(request, *, key: str, students, section: str, repeated: bool) -> None:
    """`log_read` for a page that redraws itself every few seconds.

    A person opening the page (`repeated` False) is always logged. An automatic redraw is
    logged when it shows a pupil not logged for this page in this session during the last
    REPEAT_LOG_SECONDS, and then for every pupil shown; otherwise it writes nothing. So the
    log answers "who saw which pupil, from when" without a row per pupil every 20 seconds.
    """
    students = list({s.pk: s for s in students}.values())
    now = timezone.now().timestamp()
    remembered = request.session.get("read_log_repeated", {})
    last_ids, last_at = remembered.get(key, ([], 0))
    shown_ids = sorted(s.pk for s in students)
    if repeated and set(shown_ids) <= set(last_ids) and now - last_at < REPEAT_LOG_SECONDS:
        return
    log_read(user=request.user, students=students, section=section)
    remembered[key] = (shown_ids, now)
    request.session["read_log_repeated"] = remembered


def student_for_file(*, user, pk, section: str = "dossier", log: bool = True):
    """The pupil with id `pk` and the sections of their file `user` may see.

    Raises Http404 outside the user's scope (existence does not leak). Writes a read-log
    row for `section` unless `log` is False (for pages that log themselves).
    """
    student, sections = access.file_student(user, Student.objects.select_related("school", "school_class"), pk)
    if not sections:
        raise Http404
    if log:
        log_read(user=user, students=[student], section=section)
    return student, sections


@dataclass
class FileHeader:
    student: Student
    sections: frozenset
    mentors: list
    guardians: list
    consents: list
    links: list


def file_header(*, student: Student, sections) -> FileHeader:
    """What the top of the file shows. At most four queries (fewer for what the pupil has
    none of: students/presence.py)."""
    mentors = list(student.school_class.mentors.all()) if student.school_class_id else []
    guardians = list(Guardian.objects.filter(student=student)) if holds(student, Guardian) else []
    consents = []
    if Section.TOESTEMMING in sections and holds(student, Consent):
        consents = list(
            Consent.objects.filter(student=student)
            .select_related("organisation", "given_by_guardian")
            .order_by("-given_on", "-pk")
        )
    links = []
    if Section.NETWERK in sections and holds(student, PartnerLink):
        links = list(
            PartnerLink.objects.filter(student=student)
            .select_related("organisation", "user")
            .order_by("ended_on", "-linked_on")
        )
    return FileHeader(student, sections, mentors, guardians, consents, links)


def student_list(*, user, school):
    """The pupils `user` may see at `school`, with what a list row shows (one query)."""
    return Student.objects.visible_to(user).filter(school=school).select_related("school_class")


# What a row of the pupil list shows, read as plain values (students/rows.py): the list is
# the page people open most, and 50 pupils with their classes were 100 model objects to build.
LIST_ROW = (
    "pk",
    "school_id",
    "first_name",
    "tussenvoegsel",
    "last_name",
    "student_number",
    "date_of_birth",
    "left_on",
    "support_status",
    "school_class__name",
    "school_class__level",
)


def list_rows(students) -> list:
    """The rows of `students` (a page of `student_list`, filtered and sorted) as named tuples
    with the fields of LIST_ROW; `pk` and `school_id` are what `log_read` needs."""
    return list(students.values_list(*LIST_ROW, named=True))


def student_directory(*, user, school, query: str, limit: int = 10):
    """Active pupils of `school` matching `query`, for picking a pupil (name and class only)."""
    qs = Student.objects.filter(access.directory_q(user), school=school).active().select_related("school_class")
    return search(qs, query).in_dutch_order()[:limit]


def search(qs, query: str):
    """Every word must match a name part or the start of the leerlingnummer."""
    for word in (query or "").split()[:5]:
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(tussenvoegsel__iexact=word)
            | Q(student_number__startswith=word)
        )
    return qs


def class_choices(*, school, user=None):
    """The school's classes for a class filter: the user's own classes (as mentor) first,
    since those are the ones a mentor picks, then the rest by year and name (issue 17)."""
    classes = SchoolClass.objects.filter(school=school)
    if user is None:
        return classes.order_by("year", "name")
    own = SchoolClass.mentors.through.objects.filter(schoolclass_id=OuterRef("pk"), user_id=user.pk)
    return classes.annotate(own=Exists(own)).order_by("-own", "year", "name")


def class_options(*, school, user=None) -> list[tuple[int, str]]:
    """The (id, name) options of a class drop-down, in class_choices' order, kept
    CLASS_OPTIONS_SECONDS per school and user: a region school has 80 classes or more, read on
    every view of the pupil list, the inbox and the absence overview. A new or renamed class
    shows up to a minute late; choosing one is checked against class_choices, not this list."""
    return kept(
        f"class-options:{school.pk}:{user.pk if user else 0}",
        settings.CLASS_OPTIONS_SECONDS,
        lambda: list(class_choices(school=school, user=user).values_list("pk", "name")),
    )


def school_classes(*, school):
    return SchoolClass.objects.filter(school=school).prefetch_related("mentors").order_by("year", "name")
