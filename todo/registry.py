"""Where tasks and the blocks of "Vandaag" come from: a registry each app fills.

An app that hands out work registers a *source* in its own `tasklist.py` (concerns: actions
and triage; meetings: agreements; referrals: evaluations; absence: MAS steps; this app: its
stored tasks). The todo app never imports those apps: it imports their `tasklist` module by
name (the list of apps is the shell's, `carecoord.navigation.APPS`), like the menu does.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module, util


@dataclass
class TaskItem:
    """One line of "Mijn taken", whatever its source."""

    source: str  # the source's name: part of the key, and which service marks it done
    pk: int
    title: str
    due_on: date | None
    url: str = ""
    student_id: int | None = None  # the pupil the task is about
    student: object = None  # loaded for the page shown, only when the user may see the pupil
    origin: str = ""  # where it came from ("Zorgmelding", "Overleg 12-03-2026")
    can_mark_done: bool = False
    extra: dict = field(default_factory=dict)
    # Set for the rows shown only (selectors.prepare_rows), written out by todo/rows.py.
    state: str = ""
    done_url: str = ""

    @property
    def key(self) -> str:
        return f"{self.source}-{self.pk}"

    def status(self, today: date) -> str:
        """'overdue' (red), 'soon' (amber: within this week) or ''."""
        if self.due_on is None:
            return ""
        if self.due_on < today:
            return "overdue"
        if self.due_on <= today + timedelta(days=6 - today.weekday()):
            return "soon"
        return ""


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    # (user, school, today) -> [TaskItem]: the user's open tasks at the school.
    items: Callable
    # (user, pk) -> None: marks one done. Fetches through the scoped queryset (Http404),
    # asks access.can (PermissionDenied), calls the app's service. None: done elsewhere.
    mark_done: Callable | None = None
    # (school_ids, until) -> {user_id: [overdue, due_today]}: bulk counts for the digest.
    counts: Callable | None = None


@dataclass(frozen=True)
class TodayBlock:
    slug: str
    title: str
    order: int
    # (request) -> dict | None: the block's context, or None when the user does not get it.
    context: Callable
    template: str


_SOURCES: dict[str, Source] = {}
_BLOCKS: dict[str, TodayBlock] = {}
_loaded = False


def register_source(source: Source) -> Source:
    if source.name in _SOURCES:
        raise RuntimeError(f"Task source {source.name!r} is registered twice")
    _SOURCES[source.name] = source
    return source


def register_block(block: TodayBlock) -> TodayBlock:
    if block.slug in _BLOCKS:
        raise RuntimeError(f"Today block {block.slug!r} is registered twice")
    _BLOCKS[block.slug] = block
    return block


def _load():
    global _loaded
    if _loaded:
        return
    from carecoord.navigation import APPS

    for app in dict.fromkeys([*APPS, "todo"]):
        if util.find_spec(f"{app}.tasklist") is not None:
            import_module(f"{app}.tasklist")
    _loaded = True


def sources() -> list[Source]:
    _load()
    return list(_SOURCES.values())


def source(name: str) -> Source | None:
    _load()
    return _SOURCES.get(name)


def blocks() -> list[TodayBlock]:
    _load()
    return sorted(_BLOCKS.values(), key=lambda b: b.order)


def block(slug: str) -> TodayBlock | None:
    _load()
    return _BLOCKS.get(slug)
