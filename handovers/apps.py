from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoversConfig(AppConfig):
    name = "handovers"
    verbose_name = _("Overdrachten")

    def ready(self):
        from . import events, panels  # noqa: F401  (timeline kinds, file panels)
