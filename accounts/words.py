"""The words a school uses on its screens, by school type.

A primary school (PO) and a special school (SO) speak of a *groep* with a *leerkracht* and an
*intern begeleider*; secondary schools (VO, VSO) of a *klas* with a *mentor* and a
*zorgcoördinator* (seeds 003 and 004). Templates read them through `school.words`
(`{{ student.school.words.klas }}`) or the `words` of the shell's context (the current school).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import PRIMARY_TYPES


@dataclass(frozen=True)
class Words:
    klas: str
    klassen: str
    nieuwe_klas: str
    leerjaar: str
    mentor: str
    mentoren: str
    coordinator: str
    lesuren: str
    per_klas: str


PRIMARY = Words(
    klas=_("Groep"),
    klassen=_("Groepen"),
    nieuwe_klas=_("Nieuwe groep"),
    leerjaar=_("Groep (1-8)"),
    mentor=_("Leerkracht"),
    mentoren=_("Leerkrachten"),
    coordinator=_("Intern begeleider"),
    lesuren=_("Dagdelen"),
    per_klas=_("Per groep"),
)
SECONDARY = Words(
    klas=_("Klas"),
    klassen=_("Klassen"),
    nieuwe_klas=_("Nieuwe klas"),
    leerjaar=_("Leerjaar"),
    mentor=_("Mentor"),
    mentoren=_("Mentoren"),
    coordinator=_("Zorgcoördinator"),
    lesuren=_("Lesuren"),
    per_klas=_("Per klas"),
)

# Day parts of a primary school's day: the board and plans use these instead of lesson
# hours. Stored as lesson hours 1 and 2 of the school's timetable, so code about lesson
# hours keeps working; `day_part_label` names them.
DAY_PARTS = {1: _("ochtend"), 2: _("middag")}


def words_for(school_type: str) -> Words:
    return PRIMARY if school_type in PRIMARY_TYPES else SECONDARY


def role_label(role: str, school=None) -> str:
    """A role's name as `school` says it: a primary school's mentor is its leerkracht (no
    school: the role's own name)."""
    from .models import Role

    if role == Role.MENTOR and school is not None:
        return str(words_for(school.school_type).mentor)
    return str(dict(Role.choices).get(role, role))


def lesson_hour_label(school, number: int) -> str:
    """How a lesson hour is called at `school`: 'ochtend'/'middag' at a PO/SO school,
    else its number ('3')."""
    if school.uses_day_parts and number in DAY_PARTS:
        return str(DAY_PARTS[number])
    return str(number)
