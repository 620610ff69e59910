"""Parts of the pupil file that other apps add (a referral's plan, absence, meetings).

An app registers a function `(request, student, sections) -> Panel | list[Panel] | None`
from its AppConfig.ready; the file shows the panels whose section the user may see. Each
panel function must make a fixed number of queries (the file's query count stays flat); an
app with two panels read from the same table returns both from one function, one query.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_PANELS: list[Callable] = []


@dataclass
class Panel:
    title: str
    template: str  # an include; gets `panel` (this object) and `student` in its context
    section: str
    context: dict = field(default_factory=dict)
    order: int = 50


def register_panel(fn: Callable) -> Callable:
    _PANELS.append(fn)
    return fn


def panels_for(request, student, sections) -> list[Panel]:
    panels = []
    for fn in _PANELS:
        found = fn(request, student, sections)
        for panel in found if isinstance(found, list) else [found]:
            if panel is not None and panel.section in sections:
                panels.append(panel)
    return sorted(panels, key=lambda p: p.order)
