from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Ouderportaal")

    def ready(self):
        from . import events, panels  # noqa: F401  (timeline kinds, the pupil file's panel)
