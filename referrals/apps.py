from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Aanmeldingen en voorzieningen")

    def ready(self):
        from . import (
            agenda,  # noqa: F401  (registers the meeting agenda suggestions)
            events,  # noqa: F401  (registers the timeline event kinds)
            panels,  # noqa: F401  (registers the pupil-file panel and the concern-page part)
        )
