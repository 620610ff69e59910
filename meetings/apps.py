from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Overleggen")

    def ready(self):
        from . import events, handover, panels, suggestions  # noqa: F401  (timeline kinds, a leaver's agreements, file panel, agenda suggestions)
