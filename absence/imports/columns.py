"""The columns of the absence import, with the header spellings of the LVSs."""

from django.utils.translation import gettext_lazy as _

from imports.columns import Column

COLUMNS = [
    Column(
        "leerlingnummer",
        _("leerlingnummer"),
        required=True,
        aliases=("stamnr", "stamnummer", "leerlingnr", "llnr", "studentnummer"),
    ),
    Column("datum", _("datum"), required=True, aliases=("absentiedatum", "datum absentie")),
    Column(
        "soort",
        _("soort (code)"),
        required=True,
        aliases=("absentiecode", "code", "absentie", "absentiereden", "reden", "absentiesoort", "verzuimsoort"),
    ),
    Column("lesuur", _("lesuur"), aliases=("uur", "lesuurnummer")),
    Column("minuten", _("minuten"), aliases=("aantal minuten",)),
    Column("uren", _("uren"), aliases=("aantal uren",)),
    Column("geoorloofd", _("geoorloofd (ja/nee)"), aliases=("geoorl", "geoorloofd ja nee")),
]
