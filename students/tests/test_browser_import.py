"""The journey of a functioneel beheerder with an export we do not know: map the columns
once, confirm, watch the progress of the job on a real worker, and land on the result."""

from pathlib import Path

import pytest

from carecoord.testing import browser_login, screenshot
from students.models import Student
from students.tests.factories import SchoolClassFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).parent / "fixtures"


def test_beheerder_maps_an_unknown_export_and_follows_the_job_to_its_result(
    page, beheerder, school_class, settings, celery_worker
):
    settings.IMPORT_BACKGROUND_ROWS = 2  # this small file runs as a job, as a large one would
    SchoolClassFactory(school=school_class.school, name="3B1", year=3, level="vmbo-b")
    SchoolClassFactory(school=school_class.school, name="2H1", year=2, level="havo")
    browser_login(page, "beheer@a.test")
    page.goto(page.base_url + "/leerlingen/import/")
    assert page.get_by_text("na 24 uur").is_visible()
    page.get_by_label("Export uit het LVS").set_input_files(str(FIXTURES / "onbekend_leerlingen.csv"))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Welke kolom is wat?").is_visible()
    for field, column in (
        ("leerlingnummer", "LL-ID"),
        ("voornaam (roepnaam)", "Voornaam leerling"),
        ("tussenvoegsel", "Tussen"),
        ("achternaam", "Familienaam"),
        ("geboortedatum", "Geboren"),
        ("klas", "Klas/groep"),
    ):
        select = page.get_by_label(field)
        select.select_option(label=next(o for o in select.locator("option").all_inner_texts() if o.startswith(column)))
    screenshot(page, "import-column-mapping")
    page.get_by_role("button", name="Koppelen en controleren").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("count-new").inner_text() == "4"
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Inlezen").click()
    # The job page polls (htmx) until the worker is done, then shows the result by itself.
    page.get_by_role("heading", name="Ingelezen", exact=True).wait_for(timeout=30_000)
    assert page.get_by_text("4 nieuwe leerlingen").is_visible()
    assert Student.objects.count() == 4
    screenshot(page, "import-done")
