"""A teacher scores a lesson on a phone (390x844, touch) in three taps: one per expectation;
the lesson is saved by the last tap. The page keeps to the Content-Security-Policy."""

import pytest

from carecoord.testing import browser_login, screenshot
from cico.models import CardDay, PeriodScore
from cico.tests.factories import card_for, school_day
from referrals.tests.factories import lesson_hours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL", has_touch=True, is_mobile=True
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


def test_teacher_scores_a_lesson_in_three_taps(phone, school, mentor, coach, student):
    lesson_hours(school)
    card = card_for(student, coach=coach)
    first, second, third = card.expectations.all()
    day = school_day(0)

    page = phone
    browser_login(page, mentor.email)
    page.goto(f"{page.base_url}/zorg/kaarten/")
    page.get_by_role("link", name="Daan Jansen").tap()
    page.goto(f"{page.base_url}/zorg/kaarten/{card.pk}/{day:%Y-%m-%d}/?uur=2")
    page.get_by_text("Ik begin binnen 5 minuten aan mijn taak").wait_for()
    screenshot(page, "cico-phone-score")

    page.locator(f"label[for='e{first.pk}-2']").tap()
    page.locator(f"label[for='e{second.pk}-1']").tap()
    page.locator(f"label[for='e{third.pk}-2']").tap()

    page.get_by_text("Lesuur 2 van Daan Jansen is opgeslagen.").wait_for()
    screenshot(page, "cico-phone-saved")
    score = PeriodScore.objects.get()
    assert (score.hour, score.scored_by_id) == (2, mentor.pk)
    assert score.points == {str(first.pk): 2, str(second.pk): 1, str(third.pk): 2}
    assert CardDay.objects.get(card=card, day=day).percent == 83
    # The saved hour shows its scores again, to change with one tap.
    assert page.locator(f"#e{second.pk}-1").is_checked()
