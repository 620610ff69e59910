"""Reads of the zorgroute: the inbox, "Mijn meldingen", a concern's page, the figures and
the pupil file's panels. Each selector makes a fixed number of queries, whatever the
number of concerns."""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from students.models import Student
from students.selectors import ShownPupil

from .filters import OPEN
from .models import Concern, ConcernAction, ConcernCategory, ConcernStatus, MeldcodeStep

# What an inbox or list row shows, in the same query as the rows.
ROW_RELATED = ["student", "student__school_class", "category", "raised_by", "handler", "handler_organisation"]


def concern_inbox(*, user, school):
    """Concerns the user handles at `school`: the inbox's queryset, to filter and order
    (concerns.filters.ConcernFilter); `inbox_rows` then reads what a row shows."""
    return Concern.objects.handled_by(user).filter(school=school)


def _name_of(model, field):
    return Subquery(model.objects.filter(pk=OuterRef(field)).values("name")[:1])


def inbox_rows(concerns):
    """What an inbox row shows (concerns.rows), for the filtered and ordered `concerns`:
    plain values, one query per page whatever the number of concerns.

    The names of the category, the raiser, the handler and the partner organisation are
    scalar subqueries on primary keys, not joins: with six joins PostgreSQL spent 4-10 ms
    *planning* the query (exhaustive join order search) against 0.5 ms running it; now
    0.4 ms planning (docs/performance.md). The number of open actions is a subquery too: it
    runs for the rows of the page only, and the paginator's count leaves it out."""
    from accounts.models import Organisation, User

    return concerns.annotate(
        category_name=_name_of(ConcernCategory, "category_id"),
        raised_by_name=_name_of(User, "raised_by_id"),
        handler_name=_name_of(User, "handler_id"),
        organisation_name=_name_of(Organisation, "handler_organisation_id"),
        open_actions=Subquery(
            ConcernAction.objects.filter(concern=OuterRef("pk"), done_at__isnull=True)
            .order_by()
            .values("concern")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
    ).values(
        "pk",
        "student_id",
        "student__school_id",
        "student__first_name",
        "student__tussenvoegsel",
        "student__last_name",
        "student__school_class__name",
        "is_meldcode",
        "home_situation",
        "urgency",
        "status",
        "created_at",
        "handler_id",
        "handler_organisation_id",
        "handler_role",
        "category_name",
        "raised_by_name",
        "handler_name",
        "organisation_name",
        "open_actions",
    )


def inbox_page(concerns, number, per_page, row_count=None):
    """Page `number` of the filtered and ordered `concerns`, its rows read by `inbox_rows`.
    The paginator counts `concerns` itself (counting the rows' values would join the pupil
    and the class for nothing), unless `row_count` (`inbox_row_count`) says how many there are."""
    paginator = Paginator(concerns, per_page)
    if row_count is not None:
        paginator.count = row_count  # Paginator.count is a cached property: this is its value
    page = paginator.get_page(number)
    page.object_list = inbox_rows(page.object_list)
    return page


def shown_pupils(rows) -> list:
    """The pupils of a page of `inbox_rows`, for the read log."""
    return [ShownPupil(row["student_id"], row["student__school_id"]) for row in rows]


def concern_mine(*, user, school):
    """What `user` raised at `school`, newest first (status and feedback; one query)."""
    return (
        Concern.objects.filter(raised_by=user, school=school)
        .select_related("student", "student__school_class", "category")
        .order_by("-created_at", "-pk")
    )


def concern_for_page(*, user, pk):
    """The concern with id `pk` if `user` may open it (else None), with what its page shows."""
    return Concern.objects.visible_to(user).select_related(*ROW_RELATED, "closed_by", "school").filter(pk=pk).first()


def concern_actions(*, concern):
    return list(ConcernAction.objects.filter(concern=concern).select_related("owner", "done_by"))


def meldcode_steps(*, concern):
    return list(MeldcodeStep.objects.filter(concern=concern).select_related("recorded_by"))


def school_categories(*, school, active_only=True):
    qs = ConcernCategory.objects.filter(school=school).select_related("handler_user", "handler_organisation")
    return qs.filter(is_active=True) if active_only else qs


def school_year_start(today: date) -> date:
    # Dutch school years start in August (the summer holiday ends mid/late August).
    return date(today.year if today.month >= 8 else today.year - 1, 8, 1)


@dataclass
class CategoryFigure:
    name: str
    count: int
    home: int
    meldcode: bool

    @property
    def home_share(self) -> int | None:
        return round(100 * self.home / self.count) if self.count else None


@dataclass
class GroupFigure:
    label: str
    count: int


@dataclass
class ConcernFigures:
    start: date
    end: date
    total: int = 0
    home: int = 0
    open_now: int = 0
    open_over_two_weeks: int = 0  # still open, raised more than 14 days ago
    took_over_two_weeks: int = 0  # closed more than 14 days after it was raised
    without_action: int = 0
    median_first_action: timedelta | None = None
    per_category: list = field(default_factory=list)
    per_year: list = field(default_factory=list)
    per_class: list = field(default_factory=list)

    @property
    def home_share(self) -> int | None:
        return round(100 * self.home / self.total) if self.total else None

    @property
    def median_first_action_days(self) -> float | None:
        if self.median_first_action is None:
            return None
        return round(self.median_first_action.total_seconds() / 86400, 1)


def concern_figures(*, school, start: date, end: date, now=None) -> ConcernFigures:
    """The zorgroute in figures for concerns raised from `start` to `end` (inclusive).

    Four queries whatever the number of concerns. No names: school leaders see this too.
    """
    now = now or timezone.now()
    two_weeks = timedelta(days=14)
    # Whole days in the school's time zone, as bounds the (school, created_at) index can use.
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    concerns = Concern.objects.filter(school=school, created_at__gte=since, created_at__lt=until)
    totals = concerns.aggregate(
        total=Count("pk"),
        home=Count("pk", filter=Q(home_situation=True)),
        open_now=Count("pk", filter=~Q(status=ConcernStatus.CLOSED)),
        open_over_two_weeks=Count("pk", filter=~Q(status=ConcernStatus.CLOSED) & Q(created_at__lt=now - two_weeks)),
        took_over_two_weeks=Count("pk", filter=Q(closed_at__gt=F("created_at") + two_weeks)),
        without_action=Count("pk", filter=Q(first_action_at__isnull=True)),
    )
    figures = ConcernFigures(start=start, end=end, **totals)

    in_period = Q(concerns__created_at__gte=since, concerns__created_at__lt=until)
    categories = (
        ConcernCategory.objects.filter(school=school)
        .annotate(
            n=Count("concerns", filter=in_period),
            home=Count("concerns", filter=in_period & Q(concerns__home_situation=True)),
        )
        .order_by("position", "name")
    )
    figures.per_category = [
        CategoryFigure(c.name, c.n, c.home, c.follows_meldcode) for c in categories if c.n or c.is_active
    ]

    waits = [
        first - raised
        for raised, first in concerns.filter(first_action_at__isnull=False).values_list("created_at", "first_action_at")
    ]
    if waits:
        figures.median_first_action = statistics.median(waits)

    years: dict = {}
    for year, name, n in (
        concerns.values_list("student__school_class__year", "student__school_class__name")
        .annotate(n=Count("pk"))
        .order_by("student__school_class__year", "student__school_class__name")
    ):
        figures.per_class.append(GroupFigure(name or "—", n))
        years[year] = years.get(year, 0) + n
    figures.per_year = [GroupFigure(str(year) if year else "—", n) for year, n in years.items()]
    return figures


@dataclass
class SuppressedCategory:
    name: str
    count: object  # Cell
    home_share: object  # Cell (a percentage)
    meldcode: bool


@dataclass
class SuppressedConcernFigures:
    """The figures for a reader who may not see the concerns themselves (the school leader):
    every count a `carecoord.suppression.Cell`, under 5 shown as "< 5" (a "Meldcode 1" names a
    pupil to anyone who knows the school)."""

    start: date
    end: date
    total: object
    home: object
    home_share: object
    open_now: object
    open_over_two_weeks: object
    took_over_two_weeks: object
    without_action: object
    median_first_action_days: object
    per_category: list
    per_year: list
    per_class: list
    suppressed: bool = True


def suppress_figures(figures: ConcernFigures) -> SuppressedConcernFigures:
    from carecoord import suppression as s

    categories, _total = s.group([c.count for c in figures.per_category])
    years, _total = s.group([g.count for g in figures.per_year])
    classes, _total = s.group([g.count for g in figures.per_class])
    acted = figures.total - figures.without_action
    median = s.HIDDEN if s.is_small(acted) else s.Cell(figures.median_first_action_days, unit=" d", decimals=1)
    return SuppressedConcernFigures(
        start=figures.start,
        end=figures.end,
        total=s.count(figures.total),
        home=s.count(figures.home),
        home_share=s.percentage(figures.home, figures.total),
        open_now=s.count(figures.open_now),
        open_over_two_weeks=s.count(figures.open_over_two_weeks),
        took_over_two_weeks=s.count(figures.took_over_two_weeks),
        without_action=s.count(figures.without_action),
        median_first_action_days=median,
        per_category=[
            SuppressedCategory(c.name, cell, s.percentage(c.home, c.count), c.meldcode)
            for c, cell in zip(figures.per_category, categories, strict=True)
        ],
        per_year=[GroupFigure(g.label, cell) for g, cell in zip(figures.per_year, years, strict=True)],
        per_class=[GroupFigure(g.label, cell) for g, cell in zip(figures.per_class, classes, strict=True)],
    )


def concerns_of_student(*, student, meldcode: bool):
    """The concerns about one pupil for the file's panel (one query)."""
    return list(
        Concern.objects.filter(student=student, is_meldcode=meldcode)
        .select_related("category", "raised_by", "handler", "handler_organisation")
        .order_by("-created_at")[:20]
    )


def inbox_counts(concerns) -> dict:
    """The figures on the inbox's quick switch: of `concerns` (`concern_inbox`: what the user
    handles here), the open ones and how many of them are still new (nobody picked them up
    yet). One query."""
    return concerns.open().aggregate(open=Count("pk"), new=Count("pk", filter=Q(status=ConcernStatus.NEW)))


def inbox_row_count(counts: dict, status_alone) -> int | None:
    """How many concerns the inbox lists when the status is its only filter: the figures of
    `inbox_counts` (open, new) say it, and the paginator need not count again. None when
    another filter or status is chosen."""
    return {OPEN: counts["open"], ConcernStatus.NEW: counts["new"]}.get(status_alone)


def open_handled_count(*, user, school) -> int:
    return Concern.objects.handled_by(user).filter(school=school).open().count()


def pickable_student(*, user, school, pk):
    """The active pupil `pk` of `school` if `user` may pick them (name and class only)."""
    from carecoord import access

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        Student.objects.filter(access.directory_q(user), school=school, pk=pk)
        .active()
        .select_related("school_class")
        .first()
    )
