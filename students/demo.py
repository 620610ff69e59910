"""Demo pupils: classes with mentors, ~600 pupils per school with guardians, consents
(some withdrawn) and partner links. Skips a school that already has pupils."""

from datetime import date, timedelta

from django.db import transaction

from accounts.models import Membership, OrganisationKind, Role

from .models import (
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

# (class name prefix letter, level) per school; years 1-4, two parallel classes each.
STREAMS = {
    "waard": [("B", Level.VMBO_B), ("K", Level.VMBO_K), ("T", Level.VMBO_T)],
    "rivier": [("M", Level.VMBO_T), ("H", Level.HAVO), ("V", Level.VWO)],
}
DEMO_MENTOR_CLASSES = {"waard": ["2K1", "2K2"], "rivier": ["2H1", "2H2"]}

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


def _classes(ctx, key, school, domain):
    classes = []
    for year in range(1, 5):
        for letter, level in STREAMS[key]:
            for n in (1, 2):
                name = f"{year}{letter}{n}"
                school_class, _ = SchoolClass.objects.get_or_create(
                    school=school, name=name, defaults={"year": year, "level": level}
                )
                classes.append(school_class)
                if name in DEMO_MENTOR_CLASSES[key]:
                    mentor = ctx.users[f"mentor_{key}"]
                else:
                    mentor = ctx.user(f"mentor.{name.lower()}@{domain}", ctx.faker.name())
                Membership.objects.get_or_create(user=mentor, school=school, role=Role.MENTOR)
                school_class.mentors.add(mentor)
    if key == "rivier":
        # The De Waard coordinator is also a mentor here (the school switcher demo).
        SchoolClass.objects.get(school=school, name="3V1").mentors.add(ctx.users["zc_waard"])
    return classes


def _birth_date(rng, year: int, today: date) -> date:
    # Pupils in leerjaar 1 turn 12 or 13 this school year.
    school_year_start = today.year if today.month >= 8 else today.year - 1
    start = date(school_year_start - 12 - year, 10, 1)
    return start + timedelta(days=rng.randrange(365))


def _giver(student, guardians, given_on):
    if student.is_16_or_older(given_on):
        return {"given_by_student": True}
    with_authority = [g for g in guardians if g.has_authority]
    return {"given_by_guardian": with_authority[0]}


def seed(ctx):
    from accounts.demo import SCHOOLS

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
    fake = ctx.faker
    today = ctx.today
    base = 100000 if key == "waard" else 200000
    actor = ctx.users[f"beheer_{key}"]
    students = []
    for i in range(ctx.pupils_per_school):
        school_class = classes[i % len(classes)]
        tussen, last = split_name(fake.last_name())
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
                first_name=fake.first_name(),
                tussenvoegsel=tussen,
                last_name=last,
                date_of_birth=_birth_date(rng, school_class.year, today),
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
            name=f"{fake.first_name_female()} {family_name}",
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
                    name=f"{fake.first_name_male()} {family_name}",
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
