"""The pupil's timeline: one ordered list of events from every app.

Mechanism: an event table (TimelineEvent) written by the services that do things, plus
a registry of event kinds that knows how to show each one. An app registers its kinds
in its own `timeline.py` (imported from its AppConfig.ready) and calls `timeline_add`
inside the transaction of its service, so an event exists exactly when the thing
happened. Reading is one indexed query per page, whatever the number of apps.

    register("referrals.placed", Section.TRAJECT, _("Geplaatst in %(facility)s"), icon="door-open",
             url=lambda p: reverse("referrals:placement", args=[p["placement_id"]]))
    timeline_add(student=s, kind="referrals.placed", actor=user, facility=facility.name, placement_id=p.pk)

`params` are a snapshot (names as they were), JSON-serialisable, and hold only what the
event's section may show.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import F, Q
from django.utils import timezone

from carecoord.access.sections import Section

from .models import TimelineEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventKind:
    code: str
    section: str
    message: object  # a lazy translatable string with %(name)s placeholders, or a callable(params)
    icon: str = "dot"
    url: Callable[[dict], str | None] | None = None


KINDS: dict[str, EventKind] = {}


def register(code: str, section: Section | str, message, *, icon: str = "dot", url=None) -> EventKind:
    if code in KINDS:
        raise RuntimeError(f"Timeline kind {code!r} is registered twice")
    KINDS[code] = EventKind(code, str(section), message, icon, url)
    return KINDS[code]


def _params(params: dict) -> dict:
    clean = {}
    for key, value in params.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        clean[key] = value
    return clean


def timeline_add(*, student, kind: str, actor=None, occurred_at: datetime | None = None, **params) -> TimelineEvent:
    """Add one event to `student`'s timeline (call it inside the service's transaction)."""
    event_kind = KINDS[kind]
    return TimelineEvent.objects.create(
        student=student,
        kind=kind,
        section=event_kind.section,
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
        params=_params(params),
    )


def timeline_add_many(events: list[dict], *, batch_size: int = 1000) -> None:
    """Bulk version for imports: each dict has student, kind, actor, occurred_at?, params."""
    now = timezone.now()
    TimelineEvent.objects.bulk_create(
        [
            TimelineEvent(
                student=e["student"],
                kind=e["kind"],
                section=KINDS[e["kind"]].section,
                actor=e.get("actor"),
                occurred_at=e.get("occurred_at") or now,
                params=_params(e.get("params", {})),
            )
            for e in events
        ],
        batch_size=batch_size,
    )


@dataclass(frozen=True)
class ShownEvent:
    """An event as the file shows it."""

    occurred_at: datetime
    actor_name: str
    text: str
    section: str
    icon: str
    url: str | None


def render(event: TimelineEvent) -> ShownEvent:
    """An event of `timeline_events` (which reads its actor's name with it) as shown."""
    kind = KINDS.get(event.kind)
    if kind is None:
        text, icon, url = event.kind, "dot", None
    else:
        try:
            message = kind.message
            text = message(event.params) if callable(message) else str(message) % event.params
        except (KeyError, TypeError, ValueError):
            log.warning("timeline event %s of kind %s could not be shown", event.pk, event.kind)
            text = event.kind
        icon = kind.icon
        url = kind.url(event.params) if kind.url else None
    return ShownEvent(
        occurred_at=event.occurred_at,
        actor_name=event.actor_name or "",
        text=text,
        section=event.section,
        icon=icon,
        url=url,
    )


# Rules that show a reader events outside their sections, e.g. the notes they wrote
# themselves (carecoord/access/records.py): `fn(user, student, sections) -> Q | None`.
_VISIBILITY: list[Callable] = []


def register_visibility(fn: Callable) -> Callable:
    _VISIBILITY.append(fn)
    return fn


@dataclass
class TimelinePage:
    """One page of the timeline as the file shows it; `older_url` / `newer_url` lead to the
    next page either way (None at the end)."""

    shown: list[ShownEvent]
    number: int
    num_pages: int
    older_url: str | None
    newer_url: str | None

    @property
    def has_other_pages(self) -> bool:
        return self.older_url is not None or self.newer_url is not None


# The cursor of a page link: an event's occurred_at in microseconds since 1970 and its id
# ("1732770000123456.42"), so the next page starts right after it (keyset pagination).
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def cursor_of(event: TimelineEvent) -> str:
    delta = event.occurred_at - _EPOCH
    return f"{(delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds}.{event.pk}"


def _parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    try:
        micros, pk = (value or "").split(".")
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


def timeline_page(*, student, sections, before=None, after=None, per_page: int = 25, user=None) -> TimelinePage:
    """One page of `student`'s timeline, newest first: the given sections, plus what the
    registered visibility rules show `user`.

    Keyset pagination: `before` (the "Ouder" link) is the cursor of the last event of the
    page above, `after` (the "Nieuwer" link) that of the first event of the page below; with
    neither, the newest page. One query when the timeline fits on one page, two on the
    newest page of a longer one (the count for "Pagina 1 van 3"), three further on.
    """
    events = timeline_events(student=student, sections=sections, user=user)
    older_than, newer_than = _parse_cursor(before), _parse_cursor(after)
    if newer_than is not None:
        at, pk = newer_than
        rows = list(
            events.filter(Q(occurred_at__gt=at) | Q(occurred_at=at, pk__gt=pk)).order_by("occurred_at", "pk")[
                : per_page + 1
            ]
        )
        has_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        has_older = True
    else:
        if older_than is not None:
            at, pk = older_than
            events_here = events.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, pk__lt=pk))
        else:
            events_here = events
        rows = list(events_here[: per_page + 1])
        has_older = len(rows) > per_page
        rows = rows[:per_page]
        has_newer = older_than is not None
    number = num_pages = 1
    if has_older or has_newer:
        num_pages = max(1, -(-events.count() // per_page))
        if has_newer and rows:
            first = rows[0]
            newer = events.filter(
                Q(occurred_at__gt=first.occurred_at) | Q(occurred_at=first.occurred_at, pk__gt=first.pk)
            ).count()
            number = min(newer // per_page + 1, num_pages)
            has_newer = newer > 0
        has_older = has_older and bool(rows)
    url = student.get_absolute_url()
    newer_url = None
    if has_newer:
        newer_url = f"{url}?{urlencode({'na': cursor_of(rows[0])})}" if number > 2 else url
    return TimelinePage(
        shown=[render(event) for event in rows],
        number=number,
        num_pages=num_pages,
        older_url=f"{url}?{urlencode({'voor': cursor_of(rows[-1])})}" if has_older else None,
        newer_url=newer_url,
    )


def timeline_events(*, student, sections, user=None, since=None, until=None):
    """The events of `student` that a reader of `sections` (and `user`) may see, newest first."""
    visible = Q(section__in=list(sections))
    if user is not None:
        for fn in _VISIBILITY:
            extra = fn(user, student, sections)
            if extra is not None:
                visible |= extra
    # Only the actor's name is shown: read that one column, not a whole user per event.
    events = TimelineEvent.objects.filter(visible, student=student).annotate(actor_name=F("actor__name"))
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    return events.order_by("-occurred_at", "-pk")
