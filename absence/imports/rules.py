"""The row rules of the absence import, one named step each."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from students.imports.matching import NumberIndex
from students.imports.rules import NO, YES, parse_date
from students.models import Student

from ..models import AbsenceCodeMapping, AbsenceKind, AbsencePolicy, CodeTarget

# Codes every school means the same by (a school's own mapping wins over these).
KIND_ALIASES = {
    "ongeoorloofd": AbsenceKind.UNAUTHORISED,
    "ongeoorloofd afwezig": AbsenceKind.UNAUTHORISED,
    "ongeoorloofd verzuim": AbsenceKind.UNAUTHORISED,
    "spijbelen": AbsenceKind.UNAUTHORISED,
    "o": AbsenceKind.UNAUTHORISED,
    "geoorloofd": AbsenceKind.AUTHORISED,
    "geoorloofd afwezig": AbsenceKind.AUTHORISED,
    "geoorloofd verzuim": AbsenceKind.AUTHORISED,
    "ziek": AbsenceKind.AUTHORISED,
    "ziekte": AbsenceKind.AUTHORISED,
    "dokter": AbsenceKind.AUTHORISED,
    "huisarts": AbsenceKind.AUTHORISED,
    "tandarts": AbsenceKind.AUTHORISED,
    "verlof": AbsenceKind.AUTHORISED,
    "bijzonder verlof": AbsenceKind.AUTHORISED,
    "g": AbsenceKind.AUTHORISED,
    "te laat": AbsenceKind.LATE,
    "telaat": AbsenceKind.LATE,
    "laat": AbsenceKind.LATE,
    "tl": AbsenceKind.LATE,
    "verwijderd": AbsenceKind.SENT_OUT,
    "uitgestuurd": AbsenceKind.SENT_OUT,
    "uit de les verwijderd": AbsenceKind.SENT_OUT,
    "v": AbsenceKind.SENT_OUT,
}

# How far back an export may go: this school year and the one before.
OLDEST_DAYS = 2 * 366


@dataclass(frozen=True)
class Row:
    line: int
    student_id: int
    date: date
    lesson: int
    kind: str
    minutes: int

    @property
    def key(self):
        return (self.student_id, self.date, self.lesson, self.kind)


@dataclass
class Context:
    """What the steps look up (three queries): the school's pupils by number, the lesson
    length, the school's own code mapping. `notes` collects what the preview lists once
    instead of per line: the codes in the file, unmapped ones among them."""

    students: dict
    lesson_minutes: int
    today: date
    codes: dict  # normal code -> CodeTarget, the school's mapping
    seen: dict = field(default_factory=dict)  # (pupil, date, lesson, kind) -> first line
    notes: dict = field(default_factory=lambda: {"codes": {}, "unmapped": {}, "restored": 0})

    def __post_init__(self):
        self.numbers = NumberIndex(self.students)

    @property
    def oldest(self) -> date:
        return self.today - timedelta(days=OLDEST_DAYS)

    @classmethod
    def for_school(cls, school):
        students = dict(Student.objects.filter(school=school).values_list("student_number", "pk"))
        codes = dict(AbsenceCodeMapping.objects.filter(school=school).values_list("code", "target"))
        return cls(students, AbsencePolicy.for_school(school).lesson_minutes, timezone.localdate(), codes)

    def note_code(self, raw: str, code: str, target: str | None, source: str) -> None:
        entry = self.notes["codes"].setdefault(code, [raw, 0, target or "", source])
        entry[1] += 1
        if target is None:
            unmapped = self.notes["unmapped"].setdefault(code, [raw, 0])
            unmapped[1] += 1


def normal_code(value: str) -> str:
    return re.sub(r"[\s_-]+", " ", value.strip().lower())


def parse_hours(value: str) -> int:
    """'1,5' or '1.5' hours as whole minutes. Raises ValueError."""
    try:
        amount = Decimal(value.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError
    return int((amount * 60).to_integral_value())


def pupil(line, context: Context) -> None:
    """A pupil of this school (import the pupils first); 12345 is pupil 0012345 when Excel
    dropped the leading zeros."""
    number = line.get("leerlingnummer")
    stored = context.numbers.find(number) if number else None
    if stored is not None and stored != number:
        context.notes["restored"] += 1
    line.values["student_id"] = student_id = context.students.get(stored) if stored else None
    if not number:
        line.problem(_("leerlingnummer ontbreekt"))
    elif student_id is None:
        line.problem(
            _("leerlingnummer %(n)s is geen leerling van deze school (lees eerst de leerlingen in)") % {"n": number}
        )


def day(line, context: Context) -> None:
    """An existing date, not in the future, at most two school years back."""
    raw = line.get("datum")
    try:
        found = parse_date(raw)
    except ValueError:
        line.problem(
            _("datum '%(value)s' is geen bestaande datum (verwacht dd-mm-jjjj)") % {"value": raw}
            if raw
            else _("datum ontbreekt")
        )
        return
    if found > context.today:
        line.problem(_("datum %(value)s ligt in de toekomst") % {"value": raw})
    elif found < context.oldest:
        line.problem(_("datum %(value)s ligt meer dan twee schooljaren terug") % {"value": raw})
    line.values["date"] = found


def kind(line, context: Context) -> None:
    """The LVS code (soort): how it counts comes from the school's code mapping, else from
    the codes everyone means the same by. A code nobody mapped yet is not an error per line:
    the preview lists it once, with its number of lines, for the school to map."""
    raw = line.get("soort")
    if not raw:
        line.problem(_("soort ontbreekt"))
        return
    code = normal_code(raw)
    target = context.codes.get(code)
    source = "school" if target else "standaard"
    target = target or KIND_ALIASES.get(code)
    context.note_code(raw, code, target, source if target else "")
    if target is None or target == CodeTarget.IGNORE:
        line.values["skip"] = True  # not a registration (yet)
        return
    line.values["target"] = target


def authorised(line, context: Context) -> None:
    """For absence, the Geoorloofd column (ja/nee), when the file has it and the line fills
    it, says whether it is authorised; otherwise the code does. A code mapped to "volgens
    de kolom Geoorloofd" needs the column."""
    target = line.values.get("target")
    if target is None:
        return
    raw = line.get("geoorloofd").lower()
    if target in (CodeTarget.UNAUTHORISED, CodeTarget.AUTHORISED, CodeTarget.BY_COLUMN) and raw:
        if raw in YES:
            line.values["kind"] = AbsenceKind.AUTHORISED
        elif raw in NO:
            line.values["kind"] = AbsenceKind.UNAUTHORISED
        else:
            line.problem(_("geoorloofd '%(value)s': vul ja of nee in") % {"value": line.get("geoorloofd")})
    elif target == CodeTarget.BY_COLUMN:
        line.problem(
            _("geoorloofd ontbreekt (bij code %(code)s bepaalt die kolom of het verzuim geoorloofd is)")
            % {"code": line.get("soort")}
        )
    else:
        line.values["kind"] = AbsenceKind(target)


def lesson(line, context: Context) -> None:
    """1 to 20; empty: not per lesson."""
    raw = line.get("lesuur")
    line.values["lesson"] = 0
    if raw:
        if raw.isdigit() and 1 <= int(raw) <= 20:
            line.values["lesson"] = int(raw)
        else:
            line.problem(_("lesuur '%(value)s' moet een getal van 1 tot en met 20 zijn") % {"value": raw})


def minutes(line, context: Context) -> None:
    """minuten wins over uren; without either a late arrival counts 0 minutes and a line with
    a lesuur one lesson (the school's lesson length); absent for 0 minutes is wrong."""
    raw_minutes, raw_hours = line.get("minuten"), line.get("uren")
    found_kind, found = line.values.get("kind"), None
    if raw_minutes:
        if raw_minutes.isdigit() and int(raw_minutes) <= 24 * 60:
            found = int(raw_minutes)
        else:
            line.problem(_("minuten '%(value)s' is geen aantal minuten") % {"value": raw_minutes})
    elif raw_hours:
        try:
            found = parse_hours(raw_hours)
        except ValueError:
            line.problem(_("uren '%(value)s' is geen aantal uren (bijv. 1,5)") % {"value": raw_hours})
        else:
            if found > 24 * 60:
                line.problem(_("uren '%(value)s' is meer dan een dag") % {"value": raw_hours})
    elif found_kind == AbsenceKind.LATE:
        found = 0  # a late arrival is counted, not added to the hours
    elif line.values.get("lesson"):
        found = context.lesson_minutes
    elif found_kind is not None:
        line.problem(_("minuten of uren ontbreekt (of vul het lesuur in)"))
    if found == 0 and found_kind in (AbsenceKind.UNAUTHORISED, AbsenceKind.AUTHORISED):
        line.problem(_("afwezig voor 0 minuten"))
    line.values["minutes"] = found


def once(line, context: Context) -> None:
    """The same pupil, date, lesson and kind at most once in the file."""
    if line.problems or line.values.get("skip"):
        return
    v = line.values
    key = (v["student_id"], v["date"], v["lesson"], v["kind"])
    if key in context.seen:
        line.problem(
            _("dezelfde leerling, datum, lesuur en soort staan ook op regel %(line)s") % {"line": context.seen[key]}
        )
    else:
        context.seen[key] = line.number


STEPS = [pupil, day, kind, authorised, lesson, minutes, once]


def row(line) -> Row:
    v = line.values
    return Row(line.number, v["student_id"], v["date"], v["lesson"], str(v["kind"]), v["minutes"])
