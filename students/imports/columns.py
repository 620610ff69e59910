"""The columns of the pupil import, with the header spellings of the LVSs."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from imports.columns import Column

GUARDIAN_FIELDS = ["naam", "relatie", "telefoon", "email", "gezag"]
GUARDIAN_LABELS = {
    "naam": _("naam"),
    "relatie": _("relatie"),
    "telefoon": _("telefoon"),
    "email": _("e-mailadres"),
    "gezag": _("gezag (ja/nee)"),
}

COLUMNS = [
    Column(
        "leerlingnummer",
        _("leerlingnummer"),
        required=True,
        aliases=("stamnr", "stamnummer", "leerlingnr", "llnr", "lln nr", "studentnummer"),
    ),
    Column("voornaam", _("voornaam (roepnaam)"), required=True, aliases=("roepnaam",)),
    Column("tussenvoegsel", _("tussenvoegsel"), aliases=("tussenv", "voorvoegsel", "voorv", "tussenvoegsels")),
    Column("achternaam", _("achternaam"), required=True, aliases=("geslachtsnaam",)),
    Column("geboortedatum", _("geboortedatum"), required=True, aliases=("geb.datum", "geb datum", "geboren op")),
    Column("klas", _("klas"), required=True, aliases=("stamgroep", "stamklas", "groep", "basisgroep")),
    Column("niveau", _("niveau"), aliases=("onderwijssoort",)),
    Column("leerjaar", _("leerjaar"), aliases=("jaargroep", "jaarlaag")),
    *(
        Column(
            f"ouder{n}_{name}",
            format_lazy("{} {}: {}", _("ouder/verzorger"), n, GUARDIAN_LABELS[name]),
            aliases=(f"ouder {n} {name}", f"verzorger{n}_{name}"),
        )
        for n in (1, 2)
        for name in GUARDIAN_FIELDS
    ),
]
