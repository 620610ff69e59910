"""Cheap checks on every template for what the Nu HTML checker refuses (issue 17); the
browser crawl (test_accessibility.py) checks the pages themselves."""

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
SKIP = {".venv", "node_modules", "staticfiles", "artifacts"}
BARE_HTMX = re.compile(r"(?<![-\w])hx-[a-z-]+=")
ISO_WITH_MICROSECONDS = re.compile(r"""date:\s*["']c["']""")
# An element that carries data-confirm: static/js/app.js asks only for a <form>'s.
CONFIRM_ON = re.compile(r"<(\w+)\b[^<>]*?\sdata-confirm=")


def _templates():
    for path in BASE.rglob("*.html"):
        if not SKIP.intersection(path.relative_to(BASE).parts):
            yield path


def test_htmx_attributes_are_written_data_hx():
    bad = [f"{p.relative_to(BASE)}" for p in _templates() if BARE_HTMX.search(p.read_text())]
    assert not bad, f"write data-hx-* (valid HTML), not hx-*: {bad}"


def test_datetime_attributes_have_no_microseconds():
    bad = [f"{p.relative_to(BASE)}" for p in _templates() if ISO_WITH_MICROSECONDS.search(p.read_text())]
    assert not bad, f'use |html_datetime for a datetime attribute, not date:"c" (microseconds): {bad}'


def test_confirmations_sit_on_the_form():
    """A data-confirm on a button was never asked (the leaver's "Uitschakelen", "Intrekken"
    of an invitation): the submit handler reads the form's."""
    bad = [
        f"{p.relative_to(BASE)}: <{tag}>"
        for p in _templates()
        for tag in CONFIRM_ON.findall(p.read_text())
        if tag != "form"
    ]
    assert not bad, f"put data-confirm on the <form>: {bad}"


def test_html_datetime_drops_microseconds_and_uses_amsterdam_time():
    import datetime

    from carecoord.a11y_tags import html_datetime

    value = datetime.datetime(2026, 11, 27, 20, 57, 5, 475818, tzinfo=datetime.UTC)
    assert html_datetime(value) == "2026-11-27T21:57:05+01:00"
    assert html_datetime(datetime.date(2026, 11, 27)) == "2026-11-27"
    assert html_datetime(None) == ""
