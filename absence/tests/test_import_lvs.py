"""The absence import with the exports schools really have: the LVS's own codes (Absent,
Ziek, Medisch, Te laat, Verwijderd, …), mapped once per school, and the Geoorloofd column."""

import io
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from absence.models import AbsenceCodeMapping, AbsenceKind, AbsenceRecord
from imports.models import ImportBatch
from students.tests.factories import SchoolClassFactory, StudentFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
# The fixtures hold the school week of 5 to 9 October 2026; the import refuses dates in the
# future and more than two school years back, so the clock is set to the Monday after.
MONDAY_AFTER = date(2026, 10, 12)


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=MONDAY_AFTER):
        yield


@pytest.fixture
def pupils(school, school_class):
    klas = SchoolClassFactory(school=school, name="3B1", year=3, level="vmbo-b")
    numbers = ["210334", "210335", "210341", "310101", "310102", "310103"]
    made = {n: StudentFactory(school_class=school_class, student_number=n) for n in numbers}
    made.update({n: StudentFactory(school_class=klas, student_number=n) for n in ["209876", "209877"]})
    return made


def upload(client, data: bytes, name: str = "verzuim.csv"):
    return client.post("/verzuim/import/", {"file": SimpleUploadedFile(name, data)})


def test_unmapped_codes_are_listed_once_with_their_number_of_lines_and_block_confirmation(client, coordinator, pupils):
    client.force_login(coordinator)
    response = upload(client, (FIXTURES / "magister_verzuim.csv").read_bytes())
    assert response.status_code == 302  # not one error per line: a preview with a code step
    location = response["Location"]
    preview = client.get(location)
    codes = {raw: (count, target) for raw, _code, count, target, _source in preview.context["batch"].preview["codes"]}
    assert codes["Absent"] == (5, "") and codes["Medisch"] == (1, "") and codes["Huiswerk vergeten"] == (1, "")
    assert codes["Ziek"] == (2, "geoorloofd") and codes["Te laat"] == (1, "te_laat")
    # Once each, with its count: one row in the code table, once in the message.
    assert preview.text.count('for="id_code_absent"') == 1
    assert preview.text.count("Absent (5 regels)") == 1
    assert "Kies eerst hoe deze codes meetellen" in preview.text
    refused = client.post(location)
    assert refused.status_code == 200 and "Kies eerst hoe deze codes meetellen" in refused.text
    assert AbsenceRecord.objects.count() == 0


def test_the_school_maps_its_codes_once_and_the_geoorloofd_column_decides(client, coordinator, pupils):
    client.force_login(coordinator)
    location = upload(client, (FIXTURES / "magister_verzuim.csv").read_bytes())["Location"]
    batch = ImportBatch.objects.get()
    response = client.post(
        f"/verzuim/import/{batch.pk}/codes/",
        {"code_absent": "kolom", "code_medisch": "geoorloofd", "code_huiswerk vergeten": "negeren"},
    )
    assert response.status_code == 302
    preview = client.get(location)
    assert not preview.context["batch"].preview["blockers"]
    assert preview.context["summary"]["new"] == 10  # 11 lines, "Huiswerk vergeten" is not absence
    client.post(location)
    kinds = {(r.student.student_number, r.date.day, r.lesson): (r.kind, r.minutes) for r in AbsenceRecord.objects.all()}
    assert kinds[("210334", 5, 1)] == (AbsenceKind.UNAUTHORISED, 50)  # Absent, Geoorloofd Nee
    assert kinds[("210341", 7, 5)] == (AbsenceKind.AUTHORISED, 50)  # Absent, Geoorloofd Ja
    assert kinds[("210341", 7, 4)] == (AbsenceKind.AUTHORISED, 50)  # Medisch
    assert kinds[("210335", 5, 3)] == (AbsenceKind.LATE, 0)
    assert kinds[("209876", 8, 6)] == (AbsenceKind.SENT_OUT, 50)
    assert not AbsenceRecord.objects.filter(student__student_number="209877").exists()
    saved = AbsenceCodeMapping.objects.get(school=coordinator.memberships.first().school, code="absent")
    assert (saved.label, saved.target, saved.updated_by) == ("Absent", "kolom", coordinator)
    # The next export: the school's codes are known, no code step.
    again = upload(client, (FIXTURES / "magister_verzuim.csv").read_bytes())
    assert not client.get(again["Location"]).context["batch"].preview["blockers"]


def test_codes_are_mapped_per_school(client, coordinator, pupils, other_coordinator, other_school):
    AbsenceCodeMapping.objects.create(
        school=other_school, code="absent", label="Absent", target="ongeoorloofd", updated_by=other_coordinator
    )
    client.force_login(coordinator)
    location = upload(client, (FIXTURES / "magister_verzuim.csv").read_bytes())["Location"]
    codes = {raw: target for raw, _c, _n, target, _s in client.get(location).context["batch"].preview["codes"]}
    assert codes["Absent"] == ""  # another school's mapping is not ours


def test_a_somtoday_export_is_imported_without_editing(client, coordinator, pupils, school):
    AbsenceCodeMapping.objects.create(
        school=school, code="medisch", label="Medisch", target="geoorloofd", updated_by=coordinator
    )
    client.force_login(coordinator)
    location = upload(client, (FIXTURES / "somtoday_verzuim.csv").read_bytes())["Location"]
    assert client.get(location).context["summary"]["new"] == 5
    client.post(location)
    records = {(r.student.student_number, r.date.day): (r.kind, r.minutes) for r in AbsenceRecord.objects.all()}
    assert records[("310101", 5)] == (AbsenceKind.AUTHORISED, 400)
    assert records[("310103", 8)] == (AbsenceKind.UNAUTHORISED, 50)
    assert AbsenceRecord.objects.filter(kind=AbsenceKind.LATE, minutes=15).count() == 1


def test_a_code_that_depends_on_a_missing_geoorloofd_column_is_refused(client, coordinator, pupils):
    client.force_login(coordinator)
    data = b"Leerlingnummer;Datum;Lesuur;Code\n210334;05-10-2026;1;Absent\n"
    location = upload(client, data)["Location"]
    batch = ImportBatch.objects.get()
    client.post(f"/verzuim/import/{batch.pk}/codes/", {"code_absent": "kolom"})
    assert not AbsenceCodeMapping.objects.exists()
    assert "geen kolom Geoorloofd" in client.get(location).text


def test_a_number_without_its_leading_zeros_is_the_pupil(client, coordinator, school_class):
    StudentFactory(school_class=school_class, student_number="0012345")
    client.force_login(coordinator)
    location = upload(client, b"Stamnr;Datum;Lesuur;Code;Minuten\n12345;05-10-2026;1;Ongeoorloofd;50\n")["Location"]
    assert "voorloopnullen kwijt" in client.get(location).text
    client.post(location)
    assert AbsenceRecord.objects.get().student.student_number == "0012345"


def test_an_xlsx_absence_export_is_read(client, coordinator, pupils):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Stamnr", "Datum", "Uur", "Absentie", "Geoorloofd"])
    workbook.active.append([210334, date(2026, 10, 6), 2, "Ziek", "Ja"])
    content = io.BytesIO()
    workbook.save(content)
    client.force_login(coordinator)
    location = upload(client, content.getvalue(), "verzuim.xlsx")["Location"]
    client.post(location)
    record = AbsenceRecord.objects.get()
    assert (record.date, record.lesson, record.kind) == (date(2026, 10, 6), 2, AbsenceKind.AUTHORISED)


def test_an_edexml_file_is_not_an_absence_export(client, coordinator, pupils):
    client.force_login(coordinator)
    edexml = (Path(__file__).parents[2] / "students/tests/fixtures/edexml_leerlingen.xml").read_bytes()
    response = upload(client, edexml, "edex.xml")
    assert "bevat leerlingen, geen verzuim" in response.text
    assert not ImportBatch.objects.exists()


def test_only_the_uploader_may_map_codes(client, coordinator, verzuimcoordinator, mentor, pupils):
    client.force_login(coordinator)
    upload(client, (FIXTURES / "magister_verzuim.csv").read_bytes())
    url = f"/verzuim/import/{ImportBatch.objects.get().pk}/codes/"
    client.force_login(verzuimcoordinator)
    assert client.post(url, {"code_absent": "ongeoorloofd"}).status_code == 404
    client.force_login(mentor)
    assert client.post(url, {"code_absent": "ongeoorloofd"}).status_code == 403
    assert not AbsenceCodeMapping.objects.exists()


def test_the_command_stops_at_a_code_the_school_has_not_mapped(tmp_path, coordinator, pupils, school):
    from django.core.management import CommandError, call_command

    path = tmp_path / "verzuim.csv"
    path.write_bytes((FIXTURES / "magister_verzuim.csv").read_bytes())
    with pytest.raises(CommandError, match="Absent \\(5 regels\\)"):
        call_command("import_absence", school.brin_code, str(path), "--as", coordinator.email)
    assert AbsenceRecord.objects.count() == 0
    for code, target in (("absent", "kolom"), ("medisch", "geoorloofd"), ("huiswerk vergeten", "negeren")):
        AbsenceCodeMapping.objects.create(school=school, code=code, label=code, target=target, updated_by=coordinator)
    call_command("import_absence", school.brin_code, str(path), "--as", coordinator.email)
    assert AbsenceRecord.objects.count() == 10
