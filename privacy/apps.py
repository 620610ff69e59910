from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy (AVG)")

    def ready(self):
        from . import events, kinds, panels  # noqa: F401  (timeline kinds, kinds of record, file panel)
