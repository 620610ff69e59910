from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Zorgroute en voorzieningen")

    def ready(self):
        # Register the timeline event kinds and the pupil-file panels.
        from . import events, panels  # noqa: F401
