from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Groeidocument en samenwerkingsverband")

    def ready(self):
        from . import events, panels, tasks  # noqa: F401  (timeline kinds, the file panel, the six-week sweep)
