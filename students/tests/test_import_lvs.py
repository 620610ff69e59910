"""The pupil import with the files schools really have: exports of Magister, SOMtoday and
ParnasSys as they come out of the LVS (CSV, Excel, Edexml), an export we do not know
(the column-mapping step), Excel round trips, and bad input that must be refused with a
message that says what to do."""

import codecs
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.models import ColumnMapping, ImportBatch
from students.models import Student
from students.tests.factories import SchoolClassFactory, StudentFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def classes(school, school_class):
    SchoolClassFactory(school=school, name="3B1", year=3, level="vmbo-b")
    SchoolClassFactory(school=school, name="2H1", year=2, level="havo")
    SchoolClassFactory(school=school, name="3V2", year=3, level="vwo")
    return school


def upload(client, data: bytes, name: str):
    return client.post("/leerlingen/import/", {"file": SimpleUploadedFile(name, data)})


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def preview_of(client, response):
    assert response.status_code == 302, response.content[:3000].decode(errors="replace")
    return client.get(response["Location"])


@pytest.mark.parametrize(
    ("name", "count", "number", "expected"),
    [
        ("magister_leerlingen.csv", 8, "210341", ("Daniëlle", "van den", "Berg", "2012-01-01", "2K1")),
        ("somtoday_leerlingen.csv", 6, "310106", ("Jesse", "", "Smit, de Graaf", "2011-10-09", "3B1")),
        ("parnassys_leerlingen.csv", 5, "4713", ("Joep", "van der", "Wal", "2010-12-01", "3B1")),
        ("magister_leerlingen.xlsx", 4, "210502", ("Yara", "el", "Idrissi", "2011-12-24", "2K1")),
        ("edexml_leerlingen.xml", 3, "400102", ("Emre", "", "Yılmaz", "2011-11-15", "3B1")),
    ],
)
def test_an_lvs_export_is_imported_without_editing(client, coordinator, classes, name, count, number, expected):
    client.force_login(coordinator)
    preview = preview_of(client, upload(client, fixture(name), name))
    assert preview.context["summary"]["new"] == count
    assert Student.objects.count() == 0
    client.post(preview.wsgi_request.path)
    assert Student.objects.filter(school=classes).count() == count
    pupil = Student.objects.get(student_number=number)
    assert (
        pupil.first_name,
        pupil.tussenvoegsel,
        pupil.last_name,
        pupil.date_of_birth.isoformat(),
        pupil.school_class.name,
    ) == expected


def test_the_preview_says_how_the_file_was_read_and_which_columns_are_not_used(client, coordinator, classes):
    client.force_login(coordinator)
    preview = preview_of(client, upload(client, fixture("magister_leerlingen.csv"), "leerlingen.csv"))
    assert "Windows-1252" in preview.text and "puntkomma" in preview.text
    assert "Studie" in preview.text and "Voorletters" in preview.text  # listed as not used


def test_an_unknown_export_goes_through_the_mapping_step_and_the_mapping_is_used_next_time(
    client, coordinator, classes
):
    client.force_login(coordinator)
    data = fixture("onbekend_leerlingen.csv")
    response = upload(client, data, "export.csv")
    assert response.status_code == 200
    assert "mist de kolom" in response.text
    assert "Familienaam" in response.text and "Vos" in response.text  # the first rows as a preview
    batch = ImportBatch.objects.get()
    assert batch.status == "mapping"
    # Columns: LL-ID, Voornaam leerling, Tussen, Familienaam, Geboren, Klas/groep, Mentor.
    choice = {
        "leerlingnummer": "0",
        "voornaam": "1",
        "tussenvoegsel": "2",
        "achternaam": "3",
        "geboortedatum": "4",
        "klas": "5",
    }
    response = client.post(f"/leerlingen/import/{batch.pk}/kolommen/", choice)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.context["summary"]["new"] == 4
    client.post(response["Location"])
    julia = Student.objects.get(student_number="A-1002")
    assert (julia.first_name, julia.tussenvoegsel, julia.last_name) == ("Julia", "van", "Leeuwen")
    saved = ColumnMapping.objects.get(school=classes, kind="students")
    assert saved.columns["achternaam"] == "familienaam" and saved.updated_by == coordinator
    # Next week's export of the same LVS: no mapping step, straight to the preview.
    again = upload(client, data.replace(b"Vos", b"de Vos"), "export-week-2.csv")
    assert again.status_code == 302
    assert client.get(again["Location"]).context["summary"]["updated"] == 1


def test_mapping_two_fields_to_one_column_is_refused_and_nothing_is_saved(client, coordinator, classes):
    client.force_login(coordinator)
    upload(client, fixture("onbekend_leerlingen.csv"), "export.csv")
    batch = ImportBatch.objects.get()
    response = client.post(
        f"/leerlingen/import/{batch.pk}/kolommen/",
        {"leerlingnummer": "0", "voornaam": "1", "achternaam": "1", "geboortedatum": "4", "klas": "5"},
    )
    assert response.status_code == 200
    assert "Kolom &#x27;Voornaam leerling&#x27; is gekozen voor" in response.text
    assert "Kies voor elk veld een eigen kolom" in response.text
    assert not ColumnMapping.objects.exists()
    assert Student.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == "mapping"


def test_a_number_that_lost_its_leading_zeros_in_excel_is_matched_not_created_twice(client, coordinator, classes):
    daniëlle = StudentFactory(
        school_class=classes.classes.get(name="2K1"),
        student_number="0012345",
        first_name="Daniëlle",
        tussenvoegsel="van der",
        last_name="Berg",
    )
    born = daniëlle.date_of_birth.strftime("%d-%m-%Y")
    client.force_login(coordinator)
    data = f"Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Klas\n12345;Daniëlle;van der;Berg;{born};3B1\n".encode()
    response = upload(client, data, "na-excel.csv")
    preview = client.get(response["Location"])
    assert "12345: gekoppeld aan 0012345" in preview.text
    assert preview.context["summary"]["new"] == 0 and preview.context["summary"]["updated"] == 1
    client.post(response["Location"])
    assert Student.objects.count() == 1
    daniëlle.refresh_from_db()
    assert (daniëlle.student_number, daniëlle.school_class.name) == ("0012345", "3B1")


def test_the_leading_zero_match_reads_matched_in_english(client, coordinator, classes):
    StudentFactory(school_class=classes.classes.get(name="2K1"), student_number="0012345")
    client.force_login(coordinator)
    pupil = Student.objects.get()
    data = (
        f"Stamnr;Roepnaam;Achternaam;Geb.datum;Klas\n"
        f"12345;{pupil.first_name};{pupil.last_name};{pupil.date_of_birth:%d-%m-%Y};2K1\n"
    ).encode()
    location = upload(client, data, "na-excel.csv")["Location"]
    client.cookies["django_language"] = "en"
    preview = client.get(location)
    assert "12345: matched 0012345" in preview.text


def test_an_xlsx_with_the_number_as_a_number_cell_is_matched_too(client, coordinator, classes):
    import io

    from openpyxl import Workbook

    existing = StudentFactory(school_class=classes.classes.get(name="2K1"), student_number="0012345")
    sheet_file = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Leerlingnummer", "Roepnaam", "Achternaam", "Geboortedatum", "Stamgroep"])
    workbook.active.append([12345, existing.first_name, existing.last_name, existing.date_of_birth, "2K1"])
    workbook.save(sheet_file)
    client.force_login(coordinator)
    response = upload(client, sheet_file.getvalue(), "leerlingen.xlsx")
    preview = client.get(response["Location"])
    assert "gekoppeld aan 0012345" in preview.text
    client.post(response["Location"])
    assert Student.objects.count() == 1


def test_a_possible_duplicate_blocks_confirmation_until_it_is_resolved(client, coordinator, classes):
    existing = StudentFactory(
        school_class=classes.classes.get(name="2K1"),
        student_number="210341",
        first_name="Daniëlle",
        tussenvoegsel="van den",
        last_name="Berg",
    )
    client.force_login(coordinator)
    data = (
        "Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Klas\n"
        f"299001;Daniëlle;van den;Berg;{existing.date_of_birth:%d-%m-%Y};2K1\n"
        "299002;Sem;;Vos;01-02-2012;2K1\n"
    ).encode()
    location = upload(client, data, "leerlingen.csv")["Location"]
    preview = client.get(location)
    assert "Mogelijke dubbele leerlingen" in preview.text and "210341" in preview.text
    refused = client.post(location)
    assert refused.status_code == 200
    assert "Kies of dit dezelfde leerling is." in refused.text
    assert Student.objects.count() == 1  # nothing written, not even Sem
    client.post(location, {"duplicate_2": str(existing.pk)})
    assert Student.objects.count() == 2  # Sem is new; Daniëlle is the same pupil
    existing.refresh_from_db()
    assert existing.student_number == "299001"


def test_a_possible_duplicate_may_be_another_pupil(client, coordinator, classes):
    existing = StudentFactory(school_class=classes.classes.get(name="2K1"), student_number="1")
    client.force_login(coordinator)
    data = (
        "Stamnr;Roepnaam;Achternaam;Geb.datum;Klas\n"
        f"2;{existing.first_name};{existing.last_name};{existing.date_of_birth:%d-%m-%Y};2K1\n"
    ).encode()
    location = upload(client, data, "leerlingen.csv")["Location"]
    client.post(location, {"duplicate_2": "new"})
    assert set(Student.objects.values_list("student_number", flat=True)) == {"1", "2"}


def test_a_question_mark_where_excel_lost_a_letter_is_flagged_and_the_name_kept(client, coordinator, classes):
    existing = StudentFactory(
        school_class=classes.classes.get(name="2K1"), student_number="210341", first_name="Daniëlle", last_name="Öztürk"
    )
    client.force_login(coordinator)
    data = (
        "Stamnr;Roepnaam;Achternaam;Geb.datum;Klas\n"
        f"210341;Dani?lle;?zt?rk;{existing.date_of_birth:%d-%m-%Y};3B1\n"
        "210342;Zo?;Janssen;01-02-2012;2K1\n"
    ).encode("cp1252")
    location = upload(client, data, "leerlingen.csv")["Location"]
    preview = client.get(location)
    assert "Excel kon een letter niet opslaan" in preview.text and "Daniëlle" in preview.text
    assert "Regel 3: de naam bevat een" in preview.text  # a new pupil: look at it
    client.post(location)
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name, existing.school_class.name) == ("Daniëlle", "Öztürk", "3B1")


# --- Bad input: a message that says what to do, and nothing written --------------------------


def test_a_title_line_above_the_header_is_refused_with_what_to_do(client, coordinator, classes):
    client.force_login(coordinator)
    data = b"Leerlingenlijst SG De Waard 2026-2027\n" + fixture("parnassys_leerlingen.csv")
    response = upload(client, data, "lijst.csv")
    assert response.status_code == 200
    assert "de kolomnamen staan pas op regel 2" in response.text
    assert "Haal de regel(s) boven de kolomnamen weg" in response.text
    assert not ImportBatch.objects.exists() and Student.objects.count() == 0


def test_an_old_excel_file_is_refused_with_how_to_save_it(client, coordinator, classes):
    client.force_login(coordinator)
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    response = upload(client, xls, "leerlingen.xls")
    assert "oud Excel-bestand (.xls)" in response.text and "Excel-werkmap (.xlsx) of als CSV" in response.text
    assert not ImportBatch.objects.exists()


def test_an_edexml_failing_its_schema_is_refused(client, coordinator, classes):
    client.force_login(coordinator)
    bad = fixture("edexml_leerlingen.xml").replace(b"<geboortedatum>2012-03-07", b"<geboortedatum>07-03-2012")
    response = upload(client, bad, "edex.xml")
    assert response.status_code == 200
    assert "voldoet niet aan het Edexml-schema" in response.text and "regel 29" in response.text
    assert "Maak de export opnieuw" in response.text
    assert not ImportBatch.objects.exists() and Student.objects.count() == 0


def test_an_edexml_of_another_school_is_refused(client, coordinator, classes):
    client.force_login(coordinator)
    other = fixture("edexml_leerlingen.xml").replace(b"<brincode>11AA", b"<brincode>99ZZ")
    response = upload(client, other, "edex.xml")
    assert "van school 99ZZ" in response.text
    assert not ImportBatch.objects.exists()


def test_a_utf16_unicode_text_file_from_excel_is_read(client, coordinator, classes):
    """Excel's "Unicode-tekst": UTF-16 with a byte order mark, tab-separated. The pipeline
    reads it (encoding and separator are its job); the preview says how it was read."""
    client.force_login(coordinator)
    text = fixture("parnassys_leerlingen.csv").decode().replace(";", "\t").replace("\n", "\r\n")
    response = upload(client, codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "leerlingen.txt")
    preview = preview_of(client, response)
    assert "UTF-16" in preview.text and "tab" in preview.text
    assert preview.context["summary"]["new"] == 5


def test_a_utf16_file_without_byte_order_mark_gets_a_message(client, coordinator, classes):
    client.force_login(coordinator)
    response = upload(client, "Stamnr;Roepnaam\n1;Jan\n".encode("utf-16-le"), "leerlingen.txt")
    assert "Sla de export uit het LVS op als CSV" in response.text
    assert not ImportBatch.objects.exists()


# --- Applying many updates: no CASE expressions --------------------------------------------


def test_updates_are_applied_without_case_expressions(client, coordinator, classes):
    klas = classes.classes.get(name="2K1")
    pupils = [StudentFactory(school_class=klas, student_number=str(700 + n)) for n in range(30)]
    client.force_login(coordinator)
    lines = ["Stamnr;Roepnaam;Achternaam;Geb.datum;Klas"] + [
        f"{p.student_number};Nieuw{n};{p.last_name};{p.date_of_birth:%d-%m-%Y};3B1" for n, p in enumerate(pupils)
    ]
    location = upload(client, "\n".join(lines).encode(), "klassenwissel.csv")["Location"]
    with CaptureQueriesContext(connection) as queries:
        client.post(location)
    assert not [q for q in queries.captured_queries if "CASE WHEN" in q["sql"]]
    if connection.vendor == "postgresql":
        assert [q for q in queries.captured_queries if "FROM import_student_update" in q["sql"]]
    assert set(Student.objects.values_list("school_class__name", flat=True)) == {"3B1"}
    assert Student.objects.get(student_number="705").first_name == "Nieuw5"


def test_the_command_reads_an_lvs_export_and_uses_the_schools_saved_mapping(tmp_path, coordinator, classes):
    from django.core.management import CommandError, call_command

    magister = tmp_path / "magister.csv"
    magister.write_bytes(fixture("magister_leerlingen.csv"))
    call_command("import_students", classes.brin_code, str(magister), "--as", coordinator.email)
    assert Student.objects.count() == 8
    unknown = tmp_path / "export.csv"
    unknown.write_bytes(fixture("onbekend_leerlingen.csv"))
    with pytest.raises(CommandError, match="mist de kolom"):
        call_command("import_students", classes.brin_code, str(unknown), "--as", coordinator.email)
    ColumnMapping.objects.create(
        school=classes,
        kind="students",
        updated_by=coordinator,
        columns={
            "leerlingnummer": "llid",
            "voornaam": "voornaamleerling",
            "tussenvoegsel": "tussen",
            "achternaam": "familienaam",
            "geboortedatum": "geboren",
            "klas": "klasgroep",
        },
    )
    call_command("import_students", classes.brin_code, str(unknown), "--as", coordinator.email)
    assert Student.objects.get(student_number="A-1003").tussenvoegsel == "el"
