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
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Q
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
        actor_name=event.actor.name if event.actor_id else "",
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


def timeline_page(*, student, sections, page_number=1, per_page: int = 25, user=None, since=None, until=None):
    """One page of `student`'s timeline, newest first: the given sections, plus what the
    registered visibility rules show `user`; optionally only between `since` and `until`
    (datetimes). Two queries (count and page) whatever the number of events.
    """
    events = timeline_events(student=student, sections=sections, user=user, since=since, until=until)
    page = Paginator(events, per_page).get_page(page_number)
    page.shown = [render(event) for event in page.object_list]
    return page


def timeline_events(*, student, sections, user=None, since=None, until=None):
    """The events of `student` that a reader of `sections` (and `user`) may see, newest first."""
    visible = Q(section__in=list(sections))
    if user is not None:
        for fn in _VISIBILITY:
            extra = fn(user, student, sections)
            if extra is not None:
                visible |= extra
    events = TimelineEvent.objects.filter(visible, student=student).select_related("actor")
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    return events.order_by("-occurred_at", "-pk")
