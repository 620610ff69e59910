"""The parts of a pupil file (dossier). Every access rule opens a set of these; every
timeline event and every panel of the file belongs to one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    ADMINISTRATIE = "administratie", _("Leerlinggegevens")  # name, class, guardians, mentor
    TOESTEMMING = "toestemming", _("Toestemmingen")
    NETWERK = "netwerk", _("Betrokken partners")
    ZORG = "zorg", _("Zorgmeldingen")
    # Referrals hold the question for help: the zorgcoördinator's part (coaches and partners
    # see placements and visits, not the aanmelding that led to them).
    AANMELDING = "aanmelding", _("Aanmeldingen")
    TRAJECT = "traject", _("Plaatsingen en bezoeken")
    OVERLEG = "overleg", _("Overleggen en afspraken")
    VERZUIM = "verzuim", _("Verzuim")
    # Meldcode huiselijk geweld en kindermishandeling: coordinator and aandachtsfunctionaris only.
    MELDCODE = "meldcode", _("Meldcode")


ALL_SECTIONS = frozenset(Section.values)
