from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbsenceConfig(AppConfig):
    name = "absence"
    verbose_name = _("Verzuim")

    def ready(self):
        from . import events, imports, panels  # noqa: F401  (timeline event kinds, the LVS import, the file panel)
