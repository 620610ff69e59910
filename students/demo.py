"""Demo pupils: classes with mentors, ~600 pupils per school with guardians, consents
(some withdrawn) and partner links. Skips a school that already has pupils."""

from datetime import date, timedelta

from django.db import transaction

from accounts.demo import SCHOOLS
from accounts.models import Membership, OrganisationKind, Role, User
from carecoord.demo import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES

from .demo_families import add_family_pupils, pupil_names
from .models import (
    MAX_YEAR,
    Consent,
    ConsentPurpose,
    Guardian,
    GuardianRelation,
    Level,
    PartnerLink,
    SchoolClass,
    Student,
    SupportStatus,
)
from .timeline import timeline_add_many

TUSSENVOEGSELS = {"van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "la", "le", "du"}

# (class name prefix letter, level) per secondary school; two parallel classes per year, as
# many years as the level has (vmbo 4, havo 5, vwo 6: students.models.MAX_YEAR).
STREAMS = {
    "waard": [("B", Level.VMBO_B), ("K", Level.VMBO_K), ("T", Level.VMBO_T)],
    "rivier": [("M", Level.VMBO_T), ("H", Level.HAVO), ("V", Level.VWO)],
}
# Primary and special schools: groepen by name, (name, groep 1-8, level).
GROEPEN = {
    "aanloop": [(f"{g}{x}", g, Level.PO) for g in range(1, 9) for x in ("a", "b")],
    "bolster": [("3/4 Zon", 4, Level.SO), ("5/6 Maan", 6, Level.SO), ("7/8 Ster", 8, Level.SO), ("SO+", 7, Level.SO)],
}
# Pupils per school at most: a primary school has some 300 pupils, an SO school about 60.
MAX_PUPILS = {"aanloop": 300, "bolster": 60}
DEMO_MENTOR_CLASSES = {"waard": ["2K1", "2K2"], "rivier": ["2H1", "2H2"], "aanloop": ["5a"], "bolster": ["5/6 Maan"]}

# (organisation kind, pupils linked with consent, of which later withdrawn, linked without consent)
PARTNER_CASES = [
    (OrganisationKind.JEUGDTEAM, 12, 2, 2),
    (OrganisationKind.SMW, 10, 1, 1),
    (OrganisationKind.LEERPLICHT, 8, 0, 1),
    (OrganisationKind.JGZ, 5, 0, 0),
    (OrganisationKind.SWV, 5, 0, 0),
    (OrganisationKind.JEUGDHULP, 4, 1, 0),
]


def split_name(last_name: str) -> tuple[str, str]:
    """'van den Berg' -> ('van den', 'Berg')."""
    words = last_name.split()
    prefix = []
    while len(words) > 1 and words[0].lower() in TUSSENVOEGSELS:
        prefix.append(words.pop(0))
    return " ".join(prefix).lower(), " ".join(words)


def _class_plan(key):
    """(name, year, level) of every class or groep of a demo school."""
    if key in GROEPEN:
        return GROEPEN[key]
    return [
        (f"{year}{letter}{n}", year, level)
        for year in range(1, 7)
        for letter, level in STREAMS[key]
        if year <= MAX_YEAR[level]
        for n in (1, 2)
    ]


def _classes(ctx, key, school, domain):
    classes = []
    rng = ctx.rng_for("mentors", key)
    local = "leerkracht" if school.is_primary else "mentor"
    for name, year, level in _class_plan(key):
        school_class, _ = SchoolClass.objects.get_or_create(
            school=school, name=name, defaults={"year": year, "level": level}
        )
        classes.append(school_class)
        if name in DEMO_MENTOR_CLASSES[key]:
            mentor = ctx.users[f"mentor_{key}"]
        else:
            slug = "".join(c for c in name.lower() if c.isalnum())
            mentor = ctx.user(f"{local}.{slug}@{domain}", ctx.person_name(rng))
        Membership.objects.get_or_create(user=mentor, school=school, role=Role.MENTOR)
        school_class.mentors.add(mentor)
    if key == "rivier":
        # The De Waard coordinator is also a mentor here (the school switcher demo).
        SchoolClass.objects.get(school=school, name="3V1").mentors.add(ctx.users["zc_waard"])
    return classes


# Seed 003: the SO+ class is small (four pupils now, two who already moved on to a mainstream school).
SMALL_CLASSES = {"SO+": 6}


def _class_for(i: int, classes: list):
    """The class of the i-th pupil: small classes are filled first, the rest in turn."""
    small = [c for c in classes if c.name in SMALL_CLASSES for _ in range(SMALL_CLASSES[c.name])]
    if i < len(small):
        return small[i]
    rest = [c for c in classes if c.name not in SMALL_CLASSES]
    return rest[(i - len(small)) % len(rest)]


def _pupil_name(rng, taken: set) -> tuple[str, str, str]:
    """(first name, tussenvoegsel, last name) of a new demo pupil, a full name not in `taken`
    (which it joins)."""
    while True:
        first = rng.choice(FIRST_NAMES_FEMALE if rng.random() < 0.5 else FIRST_NAMES_MALE)
        family = rng.choice(LAST_NAMES)
        full = f"{first} {family}"
        if full not in taken:
            taken.add(full)
            tussen, last = split_name(family)
            return first, tussen, last


def _birth_date(rng, year: int, today: date, *, primary: bool = False) -> date:
    # Pupils in leerjaar 1 turn 12 or 13 this school year; in groep 1 they turn 4 or 5.
    school_year_start = today.year if today.month >= 8 else today.year - 1
    start = date(school_year_start - (4 if primary else 12) - year, 10, 1)
    return start + timedelta(days=rng.randrange(365))


def _giver(student, guardians, given_on):
    if student.is_16_or_older(given_on):
        return {"given_by_student": True}
    with_authority = [g for g in guardians if g.has_authority]
    return {"given_by_guardian": with_authority[0]}


def seed(ctx):
    ctx.students = {}
    for key, school in ctx.schools.items():
        domain = SCHOOLS[key][2]
        classes = _classes(ctx, key, school, domain)
        if not Student.objects.filter(school=school).exists():
            with transaction.atomic():
                _pupils(ctx, key, school, classes)
        ctx.students[key] = list(Student.objects.filter(school=school).select_related("school_class").order_by("pk"))


def _pupils(ctx, key, school, classes):
    rng = ctx.rng_for("students", key)
    today = ctx.today
    base = 100000 * (list(SCHOOLS).index(key) + 1)
    actor = ctx.users[f"beheer_{key}"]
    students = []
    # No pupil shares a full name with another pupil or with a member of staff or a partner.
    taken = set(User.objects.values_list("name", flat=True))
    taken |= {
        f"{first} {tussen} {last}".replace("  ", " ")
        for first, tussen, last in Student.objects.values_list("first_name", "tussenvoegsel", "last_name")
    }
    # The children of families at two schools (demo_families) keep their names at every school.
    taken |= pupil_names()
    for i in range(min(ctx.pupils_per_school, MAX_PUPILS.get(key, ctx.pupils_per_school))):
        school_class = _class_for(i, classes)
        first_name, tussen, last = _pupil_name(rng, taken)
        status = rng.choices(
            [
                SupportStatus.NONE,
                SupportStatus.SIGNALED,
                SupportStatus.IN_BEGELEIDING,
                SupportStatus.AANGEMELD,
                SupportStatus.GEPLAATST,
                SupportStatus.EXTERNE_HULP,
            ],
            weights=[79, 5, 8, 3, 2, 3],
        )[0]
        students.append(
            Student(
                school=school,
                student_number=str(base + i + 1),
                first_name=first_name,
                tussenvoegsel=tussen,
                last_name=last,
                date_of_birth=_birth_date(rng, school_class.year, today, primary=school.is_primary),
                school_class=school_class,
                support_status=status,
            )
        )
    Student.objects.bulk_create(students)
    students = list(Student.objects.filter(school=school).order_by("pk"))

    guardians = []
    for student in students:
        family_name = f"{student.tussenvoegsel} {student.last_name}".strip()
        first = Guardian(
            student=student,
            name=ctx.person_name(rng, female=True, last_name=family_name),
            relation=GuardianRelation.MOEDER,
            phone=f"06-{rng.randrange(10000000, 99999999)}",
            email=f"ouder.{student.student_number}@example.nl",
            has_authority=True,
            import_position=1,
        )
        guardians.append(first)
        if rng.random() < 0.85:
            guardians.append(
                Guardian(
                    student=student,
                    name=ctx.person_name(rng, female=False, last_name=family_name),
                    relation=GuardianRelation.VADER,
                    phone=f"06-{rng.randrange(10000000, 99999999)}",
                    has_authority=rng.random() > 0.08,
                    import_position=2,
                )
            )
    Guardian.objects.bulk_create(guardians)
    by_student = {}
    for guardian in guardians:
        by_student.setdefault(guardian.student_id, []).append(guardian)

    events = [
        {"student": s, "kind": "students.imported", "actor": actor, "params": {"klas": s.school_class.name}}
        for s in students
    ]
    coordinator = ctx.users[f"zc_{key}"]
    pool = rng.sample(students, k=min(len(students), 60))
    cursor = 0
    for kind, consented, withdrawn, unconsented in PARTNER_CASES:
        org = ctx.organisations.get(str(kind))
        if org is None or not org.schools.filter(pk=school.pk).exists():
            continue
        professional = ctx.users.get(f"partner_{kind}")
        chosen = pool[cursor : cursor + consented + unconsented]
        cursor += consented + unconsented
        for n, student in enumerate(chosen):
            given_on = today - timedelta(days=rng.randrange(20, 200))
            PartnerLink.objects.create(
                student=student,
                organisation=org,
                user=professional if n % 2 == 0 else None,
                role=org.get_kind_display(),
                linked_on=given_on,
                linked_by=coordinator,
            )
            events.append(
                {
                    "student": student,
                    "kind": "students.partner_linked",
                    "actor": coordinator,
                    "params": {"partner": org.name, "role": org.get_kind_display()},
                }
            )
            if n >= consented:
                continue  # linked, but no consent on record: the partner cannot see this pupil
            consent = Consent.objects.create(
                student=student,
                organisation=org,
                given_on=given_on,
                recorded_by=coordinator,
                **_giver(student, by_student[student.pk], given_on),
            )
            events.append(
                {
                    "student": student,
                    "kind": "students.consent_given",
                    "actor": coordinator,
                    "params": {"scope": org.name, "giver": consent.giver_label, "date": given_on.isoformat()},
                }
            )
            if n < withdrawn:
                from django.utils import timezone

                consent.withdrawn_at = timezone.now() - timedelta(days=rng.randrange(1, 15))
                consent.withdrawn_by = "moeder"
                consent.withdrawal_reason = "Ouders willen eerst zelf hulp zoeken."
                consent.withdrawal_recorded_by = coordinator
                consent.save()
                events.append(
                    {
                        "student": student,
                        "kind": "students.consent_withdrawn",
                        "actor": coordinator,
                        "params": {"scope": org.name, "by": "moeder"},
                    }
                )
    # Consent to discuss pupils in the ondersteuningsteam.
    for student in pool[:30]:
        given_on = today - timedelta(days=rng.randrange(10, 150))
        consent = Consent.objects.create(
            student=student,
            purpose=ConsentPurpose.OT_BESPREKING,
            given_on=given_on,
            recorded_by=coordinator,
            **_giver(student, by_student[student.pk], given_on),
        )
        events.append(
            {
                "student": student,
                "kind": "students.consent_given",
                "actor": coordinator,
                "params": {"scope": consent.scope_label, "giver": consent.giver_label, "date": given_on.isoformat()},
            }
        )
    timeline_add_many(events)
    # Last, so the generated pupils, their guardians and partner links stay as they were.
    add_family_pupils(ctx, key, school, classes, base, actor, _birth_date)
