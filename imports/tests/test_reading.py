"""Reading a file into a table, whatever the LVS wrote: encoding, delimiter, header aliases."""

import pytest

from imports.columns import Column, normal, resolve
from imports.reading import ImportFileError, read_table

COLUMNS = [
    Column("leerlingnummer", required=True, aliases=("stamnr", "leerlingnr")),
    Column("voornaam", required=True, aliases=("roepnaam",)),
    Column("tussenvoegsel", aliases=("tussenv", "voorvoegsel")),
    Column("geboortedatum", aliases=("geb.datum",)),
]


def test_utf8_with_bom_semicolons_and_line_numbers_as_in_the_file():
    table = read_table("\ufeffStamnr;Roepnaam\n123;Zoë\n\n124;Daan\n".encode())
    assert table.header == ["Stamnr", "Roepnaam"]
    assert table.rows == [(2, ["123", "Zoë"]), (4, ["124", "Daan"])]  # the empty line 3 is skipped, not renumbered
    assert "UTF-8" in table.source and "puntkomma" in table.source


def test_windows_1252_and_commas_with_quoted_cells():
    table = read_table('nr,naam\n1,"Bakker, Zoë"\n'.encode("cp1252"))
    assert table.rows == [(2, ["1", "Bakker, Zoë"])]
    assert "Windows-1252" in table.source and "komma" in table.source


def test_cells_are_trimmed_and_a_bad_csv_line_is_reported_with_its_number():
    huge = b"x" * 200_000  # over the csv module's field limit: not a table line
    table = read_table(b"nr;naam\n 1 ; Zoe \n2;" + huge + b"\n")
    assert table.rows[0] == (2, ["1", "Zoe"])
    assert [line for line, _reason in table.errors] == [3]


@pytest.mark.parametrize(("data", "message"), [(b"", "leeg"), (b"  \n\n", "leeg"), (b"PK\x03\x04\x00\x00", "CSV")])
def test_unreadable_files_get_a_message(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data)


def test_header_spellings_are_the_same_column():
    assert normal("Geb. datum") == normal("geb.datum") == normal("GEB_DATUM") == "gebdatum"
    assert normal("\ufeffLeerling-nummer") == "leerlingnummer"
    assert normal("Tussenv.") == "tussenv"


def test_aliases_find_our_columns_and_the_rest_is_listed_as_ignored():
    found = resolve(["Stamnr", "Roepnaam", "Tussenv", "Geb.datum", "Studie"], COLUMNS)
    assert found.index == {"leerlingnummer": 0, "voornaam": 1, "tussenvoegsel": 2, "geboortedatum": 3}
    assert found.ignored == ["Studie"]
    assert found.complete
    assert found.headers["voornaam"] == "Roepnaam"


def test_our_own_name_wins_over_an_alias_and_each_column_is_used_once():
    found = resolve(["roepnaam", "voornaam", "leerlingnummer"], COLUMNS)
    assert found.index["voornaam"] == 1
    assert found.ignored == ["roepnaam"]


def test_missing_required_columns_are_named():
    found = resolve(["naam", "adres"], COLUMNS)
    assert [c.name for c in found.missing] == ["leerlingnummer", "voornaam"]
    assert not found.complete


def test_a_saved_mapping_wins_when_its_columns_are_in_the_file():
    mapping = {"leerlingnummer": "llid", "voornaam": "naam"}
    found = resolve(["LL-ID", "Naam", "Roepnaam"], COLUMNS, mapping)
    assert (found.index["leerlingnummer"], found.index["voornaam"]) == (0, 1)
    # A mapping for another export (a column it names is not here) is not used.
    other = resolve(["Stamnr", "Roepnaam"], COLUMNS, mapping)
    assert other.index == {"leerlingnummer": 0, "voornaam": 1}


# --- Formats: recognised from the bytes -------------------------------------------------


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def test_an_excel_workbook_reads_dates_and_numbers_as_excel_shows_them():
    from datetime import date, datetime

    table = read_table(
        _xlsx([["Stamnr", "Geb.datum", "Uren"], [12345, datetime(2012, 3, 7), 1.5], [None, date(2011, 1, 2), 2.0]])
    )
    assert table.format == "xlsx"
    assert table.rows == [(2, ["12345", "07-03-2012", "1.5"]), (3, ["", "02-01-2011", "2"])]
    assert "Excel" in table.source


def test_utf16_with_a_byte_order_mark_and_tabs_is_read():
    import codecs

    table = read_table(codecs.BOM_UTF16_LE + "Stamnr\tRoepnaam\r\n1\tZoë\r\n".encode("utf-16-le"))
    assert table.rows == [(2, ["1", "Zoë"])]
    assert "UTF-16" in table.source and "tab" in table.source


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "oud Excel-bestand"),
        (b"PK\x03\x04 not really a zip", "geen CSV-bestand en geen Excel-werkmap"),
        (b"<?xml version='1.0'?><root/>", "geen Edexml-export"),
        (b"<?xml version='1.0'?><EDEX><school>", "beschadigd of onvolledig"),
        ("Stamnr;Naam\n1;Jan\n".encode("utf-16-le"), "Sla de export uit het LVS op als CSV"),
    ],
)
def test_files_that_cannot_be_read_say_what_to_do(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data)


def test_a_workbook_that_unpacks_to_far_more_than_an_export_is_refused():
    import io
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b" " * (200 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="Excel-werkmap kunnen we niet lezen"):
        read_table(bomb.getvalue())


def test_an_xml_file_with_entities_is_refused_not_expanded():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE EDEX [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<EDEX><school><brincode>11AA</brincode></school><leerlingen>"
        b'<leerling key="1"><achternaam>&x;</achternaam><geboortedatum>2012-01-01</geboortedatum></leerling>'
        b"</leerlingen></EDEX>"
    )
    with pytest.raises(ImportFileError, match="DOCTYPE"):
        read_table(data)
