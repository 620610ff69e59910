from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "concerns"
    verbose_name = _("Zorgroute")

    def ready(self):
        from . import (
            agenda,  # noqa: F401  (registers the meeting agenda suggestion)
            events,  # noqa: F401  (registers the timeline event kinds)
            handover,  # noqa: F401  (a leaver's open work goes to the coordinator)
            panels,  # noqa: F401  (registers the pupil-file panels)
        )
