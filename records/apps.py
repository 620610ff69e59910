from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Dossier")

    def ready(self):
        from . import events, families, panels  # noqa: F401  (timeline kinds, file panels, import suggestions)
