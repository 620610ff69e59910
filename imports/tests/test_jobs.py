"""A confirmed import is a job: stored first, run by a worker when it is large (with a
progress bar), swept up when its message is lost or its worker dies, and applied exactly
once. Previews nobody confirms are purged after 24 hours."""

import socket
import time
from datetime import timedelta

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from carecoord import testing
from carecoord.celery import app
from imports import services
from imports.models import ImportBatch
from students.models import Student
from students.tests.factories import SchoolClassFactory, StudentFactory

HEADER = "Stamnr;Roepnaam;Achternaam;Geb.datum;Klas"


def pupil_file(rows: int, *, klas="2K1", start=500000, name="Leerling") -> bytes:
    lines = [HEADER] + [f"{start + n};{name}{n};Achternaam{n};01-02-2012;{klas}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def upload(client, data: bytes):
    return client.post("/leerlingen/import/", {"file": SimpleUploadedFile("leerlingen.csv", data)})


@pytest.fixture
def background(settings):
    """Every import with more than 2 lines runs as a job (the real threshold is thousands)."""
    settings.IMPORT_BACKGROUND_ROWS = 2


@pytest.mark.django_db
def test_a_large_import_runs_as_a_job_and_the_page_shows_its_progress(
    client, coordinator, school_class, background, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    location = upload(client, pupil_file(5))["Location"]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(location)
    assert response.status_code == 302 and response["Location"] == location
    page = client.get(location)
    assert "wordt ingelezen" in page.text and "<progress" in page.text
    assert "Je mag deze pagina verlaten" in page.text
    batch = ImportBatch.objects.get()
    assert batch.status == "queued" and Student.objects.count() == 0  # stored first, applied by the worker
    bar = client.get(f"{location}voortgang/", HTTP_HX_REQUEST="true")
    assert bar.status_code == 200 and 'hx-trigger="every 1s"' in bar.text
    for callback in queued:  # after commit: the task is queued (and runs, tasks are eager in tests)
        callback()
    assert Student.objects.count() == 5
    finished = client.get(f"{location}voortgang/", HTTP_HX_REQUEST="true")
    assert finished["HX-Redirect"] == location
    assert "5 nieuwe leerlingen" in client.get(location).text
    upload_page = client.get("/leerlingen/import/")
    assert "leerlingen.csv" in upload_page.text and "ingelezen" in upload_page.text  # found back


@pytest.mark.django_db
def test_the_progress_counts_the_checked_lines(coordinator, school_class):
    from imports.selectors import job_progress

    batch = ImportBatch(status="running", stage="check", rows_total=10_000, rows_done=5_000)
    assert job_progress(batch)["percent"] == 25
    batch.stage = "apply"
    assert 50 <= job_progress(batch)["percent"] < 100


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


@pytest.mark.django_db
def test_a_broker_that_is_down_after_commit_gives_no_error_page_and_the_sweep_applies_it_once(
    client, coordinator, school_class, background, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    location = upload(client, pupil_file(5))["Location"]
    app.conf.task_always_eager = False
    app.conf.broker_write_url = f"redis://127.0.0.1:{_dead_port()}/0"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(location)
    finally:
        app.conf.broker_write_url = None
        app.conf.task_always_eager = True
    assert response.status_code == 302
    assert client.get(location).status_code == 200  # the job page, no error
    batch = ImportBatch.objects.get()
    assert batch.status == "queued" and Student.objects.count() == 0
    # Not yet due: a job queued just now is left alone.
    assert services.imports_sweep() == 0
    ImportBatch.objects.filter(pk=batch.pk).update(queued_at=timezone.now() - timedelta(minutes=3))
    assert services.imports_sweep() == 1
    assert Student.objects.count() == 5
    assert services.imports_sweep() == 0
    assert services.import_run(batch_id=batch.pk) is None  # a redelivered message: nothing happens
    assert Student.objects.count() == 5


@pytest.mark.django_db
def test_previews_nobody_confirms_are_purged_after_24_hours(client, coordinator, school_class):
    client.force_login(coordinator)
    assert "na 24 uur" in client.get("/leerlingen/import/").text
    old = upload(client, pupil_file(2))["Location"]
    fresh = upload(client, pupil_file(2, start=600000))["Location"]
    old_batch, fresh_batch = ImportBatch.objects.order_by("pk")
    ImportBatch.objects.filter(pk=old_batch.pk).update(uploaded_at=timezone.now() - timedelta(hours=25))
    assert services.import_previews_purge() == 1
    old_batch.refresh_from_db()
    fresh_batch.refresh_from_db()
    assert (old_batch.status, bytes(old_batch.content), old_batch.preview) == ("expired", b"", {})
    assert fresh_batch.status == "preview" and bytes(fresh_batch.content)
    assert "niet binnen 24 uur bevestigd" in client.get(old).text
    assert client.post(old).status_code == 200 and Student.objects.count() == 0
    assert client.get(fresh).status_code == 200


def test_the_sweep_and_the_purge_are_scheduled():
    """What `celery beat` sees, in a fresh process (as beat starts)."""
    import subprocess
    import sys

    from django.conf import settings

    script = (
        "import django; django.setup()\n"
        "from carecoord.celery import app\n"
        "app.loader.import_default_modules(); app.finalize(auto=True)\n"
        "print(sorted(app.conf.beat_schedule))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60, check=True
    )
    assert "imports: queue jobs that wait too long" in result.stdout
    assert "imports: purge previews after 24 hours" in result.stdout


@pytest.mark.django_db
def test_a_queued_import_does_not_run_for_someone_who_lost_the_right_since(
    client, coordinator, beheerder, school, school_class, background, django_capture_on_commit_callbacks
):
    """Every kind's job asks its own right again when it runs: here the pupil import's
    (school.import_students), after the coordinator became a mentor only."""
    from accounts.models import Role
    from accounts.services import staff_roles_set

    client.force_login(coordinator)
    location = upload(client, pupil_file(5))["Location"]
    with django_capture_on_commit_callbacks(execute=False):
        client.post(location)  # queued; the worker has not picked it up yet
    batch = ImportBatch.objects.get()
    staff_roles_set(school=school, user=coordinator, roles=[Role.MENTOR], actor=beheerder)
    assert services.import_run(batch_id=batch.pk) == "failed"
    batch.refresh_from_db()
    assert Student.objects.count() == 0
    assert batch.errors == [
        f"{coordinator.name} mag dit niet meer inlezen (uitgeschakeld of zonder de rol); er is niets ingelezen."
    ]
    assert bytes(batch.content) == b""  # a failed job keeps no personal data


@pytest.mark.django_db
def test_someone_elses_job_and_columns_pages_are_404_and_other_roles_403(
    client, coordinator, beheerder, mentor, school_class
):
    client.force_login(coordinator)
    location = upload(client, pupil_file(2))["Location"]
    client.force_login(beheerder)
    for suffix in ("", "kolommen/", "voortgang/"):
        assert client.get(location + suffix).status_code == 404
    client.force_login(mentor)
    for suffix in ("", "kolommen/", "voortgang/"):
        assert client.get(location + suffix).status_code == 403


# --- A worker killed in the middle of applying ---------------------------------------------


def _other_backends(sql_filter: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            f"AND pid <> pg_backend_pid() AND {sql_filter}"
        )
        return cursor.fetchone()[0]


def _snapshot():
    return list(
        Student.objects.order_by("pk").values_list(
            "pk",
            "student_number",
            "first_name",
            "tussenvoegsel",
            "last_name",
            "date_of_birth",
            "school_class_id",
            "left_on",
            "updated_at",
        )
    )


@pytest.mark.worker
def test_a_killed_import_task_leaves_the_pupils_exactly_as_before(
    client, coordinator, school_class, background, transactional_db, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a row lock holds the task in the middle of its transaction")
    SchoolClassFactory(school=school_class.school, name="3B1", year=3, level="vmbo-b")
    existing = [StudentFactory(school_class=school_class, student_number=str(500000 + n)) for n in range(40)]
    before = _snapshot()
    # The September class move: everyone changes class and name; and 20 new pupils.
    client.force_login(coordinator)
    location = upload(client, pupil_file(60, klas="3B1", name="Nieuw"))["Location"]
    settings_dict = connection.settings_dict
    blocker = psycopg2.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
    )
    app.conf.task_always_eager = False
    try:
        app.control.purge()  # nothing left over in our own queue
        client.post(location)  # committed and queued on the real broker
        batch = ImportBatch.objects.get()
        assert batch.status == "queued"
        # Another session holds one pupil's row: the task's UPDATE waits there, after its INSERTs.
        with blocker.cursor() as cursor:
            cursor.execute("SELECT id FROM students_student WHERE id = %s FOR UPDATE", [existing[-1].pk])
        with testing.celery_worker_process(tmp_path / "worker.log") as worker:
            in_the_middle = testing.wait_until(
                lambda: _other_backends("wait_event_type = 'Lock' AND backend_xid IS NOT NULL"), 60
            )
            assert in_the_middle, (tmp_path / "worker.log").read_text()[-3000:]
            worker.kill()  # SIGKILL: no clean-up, no commit
            worker.wait(timeout=30)
        blocker.rollback()
        assert testing.wait_until(lambda: not _other_backends("backend_xid IS NOT NULL"), 30)
    finally:
        blocker.close()
        app.conf.task_always_eager = True
    assert _snapshot() == before  # exactly as before: no new pupils, no changed ones
    batch.refresh_from_db()
    assert batch.status == "running" and batch.attempts == 1
    # The sweep finds the job whose worker died and applies it, once.
    time.sleep(0.01)
    assert services.imports_sweep(silent=timedelta(0)) == 1
    assert Student.objects.count() == 60
    assert set(Student.objects.values_list("school_class__name", flat=True)) == {"3B1"}
    assert services.imports_sweep(silent=timedelta(0)) == 0
