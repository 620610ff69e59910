from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Dossier")

    def ready(self):
        from . import consent_forms, events, families, panels, sharing  # noqa: F401  (signed consent forms, timeline kinds, file panels, import suggestions, documents sent to the SWV)
