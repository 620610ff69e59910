"""The overview's rows written in Python (absence/rows.py): every branch the template had,
in the markup it wrote (the region's data does not reach all of them)."""

from datetime import date

import pytest
from django.utils import translation

from absence.rows import overview_rows


def row(**values):
    base = {
        "student_id": 7,
        "student__school_id": 1,
        "student__first_name": "Jan",
        "student__tussenvoegsel": "de",
        "student__last_name": "Vries & Zn",
        "student__student_number": "1001",
        "student__school_class__name": None,
        "level": 3,
        "level_since": date(2026, 11, 2),
        "unauthorised_minutes": 600,
        "authorised_minutes": 59,
        "previous_minutes": 700,
        "late_count": 4,
        "late_max_week": 2,
        "sent_out_count": 0,
        "crossed_on": None,
        "absent_since": date(2026, 10, 30),
        "next_step": 2,
        "next_step_due": date(2026, 11, 20),
        "current_step": 3,
        "current_step_on": date(2026, 11, 3),
        "overdue": False,
    }
    return base | values


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_a_row_with_a_step_taken_absent_every_day_and_fewer_hours():
    html = overview_rows([row()])
    assert (
        '<td><a href="/verzuim/leerling/7/">Vries &amp; Zn, Jan de</a><br><span class="small text-body-secondary">— · 1001</span></td>'
        in html
    )
    assert '<strong>10,0 u</strong>\n        <i class="bi bi-arrow-down-right text-success" role="img" ' in html
    assert (
        'aria-label="minder dan de 4 weken ervoor (11,6 u)" title="4 weken ervoor: 11,6 u"></i>\n        \n      </td>'
        in html
    )
    assert '<td class="text-end d-none d-md-table-cell">0,9 u</td>' in html
    assert '<td class="text-end" title="hoogstens 2 keer in één week">4</td>' in html
    assert '<span class="badge text-bg-dark">thuiszitter</span>' in html
    assert (
        '<span class="text-nowrap">sinds 02-11-2026</span>\n          \n          <br>elke dag afwezig sinds 30-10-2026\n'
        in html
    )
    assert (
        '<td><span class="small">Adviesgesprek met leerplicht</span><br><span class="small text-body-secondary">03-11-2026</span></td>'
        in html
    )
    assert (
        '<td>\n        <span class="small">Gesprek met de zorgcoördinator</span><br>\n        '
        '<span class="small text-success"><i class="bi bi-check2" aria-hidden="true"></i> gezet</span>\n        \n      </td>'
    ) in html


def test_a_row_without_signal_step_or_next_step():
    html = overview_rows(
        [row(level=0, previous_minutes=600, absent_since=None, current_step=None, next_step=None, sent_out_count=2)]
    )
    assert (
        '<i class="bi bi-dash text-body-secondary" role="img" aria-label="gelijk aan de 4 weken ervoor"></i>\n      </td>'
        in html
    )
    assert '4 <span class="small text-body-secondary">(2× verwijderd)</span></td>' in html
    assert '<span class="badge text-bg-light border">geen signaal</span>' in html
    assert '<div class="small text-body-secondary">\n          \n          \n          \n        </div>' in html
    assert '<td><span class="text-body-secondary">nog geen</span></td>' in html
    assert '<td><span class="text-body-secondary">—</span></td>' in html


def test_a_row_with_the_next_step_due_or_late():
    due = overview_rows([row(current_step=None, crossed_on=date(2026, 11, 1))])
    assert '<br><span class="text-danger">16 uur bereikt op 01-11-2026</span>' in due
    assert '<span class="small text-body-secondary">uiterlijk 20-11-2026</span>\n      </td>' in due
    late = overview_rows([row(current_step=1, overdue=True)])
    assert '<span class="badge text-bg-danger">te laat (uiterlijk 20-11-2026)</span>\n        \n      </td>' in late


@pytest.mark.parametrize(
    "first_name, tussenvoegsel, shown",
    [("Jan", "de", "Vries, Jan de"), ("Jan", "", "Vries, Jan"), ("Jan", None, "Vries, Jan"), ("", "de", "Vries, de")],
)
def test_the_name_leaves_out_an_empty_part_as_sort_name_does(first_name, tussenvoegsel, shown):
    html = overview_rows(
        [row(student__first_name=first_name, student__tussenvoegsel=tussenvoegsel, student__last_name="Vries")]
    )
    assert f'<a href="/verzuim/leerling/7/">{shown}</a>' in html
