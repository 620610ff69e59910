"""A region in one installation, for the region-scale proof (`manage.py seed_region`).

50 schools, 100,000 pupils, 5,000 staff, 300 partner professionals, timeline events, a school
year of absence, concerns, and the care work in proportion (carecoord/demo_region/care.py:
guardians, facilities, referrals, placements, visits, meetings with agendas): written with COPY (imports.copy.copy_insert and raw COPY for the
biggest tables), not the ORM row by row. Every pupil is made up (names with numbers); every
login uses the demo password. Meant for an empty database of its own (the bench's): it
refuses to run twice.
"""

import io
import random
import time
import uuid
from datetime import date, timedelta
from types import SimpleNamespace

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import HolidayRegion, Membership, Organisation, OrganisationKind, Role, School, User
from carecoord.demo import DemoContext
from imports.copy import copy_insert

from .care import seed_care

LEVELS = ["vmbo-b", "vmbo-k", "vmbo-gt", "havo", "vwo"]
# Per school: (role, how many). 100 staff per school, 5,000 in the region.
STAFF = [
    (Role.ZORGCOORDINATOR, 2),
    (Role.AANDACHTSFUNCTIONARIS, 1),
    (Role.BEHEERDER, 1),
    (Role.SCHOOLLEIDER, 2),
    (Role.VERZUIMCOORDINATOR, 1),
    (Role.COACH, 3),
    (Role.MENTOR, 90),
]
PARTNER_KINDS = [
    OrganisationKind.LEERPLICHT,
    OrganisationKind.SMW,
    OrganisationKind.JGZ,
    OrganisationKind.JEUGDTEAM,
    OrganisationKind.SWV,
    OrganisationKind.JEUGDHULP,
]


def _log(out, started, text):
    out(f"[{time.monotonic() - started:6.1f} s] {text}")


def _copy(table: str, columns: str, lines) -> int:
    """COPY text lines (tab-separated, already escaped) into `table` in chunks."""
    total = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        for line in lines:
            buffer.write(line)
            total += 1
            if buffer.tell() > 16_000_000:
                buffer.seek(0)
                cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
                buffer = io.StringIO()
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
    return total


def seed_region(*, schools: int = 50, pupils: int = 100_000, events_per_pupil: int = 20, out=print) -> dict:
    """Build the region. Returns what was made (counts per kind)."""
    if School.objects.filter(brin_code__startswith="R").exists():
        raise RuntimeError("This database already holds a region (schools with BRIN R…); use an empty database.")
    started = time.monotonic()
    rng = random.Random(22)
    ctx = DemoContext()
    password = ctx.password_hash
    now = timezone.now()
    today = timezone.localdate()
    made = {}

    with transaction.atomic():
        region_schools = School.objects.bulk_create(
            [
                School(
                    name=f"Regioschool {n:02d}",
                    brin_code=f"R{n:03d}",
                    region="Samenwerkingsverband Regio",
                    holiday_region=[HolidayRegion.NOORD, HolidayRegion.MIDDEN, HolidayRegion.ZUID][n % 3],
                )
                for n in range(1, schools + 1)
            ]
        )
        made["schools"] = len(region_schools)

        # Staff: one User per person, COPYed, then their roles.
        user_rows, roles = [], []
        for school in region_schools:
            for role, count in STAFF:
                for n in range(count):
                    email = f"{role}{n + 1}.{school.brin_code}@regio.test".lower()
                    user_rows.append(
                        (
                            email,
                            f"{Role(role).label} {n + 1} {school.name}",
                            password,
                            True,
                            False,
                            False,
                            False,
                            now,
                            "nl",
                        )
                    )
                    roles.append((email, school.pk, role))
        fields = [
            "email",
            "name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "is_application_admin",
            "date_joined",
            "language",
        ]
        copy_insert(User, fields, user_rows)
        ids = dict(User.objects.filter(email__endswith="@regio.test").values_list("email", "pk"))
        copy_insert(
            Membership, ["user_id", "school_id", "role", "created_at"], [(ids[e], s, r, now) for e, s, r in roles]
        )
        made["staff"] = len(user_rows)
        _log(out, started, f"{len(user_rows)} staff with their roles")

        # Partner organisations: per kind, one per five schools; 300 professionals in all.
        organisations = {}
        partner_rows = []
        per_org = 300 // (len(PARTNER_KINDS) * (schools // 5 or 1)) or 1
        for kind in PARTNER_KINDS:
            for group in range(0, schools, 5):
                org = Organisation.objects.create(
                    name=f"{OrganisationKind(kind).label} regio {group // 5 + 1}", kind=kind
                )
                org.schools.add(*region_schools[group : group + 5])
                organisations.setdefault(str(kind), org)
                for n in range(per_org):
                    email = f"{kind}{group // 5 + 1}.{n + 1}@partner.regio.test"
                    partner_rows.append(
                        (email, f"{org.name} {n + 1}", password, True, False, False, False, now, "nl", org.pk)
                    )
        copy_insert(User, [*fields, "organisation_id"], partner_rows)
        made["partner organisations"] = Organisation.objects.filter(name__contains=" regio ").count()
        made["partner professionals"] = len(partner_rows)
        _log(out, started, f"{len(partner_rows)} partner professionals")

        # Classes and pupils.
        from students.models import SchoolClass, Student

        per_school = pupils // schools
        class_rows = []
        for school in region_schools:
            for year in range(1, 7):
                for n in range(1, max(per_school // 25 // 6, 1) + 2):
                    class_rows.append(
                        (school.pk, f"{year}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[n - 1]}", year, LEVELS[(year + n) % 5])
                    )
        copy_insert(SchoolClass, ["school_id", "name", "year", "level"], class_rows)
        classes = {}
        for pk, school_id in SchoolClass.objects.filter(school__in=region_schools).values_list("pk", "school_id"):
            classes.setdefault(school_id, []).append(pk)
        mentors_by_school = {}
        for email, school_id, role in roles:
            if role == Role.MENTOR:
                mentors_by_school.setdefault(school_id, []).append(ids[email])
        mentor_rows = []
        through = SchoolClass.mentors.through
        for school_id, class_ids in classes.items():
            for n, class_id in enumerate(class_ids):
                mentor_rows.append((class_id, mentors_by_school[school_id][n % len(mentors_by_school[school_id])]))
        copy_insert(through, ["schoolclass_id", "user_id"], mentor_rows)

        first_names = ["Daan", "Emma", "Noah", "Julia", "Sem", "Mila", "Liam", "Sara", "Lucas", "Nora", "Finn", "Yara"]
        last_names = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters"]
        student_lines = (
            f"{school.pk}\t{200000 + i}\t{first_names[i % 12]}\t\t{last_names[(i // 12) % 10]}{i:06d}\t"
            f"{date(2009, 1, 1) + timedelta(days=i % 2200)}\t{classes[school.pk][i % len(classes[school.pk])]}\t\t{now.isoformat()}\t{now.isoformat()}\n"
            for s_index, school in enumerate(region_schools)
            for i in range(s_index * per_school, (s_index + 1) * per_school)
        )
        made["pupils"] = _copy(
            "students_student",
            "school_id, student_number, first_name, tussenvoegsel, last_name, date_of_birth, school_class_id, "
            "support_status, created_at, updated_at",
            student_lines,
        )
        _log(out, started, f"{made['pupils']} pupils")
        pupil_rows = list(Student.objects.filter(school__in=region_schools).values_list("pk", "school_id"))

        # Timeline: events over the past year (the pupil file's list).
        kinds = [("students.imported", "administratie"), ("students.import_updated", "administratie")]

        def events():
            for pupil_id, _school_id in pupil_rows:
                for n in range(events_per_pupil):
                    kind, section = kinds[0 if n == 0 else 1]
                    at = now - timedelta(days=365 - n * (365 // events_per_pupil), minutes=rng.randrange(600))
                    params = '{"klas": "1A"}' if n == 0 else '{"fields": ["klas"]}'
                    yield f"{pupil_id}\t{kind}\t{section}\t\\N\t{at.isoformat()}\t{params}\n"

        made["timeline events"] = _copy(
            "students_timelineevent", "student_id, kind, section, actor_id, occurred_at, params", events()
        )
        _log(out, started, f"{made['timeline events']} timeline events")

        # A school year of absence: most pupils now and then, some often.
        first_day = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
        school_days = [
            first_day + timedelta(days=i)
            for i in range((today - first_day).days)
            if (first_day + timedelta(days=i)).weekday() < 5
        ]
        absence_kinds = ["ongeoorloofd", "geoorloofd", "te_laat", "verwijderd"]

        def absences():
            slots = len(school_days) * 8
            stamp = now.isoformat()
            for pupil_id, school_id in pupil_rows:
                roll = rng.random()
                base = 20 if roll < 0.7 else (70 if roll < 0.95 else 160)
                for slot in rng.sample(range(slots), min(slots, int(base * rng.uniform(0.5, 1.5)))):
                    kind = rng.choices(absence_kinds, weights=(30, 45, 20, 5))[0]
                    minutes = rng.randrange(3, 25) if kind == "te_laat" else 50
                    yield f"{pupil_id}\t{school_id}\t{school_days[slot // 8]}\t{slot % 8 + 1}\t{kind}\t{minutes}\timport\t{stamp}\n"

        made["absence records"] = (
            _copy(
                "absence_absencerecord",
                "student_id, school_id, date, lesson, kind, minutes, source, created_at",
                absences(),
            )
            if school_days
            else 0
        )
        _log(out, started, f"{made['absence records']} absence records")
        # The signals as the nightly computation leaves them (the absence overview lists them).
        from absence.signal_service import signals_compute

        computed = signals_compute(school_ids=[s.pk for s in region_schools], notify=False)
        made["absence signals raised"] = computed["signalled"]
        _log(out, started, f"absence signals computed: {computed['signalled']} pupils signalled")

        # Concerns: the zorgroute of the demo at every school, and 150 concerns per school.
        from concerns.demo import _categories
        from concerns.models import Concern, ConcernStatus

        routed = SimpleNamespace(organisations=organisations)
        by_school = {}
        for pupil_id, school_id in pupil_rows:
            by_school.setdefault(school_id, []).append(pupil_id)
        concerns = []
        for school in region_schools:
            categories = [c for c in _categories(routed, school.brin_code, school).values() if not c.follows_meldcode]
            mentors = mentors_by_school[school.pk]
            for n in range(150):
                category = categories[n % len(categories)]
                created = now - timedelta(days=rng.randrange(1, 200))
                status = [ConcernStatus.NEW, ConcernStatus.IN_PROGRESS, ConcernStatus.CLOSED][n % 3]
                concerns.append(
                    Concern(
                        school=school,
                        student_id=rng.choice(by_school[school.pk]),
                        category=category,
                        raised_by_id=mentors[n % len(mentors)],
                        observation="Valt op in de les (regiodata).",
                        urgency=category.default_urgency,
                        status=status,
                        handler_role=category.handler_role,
                        handler_organisation=category.handler_organisation,
                        submission_key=uuid.UUID(int=rng.getrandbits(128)),
                        created_at=created,
                        first_action_at=created + timedelta(hours=4) if status != ConcernStatus.NEW else None,
                        closed_at=created + timedelta(days=1) if status == ConcernStatus.CLOSED else None,
                    )
                )
        Concern.objects.bulk_create(concerns, batch_size=5000)
        made["concerns"] = len(concerns)
        _log(out, started, f"{len(concerns)} concerns")

        made.update(
            seed_care(schools=region_schools, pupils_by_school=by_school, rng=rng, log=lambda t: _log(out, started, t))
        )

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _log(out, started, "analyzed")
    made["seconds"] = round(time.monotonic() - started, 1)
    return made


def seed_region_care(*, out=print) -> dict:
    """Add the care work to a region seeded before `seed_care` existed (seed_region --care-only)."""
    from referrals.models import Facility
    from students.models import Student

    schools = list(School.objects.filter(brin_code__startswith="R").order_by("pk"))
    if not schools:
        raise RuntimeError("This database holds no region: run seed_region first.")
    if Facility.objects.filter(school__in=schools).exists():
        raise RuntimeError("The region already has its care work.")
    started = time.monotonic()
    by_school = {}
    for pupil_id, school_id in Student.objects.filter(school__in=schools).order_by("pk").values_list("pk", "school_id"):
        by_school.setdefault(school_id, []).append(pupil_id)
    with transaction.atomic():
        made = seed_care(
            schools=schools, pupils_by_school=by_school, rng=random.Random(23), log=lambda t: _log(out, started, t)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    made["seconds"] = round(time.monotonic() - started, 1)
    return made
