from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Leerlingen")

    def ready(self):
        from . import events  # noqa: F401  (registers the timeline event kinds)
