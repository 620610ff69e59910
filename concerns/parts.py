"""Parts of a concern's page that other apps add (e.g. the referrals made for it).

The zorgroute knows nothing of the apps that build on it: the referrals app links a
referral to its concerns and shows them here by registering a function
`(request, concern) -> ConcernPart | None` from its AppConfig.ready. Each function decides
(through carecoord/access/) whether the user may see its part, and makes a fixed number of
queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_PARTS: list[Callable] = []


@dataclass
class ConcernPart:
    template: str  # an include; gets `part` (this object) and `concern` in its context
    context: dict = field(default_factory=dict)


def register_concern_part(fn: Callable) -> Callable:
    _PARTS.append(fn)
    return fn


def concern_parts(request, concern) -> list[ConcernPart]:
    return [part for fn in _PARTS if (part := fn(request, concern)) is not None]
