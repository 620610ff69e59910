from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CicoConfig(AppConfig):
    name = "cico"
    verbose_name = _("Puntenkaart (in- en uitchecken)")
