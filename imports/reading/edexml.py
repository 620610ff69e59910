"""Edexml: the Dutch standard XML for exchanging pupil data (Edustandaard), as Magister,
SOMtoday and ParnasSys export it. Named steps: parse (safely: no entities, no network),
plain names (namespaces removed), validate (against edexml.xsd: a reduced schema for what we
read, see its header), table (one line per leerling, our column names as the header)."""

from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from . import ImportFileError, Table

SCHEMA_PATH = Path(__file__).with_name("edexml.xsd")
HEADER = ["leerlingnummer", "voornaam", "tussenvoegsel", "achternaam", "geboortedatum", "klas"]
_schema = None


def schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    return _schema


def parse(data: bytes):
    # An uploaded file: no entity expansion, no DTD, no network (XXE, billion laughs).
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportFileError(
            _("Dit XML-bestand is beschadigd of onvolledig (%(error)s). Maak de Edexml-export opnieuw in het LVS.")
            % {"error": exc.msg}
        ) from exc
    if root.getroottree().docinfo.doctype:
        # An Edexml export has no DOCTYPE; one with entities is refused, not expanded.
        raise ImportFileError(
            _("Dit XML-bestand bevat een DOCTYPE; een Edexml-export heeft dat niet. Maak de export opnieuw in het LVS.")
        )
    return root


def plain_names(root) -> None:
    """Remove namespaces (EDEX files come with and without one)."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(root)


def validate(root) -> None:
    if root.tag != "EDEX":
        raise ImportFileError(
            _("Dit XML-bestand is geen Edexml-export (het begint met <%(tag)s>, niet met <EDEX>).") % {"tag": root.tag}
        )
    checker = schema()
    try:
        valid = checker.validate(root)
    except etree.XMLSchemaValidateError as exc:
        raise ImportFileError(
            _("Dit Edexml-bestand kunnen we niet controleren. Maak de export opnieuw in het LVS.")
        ) from exc
    if not valid:
        problems = "; ".join(
            _("regel %(line)s: %(message)s") % {"line": error.line, "message": error.message}
            for error in list(checker.error_log)[:3]
        )
        raise ImportFileError(
            _(
                "Dit Edexml-bestand voldoet niet aan het Edexml-schema (%(problems)s). Er is niets ingelezen. "
                "Maak de export opnieuw in het LVS, of lees een CSV- of Excel-export in."
            )
            % {"problems": problems}
        )


def _text(element, name: str) -> str:
    found = element.find(name)
    return (found.text or "").strip() if found is not None else ""


def read(data: bytes) -> Table:
    root = parse(data)
    plain_names(root)
    validate(root)
    groups = {g.get("key"): _text(g, "naam") for g in root.iterfind("groepen/groep")}
    rows = []
    for pupil in root.iterfind("leerlingen/leerling"):
        group = pupil.find("groep")
        first = _text(pupil, "roepnaam") or _text(pupil, "voornamen").split(" ")[0]
        rows.append(
            (
                pupil.sourceline,
                [
                    pupil.get("key", "").strip(),
                    first,
                    _text(pupil, "voorvoegsel"),
                    _text(pupil, "achternaam"),
                    _text(pupil, "geboortedatum"),
                    groups.get(group.get("key"), "") if group is not None else "",
                ],
            )
        )
    school = root.find("school")
    meta = {"brin": _text(school, "brincode").upper(), "lvs": _text(school, "auteur")}
    source = _("Edexml (%(lvs)s, BRIN %(brin)s)") % meta if meta["lvs"] else _("Edexml")
    return Table(list(HEADER), rows, source, header_line=1, format="edexml", meta=meta)
