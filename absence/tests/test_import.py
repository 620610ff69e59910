"""The LVS absence import: the pupil import's rules (every bad line reported, nothing
half-imported, re-import idempotent), and the signals recomputed afterwards."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from absence.models import AbsenceKind, AbsenceRecord, AbsenceSignal, AbsenceSource, SignalLevel
from imports.models import ImportBatch

from .factories import absent

pytestmark = pytest.mark.django_db

HEADER = "leerlingnummer;datum;lesuur;soort;minuten;uren"


def weekday(n: int):
    """The n-th weekday before today (registrations on school days, whatever day tests run)."""
    found = timezone.localdate()
    while n:
        found -= timedelta(days=1)
        if found.weekday() < 5:
            n -= 1
    return found


def day(n: int) -> str:
    return weekday(n).strftime("%d-%m-%Y")


def good_lines():
    # Pupil 100001 is the `student` fixture (Daan Jansen).
    return [
        f"100001;{day(3)};1;ongeoorloofd;50;",
        f"100001;{day(3)};2;Spijbelen;;",  # a lesson, no minutes: one lesson of 50 minutes
        f"100001;{day(2)};;ziek;;6",  # six hours, authorised
        f"100001;{day(1)};1;te laat;;",  # late, no minutes
    ]


def csv_bytes(lines, *, header=HEADER, delimiter=";", encoding="utf-8"):
    return ("\n".join([header, *lines]).replace(";", delimiter) + "\n").encode(encoding)


def upload(client, data, name="verzuim.csv"):
    return client.post("/verzuim/import/", {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm(client, response):
    assert response.status_code == 302, response.content[:3000]
    return client.post(response["Location"])


def test_coordinator_can_import_a_good_file_after_a_preview(
    client, coordinator, student, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = upload(client, csv_bytes(good_lines()))
    preview = client.get(response["Location"])
    assert preview.context["batch"].summary["new"] == 4
    assert AbsenceRecord.objects.count() == 0  # nothing written before confirming
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, response)
    rows = {(r.lesson, r.kind): r.minutes for r in AbsenceRecord.objects.filter(student=student)}
    assert rows == {
        (1, AbsenceKind.UNAUTHORISED): 50,
        (2, AbsenceKind.UNAUTHORISED): 50,
        (0, AbsenceKind.AUTHORISED): 360,
        (1, AbsenceKind.LATE): 0,
    }
    assert bytes(ImportBatch.objects.get().content) == b""  # the file's personal data is not kept
    assert AbsenceSignal.objects.get(student=student).unauthorised_minutes == 100  # recomputed


def test_every_bad_line_is_reported_and_nothing_is_written(client, coordinator, student, other_student):
    client.force_login(coordinator)
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d-%m-%Y")
    bad = [
        good_lines()[0],
        f"999999;{day(3)};1;ongeoorloofd;50;",  # line 3: unknown pupil
        f"{other_student.student_number};{day(3)};1;ongeoorloofd;50;",  # line 4: pupil of another school
        "100001;31-02-2026;1;ongeoorloofd;50;",  # line 5: impossible date
        f"100001;{tomorrow};1;ongeoorloofd;50;",  # line 6: future
        f"100001;{day(3)};1;feestje;50;",  # line 7: an unknown code: listed once on the preview, not an error
        f"100001;{day(3)};;ongeoorloofd;;",  # line 8: no minutes, no lesson
        f"100001;{day(3)};1;ongeoorloofd;30;",  # line 9: same key as line 2
        f"100001;{day(3)};25;geoorloofd;veel;",  # line 10: lesson and minutes wrong
        f"100001;{day(3)};3;ziek;;1,5x",  # line 11: hours wrong
    ]
    response = upload(client, csv_bytes(bad))
    assert response.status_code == 200
    errors = dict(response.context["errors"])
    assert set(errors) == {3, 4, 5, 6, 8, 9, 10, 11}
    assert "999999" in errors[3] and "geen leerling van deze school" in errors[3]
    assert "geen leerling van deze school" in errors[4]
    assert "31-02-2026" in errors[5]
    assert "toekomst" in errors[6]
    assert "minuten of uren ontbreekt" in errors[8]
    assert "regel 2" in errors[9]
    assert "lesuur '25'" in errors[10] and "minuten 'veel'" in errors[10]
    assert "1,5x" in errors[11]
    assert "Regel 3:" in response.text
    assert AbsenceRecord.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_reimporting_the_same_file_changes_nothing(client, coordinator, student):
    client.force_login(coordinator)
    confirm(client, upload(client, csv_bytes(good_lines())))
    ids = set(AbsenceRecord.objects.values_list("pk", flat=True))
    response = upload(client, csv_bytes(good_lines()))
    summary = client.get(response["Location"]).context["batch"].summary
    assert (summary["new"], summary["changed"], summary["removed"], summary["unchanged"]) == (0, 0, 0, 4)
    confirm(client, response)
    assert set(AbsenceRecord.objects.values_list("pk", flat=True)) == ids


def test_a_corrected_export_replaces_the_pupils_day_and_keeps_manual_entries(client, coordinator, student):
    client.force_login(coordinator)
    confirm(client, upload(client, csv_bytes(good_lines())))
    manual = absent(student, weekday(3), 20, lesson=5, source=AbsenceSource.MANUAL)
    # In the LVS, lesson 2 of that day turned out to be a dentist visit; lesson 1 was 45 minutes.
    corrected = [
        f"100001;{day(3)};1;ongeoorloofd;45;",
        f"100001;{day(3)};2;tandarts;;",
    ]
    response = upload(client, csv_bytes(corrected))
    summary = client.get(response["Location"]).context["batch"].summary
    assert (summary["new"], summary["changed"], summary["removed"], summary["unchanged"]) == (1, 1, 1, 0)
    confirm(client, response)
    that_day = AbsenceRecord.objects.filter(student=student, date=weekday(3))
    assert {(r.lesson, r.kind, r.minutes, r.source) for r in that_day} == {
        (1, AbsenceKind.UNAUTHORISED, 45, "import"),
        (2, AbsenceKind.AUTHORISED, 50, "import"),
        (5, AbsenceKind.UNAUTHORISED, 20, "handmatig"),
    }
    assert AbsenceRecord.objects.filter(pk=manual.pk).exists()
    assert AbsenceRecord.objects.filter(student=student).count() == 5  # the other days stay


def test_an_import_confirmed_twice_is_applied_once(client, coordinator, student):
    client.force_login(coordinator)
    response = upload(client, csv_bytes(good_lines()))
    confirm(client, response)
    again = client.post(response["Location"])
    assert "al ingelezen" in again.text
    assert AbsenceRecord.objects.count() == 4


def test_comma_windows_1252_and_english_headers_with_spaces(client, coordinator, student):
    client.force_login(coordinator)
    header = "Leerlingnummer,Datum,Soort,Uren,Opmerking"
    data = csv_bytes(
        [f'100001,{day(4)},Ongeoorloofd afwezig,"1,5",café'], header=header, delimiter=",", encoding="cp1252"
    )
    confirm(client, upload(client, data))
    assert AbsenceRecord.objects.get().minutes == 90


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x00\x00binary-xlsx", "geen CSV-bestand"),
        (b"", "leeg"),
        (b"naam;adres\nJan;Straat 1\n", "mist de kolom"),
        (HEADER.encode() + b"\n", "geen verzuimregels"),
    ],
)
def test_a_file_that_is_not_an_absence_csv_gets_a_clear_message(client, coordinator, student, data, message):
    client.force_login(coordinator)
    response = upload(client, data)
    assert response.status_code == 200
    assert message in response.text


@pytest.mark.denies("school.import_absence")
def test_mentor_cannot_import_absence(client, mentor, student):
    client.force_login(mentor)
    assert upload(client, csv_bytes(good_lines())).status_code == 403


def test_management_command_imports_and_computes(coordinator, student, tmp_path, capsys):
    path = tmp_path / "verzuim.csv"
    path.write_bytes(csv_bytes([f"100001;{day(1)};;ongeoorloofd;600;"]))
    call_command("import_absence", student.school.brin_code, str(path), "--as", coordinator.email)
    assert AbsenceRecord.objects.count() == 1
    out = capsys.readouterr().out
    assert "new=1" in out and "signalled=1" in out
    assert AbsenceSignal.objects.get(student=student).level == SignalLevel.EARLY


def test_management_command_reports_bad_lines(coordinator, student, tmp_path):
    path = tmp_path / "verzuim.csv"
    path.write_bytes(csv_bytes([f"999;{day(1)};;ongeoorloofd;600;"]))
    with pytest.raises(CommandError, match="1 bad line"):
        call_command("import_absence", student.school.brin_code, str(path), "--as", coordinator.email)
    assert AbsenceRecord.objects.count() == 0


def test_a_complete_export_removes_what_the_lvs_no_longer_has_only_when_confirmed(
    client, coordinator, student, school_class
):
    from students.tests.factories import StudentFactory

    StudentFactory(school_class=school_class, student_number="100002")
    client.force_login(coordinator)
    confirm(client, upload(client, csv_bytes(good_lines())))
    # The LVS dropped the late arrival of the last day (the pupil was on time after all);
    # another pupil was absent that day.
    later = good_lines()[:3] + [f"100002;{day(1)};;ongeoorloofd;50;"]
    response = upload(client, csv_bytes(later))
    preview = client.get(response["Location"])
    assert preview.context["batch"].summary["elsewhere"] == 1
    assert "al het verzuim van de school" in preview.text
    confirm(client, response)  # not ticked: the late arrival stays
    assert AbsenceRecord.objects.filter(kind=AbsenceKind.LATE).exists()
    response = upload(client, csv_bytes(later))
    assert client.post(response["Location"], {"complete": "on"}).status_code == 200
    assert not AbsenceRecord.objects.filter(kind=AbsenceKind.LATE).exists()
    assert AbsenceRecord.objects.count() == 4
