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


class RecordSection(models.TextChoices):
    """The sections a journal note or a document can be in: those of the file, plus
    *vertrouwelijk*, which only its author and the zorgcoördinator read (carecoord/access/records.py)."""

    ADMINISTRATIE = Section.ADMINISTRATIE.value, Section.ADMINISTRATIE.label
    TOESTEMMING = Section.TOESTEMMING.value, Section.TOESTEMMING.label
    NETWERK = Section.NETWERK.value, Section.NETWERK.label
    ZORG = Section.ZORG.value, Section.ZORG.label
    AANMELDING = Section.AANMELDING.value, Section.AANMELDING.label
    TRAJECT = Section.TRAJECT.value, Section.TRAJECT.label
    OVERLEG = Section.OVERLEG.value, Section.OVERLEG.label
    VERZUIM = Section.VERZUIM.value, Section.VERZUIM.label
    MELDCODE = Section.MELDCODE.value, Section.MELDCODE.label
    VERTROUWELIJK = "vertrouwelijk", _("Vertrouwelijk (alleen de auteur en de zorgcoördinator)")
