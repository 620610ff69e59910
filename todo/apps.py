from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodoConfig(AppConfig):
    name = "todo"
    verbose_name = _("Taken")

    def ready(self):
        from . import handover  # noqa: F401  (a leaver's open stored tasks go to the coordinator)
