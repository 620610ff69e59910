import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from imports.models import ImportBatch
from students.models import Guardian, Student, TimelineEvent
from students.tests.factories import SchoolClassFactory

pytestmark = pytest.mark.django_db

HEADER = "leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;klas;niveau;leerjaar;ouder1_naam;ouder1_relatie;ouder1_telefoon;ouder1_email;ouder1_gezag"
GOOD = [
    "200001;Sanne;de;Vries;07-03-2012;2K1;vmbo-k;2;Petra de Vries;moeder;06-12345678;petra@example.nl;ja",
    "200002;Noah;;Bakker;15-11-2011;2K1;;;Karel Bakker;vader;;;nee",
    "200003;Emma;van den;Berg;01-01-2012;3B1;vmbo-b;3;;;;;",
]


def csv_bytes(lines, *, delimiter=";", bom=False, header=HEADER):
    text = "\n".join([header, *lines]).replace(";", delimiter) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


@pytest.fixture
def classes(school, school_class):
    SchoolClassFactory(school=school, name="3B1", year=3, level="vmbo-b")
    return school_class  # 2K1, vmbo-k, year 2


def upload(client, data, name="leerlingen.csv"):
    return client.post("/leerlingen/import/", {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm(client, response, **extra):
    assert response.status_code == 302, response.content[:2000]
    return client.post(response["Location"], extra)


def test_good_file_is_previewed_then_imported(client, coordinator, classes):
    client.force_login(coordinator)
    response = upload(client, csv_bytes(GOOD))
    preview = client.get(response["Location"])
    assert preview.context["summary"]["new"] == 3
    assert Student.objects.count() == 0  # nothing written before confirming
    confirm(client, response)
    sanne = Student.objects.get(student_number="200001")
    assert (sanne.first_name, sanne.tussenvoegsel, sanne.last_name, sanne.date_of_birth.isoformat()) == (
        "Sanne",
        "de",
        "Vries",
        "2012-03-07",
    )
    assert sanne.school_class.name == "2K1"
    assert Guardian.objects.get(student=sanne).email == "petra@example.nl"
    assert Guardian.objects.get(student__student_number="200002").has_authority is False
    assert TimelineEvent.objects.filter(kind="students.imported").count() == 3
    assert bytes(ImportBatch.objects.get().content) == b""  # the file's personal data is not kept


def test_several_bad_lines_are_all_reported_and_nothing_is_written(client, coordinator, classes):
    client.force_login(coordinator)
    bad = [
        GOOD[0],
        "200002;Noah;;Bakker;31-02-2011;2K1;;;;;;;",  # impossible date (line 3)
        "200003;Emma;;Berg;01-01-2012;9Z9;;;;;;;",  # unknown class (line 4)
        "200001;Sam;;Smit;01-01-2012;2K1;;;;;;;",  # number twice (line 5)
        "200004;;;Smit;2012-13-01;2K1;havo;;;;;;",  # no first name, bad date, wrong level (line 6)
        "200005;Lars;;Mol;01-01-2012;2K1;;;Ouder;oom;;geen-mail;misschien",  # guardian fields (line 7)
    ]
    response = upload(client, csv_bytes(bad))
    assert response.status_code == 200
    errors = dict(response.context["errors"])
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "31-02-2011" in errors[3] and "geen bestaande datum" in errors[3]
    assert "9Z9" in errors[4]
    assert "regel 2" in errors[5]
    assert "voornaam ontbreekt" in errors[6] and "niveau" in errors[6]
    assert "oom" in errors[7] and "geen-mail" in errors[7] and "misschien" in errors[7]
    assert "Regel 3:" in response.text
    assert Student.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_reimport_updates_and_never_duplicates(client, coordinator, classes):
    client.force_login(coordinator)
    confirm(client, upload(client, csv_bytes(GOOD)))
    changed = [GOOD[0].replace("2K1;vmbo-k;2", "3B1;vmbo-b;3").replace("Petra", "Petra M."), GOOD[1], GOOD[2]]
    response = upload(client, csv_bytes(changed))
    preview = client.get(response["Location"])
    assert preview.context["summary"] == {"new": 0, "updated": 1, "guardians": 1, "unchanged": 2, "missing": 0}
    confirm(client, response)
    assert Student.objects.count() == 3
    sanne = Student.objects.get(student_number="200001")
    assert sanne.school_class.name == "3B1"
    assert list(sanne.guardians.values_list("name", flat=True)) == ["Petra M. de Vries"]
    assert TimelineEvent.objects.filter(student=sanne, kind="students.import_updated").count() == 1


def test_hand_entered_guardians_survive_a_reimport(client, coordinator, classes):
    client.force_login(coordinator)
    confirm(client, upload(client, csv_bytes(GOOD)))
    sanne = Student.objects.get(student_number="200001")
    Guardian.objects.create(student=sanne, name="Oma de Vries", relation="anders")
    confirm(client, upload(client, csv_bytes([GOOD[0].replace("06-12345678", "06-87654321"), *GOOD[1:]])))
    assert set(sanne.guardians.values_list("name", flat=True)) == {"Petra de Vries", "Oma de Vries"}


def test_missing_pupils_are_marked_left_only_after_confirmation(client, coordinator, classes):
    client.force_login(coordinator)
    confirm(client, upload(client, csv_bytes(GOOD)))
    response = upload(client, csv_bytes(GOOD[:2]))
    assert client.get(response["Location"]).context["summary"]["missing"] == 1
    confirm(client, response)  # not ticked
    assert Student.objects.get(student_number="200003").left_on is None
    confirm(client, upload(client, csv_bytes(GOOD[:2])), mark_missing_left="on")
    assert Student.objects.get(student_number="200003").left_on is not None
    # In the next export again: enrolled again.
    confirm(client, upload(client, csv_bytes(GOOD)))
    assert Student.objects.get(student_number="200003").left_on is None


def test_semicolon_or_comma_with_or_without_bom(client, coordinator, classes):
    client.force_login(coordinator)
    confirm(client, upload(client, csv_bytes(GOOD[:1], bom=True)))
    lines = ['200002,Noah,,Bakker,15-11-2011,2K1,,,"Bakker, Karel",vader,,,ja']
    confirm(client, upload(client, csv_bytes(lines, delimiter=",", bom=True)))
    assert Student.objects.count() == 2
    assert Guardian.objects.get(student__student_number="200002").name == "Bakker, Karel"
    assert not Student.objects.filter(student_number__startswith="\ufeff").exists()


def test_windows_1252_export_is_read(client, coordinator, classes):
    client.force_login(coordinator)
    data = (HEADER + "\n200001;Zoë;;Janssen;07-03-2012;2K1;;;;;;;\n").encode("cp1252")
    confirm(client, upload(client, data))
    assert Student.objects.get().first_name == "Zoë"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x00\x00binary-xlsx", "geen CSV-bestand"),
        (b"", "leeg"),
        (b"naam;adres\nJan;Straat 1\n", "mist de kolom"),
        (HEADER.encode() + b"\n", "geen leerlingen"),
    ],
)
def test_a_file_that_is_not_a_pupil_csv_gets_a_clear_message(client, coordinator, classes, data, message):
    client.force_login(coordinator)
    response = upload(client, data)
    assert response.status_code == 200
    assert message in response.text
    assert Student.objects.count() == 0


def test_a_50_mb_upload_is_refused_with_a_message(client, coordinator, classes):
    client.force_login(coordinator)
    big = csv_bytes(GOOD) + b"#" * (50 * 1024 * 1024)
    response = upload(client, big, name="groot.csv")
    assert response.status_code == 200
    assert "het maximum is 10 MB" in response.text
    assert Student.objects.count() == 0


def test_confirming_twice_imports_once(client, coordinator, classes):
    client.force_login(coordinator)
    response = upload(client, csv_bytes(GOOD))
    confirm(client, response)
    second = client.post(response["Location"])
    assert "al ingelezen" in second.text
    assert Student.objects.count() == 3


def test_a_class_removed_between_preview_and_confirm_aborts_everything(client, coordinator, classes, school):
    client.force_login(coordinator)
    response = upload(client, csv_bytes(GOOD))
    school.classes.filter(name="3B1").delete()
    result = client.post(response["Location"], follow=True)
    assert "Regel 4" in result.text
    assert Student.objects.count() == 0


@pytest.mark.denies("school.import_students")
@pytest.mark.parametrize("role_fixture", ["mentor", "partner_user", "schoolleider"])
def test_only_coordinator_and_beheerder_may_import(client, request, role_fixture, classes):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get("/leerlingen/import/").status_code == 403
    assert upload(client, csv_bytes(GOOD)).status_code == 403


def test_someone_elses_import_cannot_be_confirmed(client, coordinator, beheerder, classes, other_coordinator):
    client.force_login(coordinator)
    location = upload(client, csv_bytes(GOOD))["Location"]
    client.force_login(beheerder)
    assert client.post(location).status_code == 404
    client.force_login(other_coordinator)
    assert client.post(location).status_code in (403, 404)
    assert Student.objects.count() == 0


def test_no_pupil_names_in_urls_or_log_lines(client, coordinator, classes, caplog):
    client.force_login(coordinator)
    with caplog.at_level(logging.DEBUG):
        response = upload(client, csv_bytes(GOOD))
        assert "Sanne" not in response["Location"]
        confirm(client, response)
        client.get(Student.objects.get(student_number="200001").get_absolute_url())
    assert "Sanne" not in caplog.text and "Vries" not in caplog.text


def test_management_command_imports_and_reports_bad_lines(tmp_path, coordinator, classes, school):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(GOOD))
    call_command("import_students", school.brin_code, str(good), "--as", coordinator.email)
    assert Student.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(["200009;;;X;01-01-2012;2K1;;;;;;;"]))
    with pytest.raises(CommandError, match="1 bad line"):
        call_command("import_students", school.brin_code, str(bad), "--as", coordinator.email)
    assert Student.objects.count() == 3
