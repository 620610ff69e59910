from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Leerlingen")

    def ready(self):
        from . import events, imports, presence  # noqa: F401  (timeline event kinds, the LVS import)
        from .models import Consent, Guardian, PartnerLink

        # The file's header (selectors.file_header) skips what the pupil has none of.
        for model in (Guardian, Consent, PartnerLink):
            presence.track(model)
