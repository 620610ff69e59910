"""Demo families with children at two demo schools (issue 25: "siblings across schools where it
fits"): a primary or special school pupil with an older brother or sister at a secondary school.

Each school holds only its own pupil, with the guardians as that school's LVS file has them: the
same names, e-mail address and phone at both schools. Nothing links the two pupils across
schools (a FamilyLink belongs to one school); the parents' portal demo invites one of these
mothers at both schools, so she sees her two children side by side (portal/demo.py).
"""

from .models import Guardian, GuardianRelation, Student
from .timeline import timeline_add_many

# Family pupils are numbered after the generated ones: <school base> + 80001, ... (students.demo);
# not 90000 and up, which the privacy demo uses for its former pupils (190000, 290000, ...).
NUMBER_OFFSET = 80000

# (family name, guardians: (name, relation, phone, e-mail, gezag), children: (school, first name, class))
FAMILIES = [
    (
        "van der Linden",
        [
            ("Marloes van der Linden", GuardianRelation.MOEDER, "06-41827365", "marloes.vanderlinden@thuis.test", True),
            ("Jeroen van der Linden", GuardianRelation.VADER, "06-52938471", "", True),
        ],
        [("aanloop", "Lotte", "6a"), ("waard", "Thijs", "2T1")],
    ),
    (
        "Kaya",
        [
            ("Hatice Kaya", GuardianRelation.MOEDER, "06-38475102", "hatice.kaya@thuis.test", True),
            ("Hakan Kaya", GuardianRelation.VADER, "06-29384756", "hakan.kaya@thuis.test", True),
        ],
        [("aanloop", "Elif", "3b"), ("rivier", "Emir", "1H1")],
    ),
    (
        "Hoekstra",
        # A mother on her own: the father has no gezag and is not in the school's file.
        [("Saskia Hoekstra", GuardianRelation.MOEDER, "06-47362819", "saskia.hoekstra@thuis.test", True)],
        [("bolster", "Siem", "3/4 Zon"), ("waard", "Femke", "3B1")],
    ),
]
# The mother the portal demo invites at both schools.
PORTAL_FAMILY_EMAIL = "marloes.vanderlinden@thuis.test"
GUARDIAN_EMAILS = sorted({email for _family, guardians, _children in FAMILIES for *_, email, _a in guardians if email})


def pupil_names() -> set[str]:
    """The full names of every family pupil, kept out of the generated pupils' names."""
    return {f"{first} {family}" for family, _guardians, children in FAMILIES for _key, first, _klas in children}


def add_family_pupils(ctx, key, school, classes, base, actor, birth_date):
    """This school's children of the FAMILIES, with their guardians; the caller runs once per
    school (only for a school without pupils), so running the demo twice adds nothing."""
    from .demo import split_name

    rng = ctx.rng_for("families", key)
    by_name = {c.name: c for c in classes}
    n = 0
    events = []
    for family, guardians, children in FAMILIES:
        for school_key, first, klas in children:
            if school_key != key:
                continue
            n += 1
            tussen, last = split_name(family)
            school_class = by_name[klas]
            student = Student.objects.create(
                school=school,
                student_number=str(base + NUMBER_OFFSET + n),
                first_name=first,
                tussenvoegsel=tussen,
                last_name=last,
                date_of_birth=birth_date(rng, school_class.year, ctx.today, primary=school.is_primary),
                school_class=school_class,
            )
            Guardian.objects.bulk_create(
                Guardian(
                    student=student,
                    name=name,
                    relation=relation,
                    phone=phone,
                    email=email,
                    has_authority=authority,
                    import_position=position,
                )
                for position, (name, relation, phone, email, authority) in enumerate(guardians, start=1)
            )
            events.append({"student": student, "kind": "students.imported", "actor": actor, "params": {"klas": klas}})
    timeline_add_many(events)
