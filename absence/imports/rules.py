"""The row rules of the absence import, one named step each."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from students.imports.rules import parse_date
from students.models import Student

from ..models import AbsenceKind, AbsencePolicy

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
    """What the steps look up: the school's pupils by number (one query), the lesson length."""

    students: dict
    lesson_minutes: int
    today: date
    seen: dict = field(default_factory=dict)  # (pupil, date, lesson, kind) -> first line

    @property
    def oldest(self) -> date:
        return self.today - timedelta(days=OLDEST_DAYS)

    @classmethod
    def for_school(cls, school):
        students = dict(Student.objects.filter(school=school).values_list("student_number", "pk"))
        return cls(students, AbsencePolicy.for_school(school).lesson_minutes, timezone.localdate())


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
    """A pupil of this school (import the pupils first)."""
    number = line.get("leerlingnummer")
    line.values["student_id"] = student_id = context.students.get(number)
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
    """ongeoorloofd, geoorloofd, te laat or verwijderd (or one of the LVS names for them)."""
    raw = line.get("soort")
    line.values["kind"] = found = KIND_ALIASES.get(normal_code(raw))
    if not raw:
        line.problem(_("soort ontbreekt"))
    elif found is None:
        line.problem(
            _("soort '%(value)s' is onbekend (gebruik ongeoorloofd, geoorloofd, te laat of verwijderd)")
            % {"value": raw}
        )


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
    if line.problems:
        return
    v = line.values
    key = (v["student_id"], v["date"], v["lesson"], v["kind"])
    if key in context.seen:
        line.problem(
            _("dezelfde leerling, datum, lesuur en soort staan ook op regel %(line)s") % {"line": context.seen[key]}
        )
    else:
        context.seen[key] = line.number


STEPS = [pupil, day, kind, lesson, minutes, once]


def row(line) -> Row:
    v = line.values
    return Row(line.number, v["student_id"], v["date"], v["lesson"], str(v["kind"]), v["minutes"])
