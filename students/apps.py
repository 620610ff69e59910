from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Leerlingen")

    def ready(self):
        from . import events, imports  # noqa: F401  (timeline event kinds, the LVS import)
