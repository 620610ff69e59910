"""The inbox for daily use (issue 17, item 6): named "Te behandelen", a "Nieuw" switch on
top, one line a row, "vandaag" styled as urgent only on the day itself, a mentor's own
classes first in the class filter."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import lxml.html
import pytest
from django.utils import timezone

from accounts.models import Membership, Role
from concerns.models import ConcernStatus, Urgency
from students.tests.factories import SchoolClassFactory

from .factories import ConcernFactory, route

pytestmark = pytest.mark.django_db

INBOX = "/zorg/meldingen/"


@pytest.fixture
def gedrag(school):
    return route(school)["gedrag"]


def raise_concern(student, mentor, gedrag, **fields):
    return ConcernFactory(student=student, category=gedrag, raised_by=mentor, **fields)


def html(response):
    return lxml.html.fromstring(response.content.decode())


def one(tree, xpath):
    (found,) = tree.xpath(xpath)
    return found


def quick(response):
    return one(html(response), "//*[@id='inbox-quick']")


def current(switch):
    """The data-testid of the switch marked as the current one, or None."""
    marked = switch.xpath(".//a[@aria-current='page']")
    return marked[0].get("data-testid") if marked else None


def test_coordinator_finds_the_inbox_as_te_behandelen(client, coordinator):
    client.force_login(coordinator)
    home = client.get("/")
    assert "Te behandelen" in [str(c.title) for c in home.context["cards"]]
    page = html(client.get(INBOX))
    assert page.findtext(".//title").startswith("Te behandelen")
    assert one(page, "//h1").text_content() == "Te behandelen"
    assert page.xpath(f"//nav//a[@href='{INBOX}'][contains(., 'Te behandelen')]")  # the menu item


def test_coordinator_switches_to_the_new_ones_on_top(client, coordinator, student, mentor, gedrag):
    new = [raise_concern(student, mentor, gedrag) for _ in range(2)]
    raise_concern(student, mentor, gedrag, status=ConcernStatus.IN_PROGRESS)
    raise_concern(student, mentor, gedrag, status=ConcernStatus.CLOSED, closed_at=timezone.now())
    client.force_login(coordinator)

    response = client.get(INBOX)
    assert response.context["counts"] == {"open": 3, "new": 2}
    switch = quick(response)
    assert current(switch) == "quick-open"
    new_link = one(switch, ".//a[@data-testid='quick-new']")
    assert new_link.get("href") == "?status=nieuw"
    assert " ".join(new_link.text_content().split()) == "Nieuw 2"

    response = client.get(INBOX + "?status=nieuw")
    assert {row["pk"] for row in response.context["page"]} == {c.pk for c in new}
    assert current(quick(response)) == "quick-new"


def test_the_new_switch_keeps_the_other_filters(client, coordinator, student, mentor, gedrag):
    raise_concern(student, mentor, gedrag, urgency=Urgency.HIGH)
    client.force_login(coordinator)
    switch = quick(client.get(INBOX + "?urgency=3&page=2"))
    assert one(switch, ".//a[@data-testid='quick-new']").get("href") == "?urgency=3&status=nieuw"


def test_no_switch_is_marked_for_a_closed_list(client, coordinator):
    client.force_login(coordinator)
    response = client.get(INBOX + "?status=afgerond")
    assert response.context["quick"] is None
    assert current(quick(response)) is None


def test_htmx_filtering_redraws_the_switch_out_of_band(client, coordinator, student, mentor, gedrag):
    raise_concern(student, mentor, gedrag)
    client.force_login(coordinator)
    response = client.get(INBOX + "?status=nieuw", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="concern-results")
    (switch,) = lxml.html.fragments_fromstring(response.content.decode())[:1]
    assert switch.get("id") == "inbox-quick"
    assert switch.get("data-hx-swap-oob") == "true"
    assert current(switch) == "quick-new"


def test_a_full_page_has_the_switch_once_and_not_out_of_band(client, coordinator):
    client.force_login(coordinator)
    switch = quick(client.get(INBOX))  # exactly one
    assert switch.get("data-hx-swap-oob") is None


def test_inbox_rows_are_compact(client, coordinator, student, mentor, gedrag):
    raise_concern(student, mentor, gedrag)
    client.force_login(coordinator)
    page = html(client.get(INBOX))
    assert "table-sm" in one(page, "//table").get("class").split()
    assert not one(page, "//tr[@data-testid='concern-row']").xpath(".//br")  # one line a row


def badge(client, concern):
    row = one(html(client.get(INBOX)), f"//tr[@data-testid='concern-row'][.//a[@href='{concern.get_absolute_url()}']]")
    found = one(row, ".//span[contains(@class, 'badge')]")
    return found.text_content(), found.get("class").split()


def test_vandaag_is_styled_as_urgent_on_the_day_it_was_raised(client, coordinator, student, mentor, gedrag):
    concern = raise_concern(student, mentor, gedrag, urgency=Urgency.HIGH)
    client.force_login(coordinator)
    assert badge(client, concern) == ("vandaag", ["badge", "urgency-3"])


def test_vandaag_from_an_earlier_day_reads_dringend_without_the_alarm(client, coordinator, student, mentor, gedrag):
    concern = raise_concern(
        student, mentor, gedrag, urgency=Urgency.HIGH, created_at=timezone.now() - timedelta(days=2)
    )
    client.force_login(coordinator)
    assert badge(client, concern) == ("dringend", ["badge", "urgency-late"])


def test_today_is_the_day_in_amsterdam_not_in_utc(student, mentor, gedrag):
    # 23:30 UTC on 26 November is 00:30 on 27 November in Amsterdam: raised today.
    concern = raise_concern(
        student, mentor, gedrag, urgency=Urgency.HIGH, created_at=datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    )
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 11, 27, 9, 0, tzinfo=UTC)):
        assert concern.urgent_today
        assert concern.urgency_label == "vandaag"
    # 22:30 UTC on 26 November is still the 26th in Amsterdam: not today.
    concern.created_at = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 11, 27, 9, 0, tzinfo=UTC)):
        assert not concern.urgent_today
        assert concern.urgency_label == "dringend"


def test_other_urgencies_keep_their_words(student, mentor, gedrag):
    old = timezone.now() - timedelta(days=3)
    assert raise_concern(student, mentor, gedrag, urgency=Urgency.NORMAL, created_at=old).urgency_label == "deze week"
    assert raise_concern(student, mentor, gedrag, urgency=Urgency.LOW, created_at=old).urgency_label == "kan wachten"


def test_the_concern_page_styles_an_old_vandaag_the_same_way(client, coordinator, student, mentor, gedrag):
    concern = raise_concern(
        student, mentor, gedrag, urgency=Urgency.HIGH, created_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(coordinator)
    page = html(client.get(concern.get_absolute_url()))
    assert one(page, "//span[contains(@class, 'urgency-late')]").text_content() == "dringend"
    assert not page.xpath("//span[contains(@class, 'urgency-3')]")


def test_a_mentor_sees_their_own_classes_first_in_the_class_filter(client, school, coordinator):
    # A coordinator who is also a mentor (common in small schools) handles the inbox.
    Membership.objects.create(user=coordinator, school=school, role=Role.MENTOR)
    SchoolClassFactory(school=school, name="1A", year=1)
    SchoolClassFactory(school=school, name="2A", year=2)
    SchoolClassFactory(school=school, name="3C", year=3, mentors=[coordinator])
    client.force_login(coordinator)
    options = html(client.get(INBOX)).xpath("//select[@id='id_school_class']/option")
    assert [o.text_content() for o in options] == ["alle", "3C", "1A", "2A"]


def test_without_own_classes_the_class_filter_is_by_year_and_name(client, school, coordinator, student):
    SchoolClassFactory(school=school, name="1A", year=1)
    client.force_login(coordinator)
    options = html(client.get(INBOX)).xpath("//select[@id='id_school_class']/option")
    assert [o.text_content() for o in options] == ["alle", "1A", "2K1"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_rows_say_how_long_ago_in_djangos_own_words(language):
    """The inbox rows give `timesince` plain plural words (concerns.rows.time_strings); they
    must be Django's, in every unit, singular and plural, and for 0 minutes."""
    from django.utils import translation
    from django.utils.timesince import timesince

    from concerns.rows import time_strings

    now = timezone.now()
    ages = [timedelta(0), timedelta(minutes=1), timedelta(minutes=7), timedelta(hours=1, minutes=2)]
    ages += [timedelta(days=1), timedelta(days=3, hours=5), timedelta(days=8), timedelta(days=15, hours=2)]
    ages += [timedelta(days=40), timedelta(days=70), timedelta(days=366), timedelta(days=800)]
    with translation.override(language):
        units = time_strings()
        for age in ages:
            assert timesince(now - age, now, time_strings=units) == timesince(now - age, now)
