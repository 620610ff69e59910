"""The row rules of the pupil import, one named step each. A step reads the line's cells,
stores what it found in `line.values` and reports what is wrong with `line.problem`."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import GuardianRelation, SchoolClass
from .matching import without_zeros

YES = {"ja", "j", "1", "true", "waar", "yes", "y", "x"}
NO = {"nee", "n", "0", "false", "onwaar", "no"}
LEVEL_ALIASES = {
    "mavo": "vmbo-t",
    "vmbo-tl": "vmbo-t",
    "vmbo-gl": "vmbo-g",
    "vmbo-kb": "vmbo-k",
    "vmbo-bb": "vmbo-b",
    "praktijkonderwijs": "pro",
}


@dataclass
class Row:
    line: int
    student_number: str
    first_name: str
    tussenvoegsel: str
    last_name: str
    date_of_birth: date
    school_class: SchoolClass
    guardians: list[dict] = field(default_factory=list)  # each with "import_position"


@dataclass
class Context:
    """What the steps look up: the school's classes (one query), today, the numbers seen."""

    classes: dict
    today: date
    seen: dict = field(default_factory=dict)  # leerlingnummer -> first line it is on

    @classmethod
    def for_school(cls, school):
        classes = {c.name.strip().lower(): c for c in SchoolClass.objects.filter(school=school)}
        return cls(classes, timezone.localdate())


def parse_date(value: str) -> date:
    value = value.strip()
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError


def student_number(line, context: Context) -> None:
    """Present, at most 20 characters, once in the file."""
    number = line.get("leerlingnummer")
    line.values["student_number"] = number
    if not number:
        line.problem(_("leerlingnummer ontbreekt"))
    elif len(number) > 20:
        line.problem(_("leerlingnummer is langer dan 20 tekens"))
    elif without_zeros(number) in context.seen:
        line.problem(
            _("leerlingnummer %(n)s staat ook op regel %(line)s")
            % {"n": number, "line": context.seen[without_zeros(number)]}
        )
    else:
        # 0012345 and 12345 are one pupil (Excel drops leading zeros).
        context.seen[without_zeros(number)] = line.number


def names(line, context: Context) -> None:
    """First and last name present; every part fits its field."""
    first, tussen, last = line.get("voornaam"), line.get("tussenvoegsel"), line.get("achternaam")
    line.values.update(first_name=first, tussenvoegsel=tussen, last_name=last)
    if not first:
        line.problem(_("voornaam ontbreekt"))
    if not last:
        line.problem(_("achternaam ontbreekt"))
    if len(first) > 100 or len(last) > 100 or len(tussen) > 20:
        line.problem(_("een naam is te lang"))


def date_of_birth(line, context: Context) -> None:
    """An existing date, dd-mm-jjjj (or d/m/jjjj, jjjj-mm-dd), plausible for a pupil (3 to 30)."""
    raw = line.get("geboortedatum")
    try:
        born = parse_date(raw)
    except ValueError:
        line.problem(
            _("geboortedatum '%(value)s' is geen bestaande datum (verwacht dd-mm-jjjj)") % {"value": raw}
            if raw
            else _("geboortedatum ontbreekt")
        )
        return
    age = context.today.year - born.year
    if born > context.today or age > 30 or age < 3:
        line.problem(_("geboortedatum %(value)s kan niet kloppen voor een leerling") % {"value": raw})
    line.values["date_of_birth"] = born


def school_class(line, context: Context) -> None:
    """The class exists at the school; niveau and leerjaar, when filled, match it."""
    name = line.get("klas")
    found = context.classes.get(name.lower())
    if not name:
        line.problem(_("klas ontbreekt"))
        return
    if found is None:
        line.problem(
            _("klas '%(name)s' bestaat niet op deze school (maak hem eerst aan onder Beheer, Klassen)") % {"name": name}
        )
        return
    line.values["school_class"] = found
    level = line.get("niveau").lower()
    level = LEVEL_ALIASES.get(level, level)
    if level and level != found.level:
        line.problem(
            _("niveau '%(level)s' past niet bij klas %(klas)s (%(expected)s)")
            % {"level": line.get("niveau"), "klas": found.name, "expected": found.get_level_display()}
        )
    year = line.get("leerjaar")
    if year and year != str(found.year):
        line.problem(
            _("leerjaar '%(year)s' past niet bij klas %(klas)s (leerjaar %(expected)s)")
            % {"year": year, "klas": found.name, "expected": found.year}
        )


def guardians(line, context: Context) -> None:
    """Up to two guardians (ouder1_…, ouder2_…): a known relation, a valid e-mail address,
    gezag ja or nee (empty: ja)."""
    found = []
    for n in (1, 2):
        guardian = _guardian(line, n)
        if guardian:
            found.append(guardian)
    line.values["guardians"] = found


def _guardian(line, n):
    name = line.get(f"ouder{n}_naam")
    if not name:
        return None
    relation = line.get(f"ouder{n}_relatie").lower() or GuardianRelation.OUDER
    if relation not in GuardianRelation.values:
        line.problem(
            _("ouder%(n)s_relatie '%(value)s' is onbekend (kies uit: %(choices)s)")
            % {"n": n, "value": relation, "choices": ", ".join(GuardianRelation.values)}
        )
    email = line.get(f"ouder{n}_email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            line.problem(_("ouder%(n)s_email '%(value)s' is geen e-mailadres") % {"n": n, "value": email})
    authority = line.get(f"ouder{n}_gezag").lower()
    if authority and authority not in YES | NO:
        line.problem(_("ouder%(n)s_gezag '%(value)s': vul ja of nee in") % {"n": n, "value": authority})
    if len(name) > 200 or len(line.get(f"ouder{n}_telefoon")) > 30:
        line.problem(_("gegevens van ouder%(n)s zijn te lang") % {"n": n})
    return {
        "import_position": n,
        "name": name,
        "relation": relation,
        "phone": line.get(f"ouder{n}_telefoon"),
        "email": email,
        "has_authority": authority not in NO,
    }


STEPS = [student_number, names, date_of_birth, school_class, guardians]


def row(line) -> Row:
    v = line.values
    return Row(
        line.number,
        v["student_number"],
        v["first_name"],
        v["tussenvoegsel"],
        v["last_name"],
        v["date_of_birth"],
        v["school_class"],
        v["guardians"],
    )
