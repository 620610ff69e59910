"""Every export (issue 12): formula cells neutralised in CSV and .xlsx (OWASP CSV injection),
leerlingnummers kept as text, each exported pupil in the read log, never cached."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from carecoord import exports
from referrals.models import FacilityKind
from referrals.tests.factories import FacilityFactory, placed, visit
from students.models import FileAccess
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

# A pupil whose name a spreadsheet would run: every dangerous first character of OWASP's list.
EVIL = {
    "first_name": '=HYPERLINK("http://evil.test";"klik")',
    "tussenvoegsel": "@SUM(1)",
    "last_name": "+cmd|' /C calc'!A0",
}


@pytest.fixture
def pupils(school_class, coach):
    """An ordinary pupil with leading zeros and an evil one, both in an SO+ group this month."""
    plain = StudentFactory(school_class=school_class, first_name="Daan", last_name="Jansen", student_number="0012345")
    evil = StudentFactory(school_class=school_class, student_number="-0099", **EVIL)
    group = FacilityFactory(school=school_class.school, name="\tSO+ groep", kind=FacilityKind.GROUP, coaches=[coach])
    first_of_month = timezone.localdate().replace(day=1)
    for pupil in (plain, evil):
        placement = placed(pupil, group, start_on=first_of_month)
        visit(pupil, group, at=timezone.now() - timedelta(hours=1), minutes=30, by=coach, placement=placement)
    return plain, evil


EXPORTS = {
    "pupils": "/leerlingen/export.{fmt}",
    "group hours": "/zorg/voorzieningen/groepsuren.{fmt}?maand=" + timezone.localdate().strftime("%Y-%m"),
}


def _csv_cells(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_cells(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows())


@pytest.mark.parametrize("export", list(EXPORTS))
def test_csv_export_neutralises_formula_cells_and_keeps_numbers_as_written(client, coordinator, pupils, export):
    plain, evil = pupils
    client.force_login(coordinator)
    response = client.get(EXPORTS[export].format(fmt="csv"))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    cells = [cell for row in _csv_cells(response) for cell in row]
    assert not [c for c in cells if c.startswith(exports.FORMULA_STARTS)], "a cell a spreadsheet would run"
    assert "'-0099" in cells and "0012345" in cells
    if export == "pupils":
        assert {'\'=HYPERLINK("http://evil.test";"klik")', "'@SUM(1)", "'+cmd|' /C calc'!A0"} <= set(cells)
    else:
        assert "'\tSO+ groep" in cells and "'" + evil.full_name in cells
    # Every cell is quoted (OWASP), so a ; or a quote inside a name cannot open a new cell.
    assert response.content.decode("utf-8-sig").splitlines()[1].startswith('"')


@pytest.mark.parametrize("export", list(EXPORTS))
def test_xlsx_export_has_no_formula_and_the_leerlingnummer_is_text(client, coordinator, pupils, export):
    plain, evil = pupils
    client.force_login(coordinator)
    response = client.get(EXPORTS[export].format(fmt="xlsx"))
    assert response.status_code == 200 and response["Content-Type"] == exports.XLSX_TYPE
    rows = _xlsx_cells(response)
    cells = [c for row in rows for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell is a formula"
    dangerous = [c for c in cells if isinstance(c.value, str) and c.value.startswith(exports.FORMULA_STARTS)]
    assert dangerous and all(c.data_type == "s" and c.quotePrefix for c in dangerous)
    header = [c.value for c in rows[0]]
    number_column = header.index("leerlingnummer")
    numbers = {row[number_column].value: row[number_column] for row in rows[1:] if row[number_column].value}
    assert {"0012345", "-0099"} <= set(numbers)
    assert all(c.data_type == "s" and c.number_format == "@" for c in numbers.values())


@pytest.mark.parametrize("export", list(EXPORTS))
@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_every_export_is_logged_per_pupil_and_never_cached(client, coordinator, pupils, export, fmt):
    client.force_login(coordinator)
    response = client.get(EXPORTS[export].format(fmt=fmt))
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    logged = FileAccess.objects.filter(request_id=response["X-Request-ID"], section="export")
    assert sorted(logged.values_list("student_id", flat=True)) == sorted(p.pk for p in pupils)


def test_the_xlsx_pupil_export_reads_back_as_the_csv(client, coordinator, pupils):
    client.force_login(coordinator)
    csv_rows = _csv_cells(client.get("/leerlingen/export.csv"))
    xlsx_rows = _xlsx_cells(client.get("/leerlingen/export.xlsx"))
    as_text = [
        [c.value.strftime("%d-%m-%Y") if hasattr(c.value, "strftime") else str(c.value or "") for c in row]
        for row in xlsx_rows
    ]
    assert [[cell.removeprefix("'") for cell in row] for row in csv_rows] == as_text


def test_neutralise_follows_owasp():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert exports.neutralise(f"{start}1") == f"'{start}1"
    assert exports.neutralise("Daan") == "Daan"
    assert exports.neutralise("0012345") == "0012345"
    assert exports.neutralise(3) == 3


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        exports.export_response("pdf", filename="x", columns=[], rows=[])
