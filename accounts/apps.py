from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Gebruikers en scholen")

    def ready(self):
        from . import checks, staff_import, twofactor  # noqa: F401  (signal receivers, system checks, the staff import)
