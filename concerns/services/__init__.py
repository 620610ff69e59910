"""Writes of the zorgroute, one module per topic: categories and routing, raising a concern,
triage, the Meldcode steps and the e-mail to handler and raiser. Each service owns its
transaction, checks the rules itself (not only the form), writes the pupil's timeline
event in that transaction and queues e-mail after commit. Everything public is
re-exported here: callers use `concerns.services.X`."""

from .categories import category_save, concern_route
from .common import concern_event_kind
from .meldcode import meldcode_step_record
from .notify import concern_notify, concern_recipients
from .raising import concern_submit
from .triage import concern_action_add, concern_action_done, concern_assign, concern_classify, concern_close

__all__ = [
    "category_save",
    "concern_action_add",
    "concern_action_done",
    "concern_assign",
    "concern_classify",
    "concern_close",
    "concern_event_kind",
    "concern_notify",
    "concern_recipients",
    "concern_route",
    "concern_submit",
    "meldcode_step_record",
]
