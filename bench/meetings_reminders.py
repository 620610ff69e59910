"""Benchmark: reminder fan-out for 1,000 meetings x 8 participants, exactly once.

    .venv/bin/python bench/meetings_reminders.py              # SQLite (one scheduler)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_meetings .venv/bin/python bench/meetings_reminders.py

Sets up its own data in a throwaway test database (created and dropped here). Every
meeting starts within a day, was invited earlier and has a pupil on its agenda, so each
of the 8,000 participants is due exactly one "tomorrow" reminder. On PostgreSQL two
scheduler processes run at the same time (two beat/worker processes racing); on SQLite
one runs (SQLite has no concurrent writers). BENCH_PROCESSES=1 runs one scheduler. Tasks run eagerly, so "sent" means the
message went through notification_send into Django's mail backend.

Prints the duration, the messages queued and mailed per process, the duplicates (mails
beyond one per outbox row) and the query count of the agenda page for 5 and 50 items.
Goal: under 60 s, zero duplicates, a flat query count.
"""

import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key-0123456789-abcdefghijklmnop")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
os.environ["DJANGO_SECURE_COOKIES"] = "false"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
os.environ["DJANGO_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

MEETINGS = 1000
PARTICIPANTS = 8


def build(now):
    from accounts.models import Membership, Organisation, Role, School, User
    from meetings.models import AgendaItem, Meeting
    from meetings.reminders import key_for
    from notifications.models import Notification
    from students.models import SchoolClass, Student

    school = School.objects.create(name="Bench school", brin_code="00BE")
    org = Organisation.objects.create(name="Bench jeugdteam", kind="jeugdteam")
    org.schools.add(school)
    coordinator = User.objects.create(email="zc@bench.test", name="Zorg Coördinator")
    Membership.objects.create(user=coordinator, school=school, role=Role.ZORGCOORDINATOR)
    people = [coordinator]
    for n in range(PARTICIPANTS - 1):
        if n < 4:
            people.append(User.objects.create(email=f"p{n}@bench.test", name=f"Partner {n}", organisation=org))
        else:
            user = User.objects.create(email=f"s{n}@bench.test", name=f"Medewerker {n}")
            Membership.objects.create(user=user, school=school, role=Role.MENTOR)
            people.append(user)
    klas = SchoolClass.objects.create(school=school, name="1A", year=1, level="havo")
    pupil = Student.objects.create(
        school=school,
        student_number="1",
        first_name="Bench",
        last_name="Leerling",
        date_of_birth="2012-01-01",
        school_class=klas,
    )
    start = now + timedelta(hours=12)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                school=school,
                kind="ot",
                title=f"Overleg {i}",
                starts_at=start + timedelta(minutes=i % 240),
                ends_at=start + timedelta(minutes=i % 240 + 60),
                organiser=coordinator,
                scheduled_at=now - timedelta(days=30),
            )
            for i in range(MEETINGS)
        ]
    )
    through = Meeting.participants.through
    through.objects.bulk_create([through(meeting_id=m.pk, user_id=p.pk) for m in meetings for p in people])
    AgendaItem.objects.bulk_create([AgendaItem(meeting=m, student=pupil, added_by=coordinator) for m in meetings])
    # Invited weeks ago: the outbox already holds the invitations (sent).
    Notification.objects.bulk_create(
        [
            Notification(
                key=key_for("invite", m.pk, p.pk, 0),
                school=school,
                recipient=p,
                to_email=p.email,
                kind="meetings.invite",
                subject="Uitnodiging",
                body="",
                sent_at=now - timedelta(days=30),
                attempts=1,
            )
            for m in meetings
            for p in people
        ],
        batch_size=2000,
    )
    return school, coordinator, meetings[0], klas


def scheduler(now, results):
    from django.core import mail

    from meetings.reminders import reminders_send_due

    connections.close_all()  # a forked child opens its own connection
    mail.outbox = []
    started = time.perf_counter()
    queued = reminders_send_due(now=now)
    results.put((os.getpid(), queued, len(mail.outbox), time.perf_counter() - started))


def agenda_query_counts(school, coordinator, meeting, klas):
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from meetings.models import AgendaItem, Agreement
    from students.models import Student

    client = Client()
    client.force_login(coordinator)
    counts = {}
    for target in (5, 50):
        while meeting.items.count() < target:
            n = meeting.items.count()
            pupil = Student.objects.create(
                school=school,
                student_number=f"9{n:04d}",
                first_name="P",
                last_name=f"L{n}",
                date_of_birth="2012-01-01",
                school_class=klas,
            )
            item = AgendaItem.objects.create(meeting=meeting, student=pupil, added_by=coordinator, position=n)
            Agreement.objects.create(
                school=school,
                meeting=meeting,
                item=item,
                student=pupil,
                description="x",
                owner=coordinator,
                due_on=timezone.localdate() + timedelta(days=9),
                created_by=coordinator,
            )
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(meeting.get_absolute_url())
        assert response.status_code == 200, response.status_code
        counts[target] = len(ctx.captured_queries)
    return counts


def main():
    setup_test_environment()
    vendor = connection.vendor
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = (
        f"bench_meetings_{os.getpid()}" if vendor == "postgresql" else f"/tmp/bench_meetings_{os.getpid()}.sqlite3"
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from notifications.models import Notification

        now = timezone.now()
        t0 = time.perf_counter()
        school, coordinator, first, klas = build(now)
        print(
            f"database: {vendor}; setup of {MEETINGS} meetings x {PARTICIPANTS} participants: {time.perf_counter() - t0:.1f} s"
        )

        processes = int(os.environ.get("BENCH_PROCESSES", "2" if vendor == "postgresql" else "1"))
        connections.close_all()
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        started = time.perf_counter()
        children = [context.Process(target=scheduler, args=(now, results)) for _ in range(processes)]
        for child in children:
            child.start()
        rows = [results.get(timeout=600) for _ in children]
        for child in children:
            child.join()
        duration = time.perf_counter() - started

        reminders = Notification.objects.filter(kind="meetings.reminder_1d")
        expected = MEETINGS * PARTICIPANTS
        mailed = sum(r[2] for r in rows)
        for pid, queued, sent, seconds in rows:
            print(f"  scheduler process {pid}: queued {queued}, mailed {sent}, {seconds:.1f} s")
        print(f"reminder fan-out: {duration:.1f} s for {expected} reminders ({processes} scheduler processes at once)")
        print(
            f"outbox rows: {reminders.count()} (expected {expected}), sent: {reminders.filter(sent_at__isnull=False).count()}"
        )
        print(f"duplicates: {mailed - reminders.count()} (mails beyond one per outbox row)")
        print(f"rows sent more than once: {reminders.filter(attempts__gt=1).count()}")

        started = time.perf_counter()
        scheduler(now, results)
        _pid, queued, sent, _s = results.get()
        print(f"second run (nothing new): queued {queued}, mailed {sent}, {time.perf_counter() - started:.1f} s")

        counts = agenda_query_counts(school, coordinator, first, klas)
        print(f"agenda page queries: {counts[5]} with 5 items, {counts[50]} with 50 items")
        ok = duration < 60 and mailed == expected and counts[5] == counts[50]
        print("RESULT:", "OK" if ok else "NOT OK")
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
