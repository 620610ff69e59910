"""The journeys in a real browser (under the strict Content-Security-Policy, checked by the
root conftest): the coordinator follows an inzage export's progress bar to its download; the
beheerder mistypes a retention term and corrects it."""

import pytest

from carecoord.testing import browser_login, screenshot
from privacy.models import InzageExport, RetentionTerm
from privacy.services import inzage_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_follows_the_progress_bar_to_the_download(page, coordinator, student):
    browser_login(page, "zc@a.test")
    page.goto(page.base_url + student.get_absolute_url())
    page.get_by_role("link", name="Inzage-export en AVG-verzoeken").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Inzage-export maken").is_visible()
    # An export waiting for the worker: the page polls its progress every second.
    export = InzageExport.objects.create(school=student.school, student=student, requested_by=coordinator)
    page.goto(page.base_url + f"/privacy/inzage/{export.pk}/")
    assert page.get_by_test_id("inzage-progress").is_visible()
    screenshot(page, "privacy-inzage-progress")
    inzage_build(export_id=export.pk)  # the worker's part
    download_link = page.get_by_role("link", name="Downloaden (ZIP)")
    download_link.wait_for(timeout=10_000)
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".zip")


def test_beheerder_mistypes_a_retention_term_and_corrects_it(page, beheerder, school):
    browser_login(page, "beheer@a.test")
    page.goto(page.base_url + "/privacy/bewaartermijnen/")
    field = page.get_by_label(
        "Zorggegevens (zorgmeldingen, aanmeldingen, plaatsingen, overleggen, notities, documenten)"
    )
    field.fill("0")
    page.get_by_role("button", name="Bewaartermijnen opslaan").click()
    page.wait_for_load_state()
    assert "Een bewaartermijn is minstens 1 maand." in page.content()
    assert not RetentionTerm.objects.exists()
    field.fill("36")
    page.get_by_role("button", name="Bewaartermijnen opslaan").click()
    page.wait_for_load_state()
    assert "De bewaartermijnen zijn opgeslagen." in page.content()
    assert RetentionTerm.objects.get().months == 36
    page.get_by_role("button", name="Nu een proefrun maken").click()
    page.wait_for_load_state()
    assert "De proefrun is klaar" in page.content()
    screenshot(page, "privacy-retention")
