"""The coordinator's inbox and the figures (issue 5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord.testing import query_count
from concerns.models import ConcernStatus
from concerns.selectors import concern_figures
from students.tests.factories import SchoolClassFactory, StudentFactory

from .factories import ConcernFactory, route

pytestmark = pytest.mark.django_db

INBOX = "/zorg/meldingen/"


@pytest.fixture
def categories(school):
    return route(school)


def pks(response):
    """The concerns of an inbox page, in order (its rows are values: concerns.selectors.inbox_rows)."""
    return [row["pk"] for row in response.context["page"]]


def make(n, school, mentor, categories, **fields):
    klas = SchoolClassFactory(school=school)
    return [
        ConcernFactory(
            student=StudentFactory(school_class=klas),
            category=categories["gedrag" if i % 3 else "veiligheid"],
            raised_by=mentor,
            **fields,
        )
        for i in range(n)
    ]


def test_inbox_query_count_does_not_grow_with_the_number_of_concerns(client, school, coordinator, mentor, categories):
    client.force_login(coordinator)
    make(3, school, mentor, categories)
    make(1, school, mentor, categories, status=ConcernStatus.CLOSED, closed_at=timezone.now())
    few = query_count(client, INBOX)
    filtered_few = query_count(client, INBOX + "?status=afgerond&urgency=2")
    make(40, school, mentor, categories)
    make(5, school, mentor, categories, status=ConcernStatus.CLOSED, closed_at=timezone.now())
    assert query_count(client, INBOX) == few
    assert query_count(client, INBOX + "?status=afgerond&urgency=2") == filtered_few


def test_the_unfiltered_inbox_takes_its_page_count_from_the_figures(client, school, coordinator, mentor, categories):
    """The open (or new) concerns alone are counted once, for the quick switch; the paginator
    takes that figure. Another filter still has the paginator count (one query more)."""
    client.force_login(coordinator)
    make(3, school, mentor, categories)
    make(1, school, mentor, categories, status=ConcernStatus.CLOSED, closed_at=timezone.now())
    assert query_count(client, INBOX) == query_count(client, INBOX + "?urgency=2") - 1
    assert query_count(client, INBOX + "?status=nieuw") == query_count(client, INBOX + "?status=afgerond") - 1


@pytest.mark.parametrize(
    "filters",
    [
        "",
        "?status=open",
        "?status=nieuw",
        "?status=in_behandeling",
        "?status=afgerond",
        "?urgency=3",
        "?status=nieuw&urgency=3",
        "?status=bogus",
        "?page=2",
    ],
)
def test_the_inbox_page_count_is_the_number_of_rows_shown(client, school, coordinator, mentor, categories, filters):
    """Whichever count the paginator takes (the figures when the status is the only filter,
    its own otherwise), it is the number of rows shown, among open, new and closed concerns."""
    client.force_login(coordinator)
    make(2, school, mentor, categories)  # new: one "gedrag" (deze week), one "veiligheid" (vandaag)
    make(1, school, mentor, categories, status=ConcernStatus.IN_PROGRESS)
    make(1, school, mentor, categories, status=ConcernStatus.CLOSED, closed_at=timezone.now())
    page = client.get(INBOX + filters).context["page"]
    shown = len(list(page))
    assert page.paginator.count == shown
    expected = {"": 3, "?status=open": 3, "?status=nieuw": 2, "?status=in_behandeling": 1, "?status=afgerond": 1}
    assert shown == expected.get(filters, shown)


def test_inbox_shows_most_urgent_first_then_the_oldest(client, school, coordinator, student, mentor, categories):
    now = timezone.now()
    gedrag = categories["gedrag"]
    old_normal = ConcernFactory(
        student=student, category=gedrag, raised_by=mentor, urgency=2, created_at=now - timedelta(days=9)
    )
    new_urgent = ConcernFactory(
        student=student, category=gedrag, raised_by=mentor, urgency=3, created_at=now - timedelta(days=1)
    )
    old_urgent = ConcernFactory(
        student=student, category=gedrag, raised_by=mentor, urgency=3, created_at=now - timedelta(days=5)
    )
    client.force_login(coordinator)
    assert pks(client.get(INBOX)) == [old_urgent.pk, new_urgent.pk, old_normal.pk]


def test_inbox_filters_combine(client, school, coordinator, mentor, categories):
    now = timezone.now()
    klas = SchoolClassFactory(school=school, name="3B1")
    pupil = StudentFactory(school_class=klas)
    handler = staff(school, Role.VERZUIMCOORDINATOR, name="Vera Verzuim")
    gedrag = categories["gedrag"]
    match = ConcernFactory(
        student=pupil,
        category=gedrag,
        raised_by=mentor,
        urgency=3,
        handler=handler,
        handler_role="",
        created_at=now - timedelta(days=20),
    )
    ConcernFactory(
        student=pupil,
        category=gedrag,
        raised_by=mentor,
        urgency=3,
        handler=handler,
        handler_role="",
        created_at=now - timedelta(days=2),
    )  # too young
    ConcernFactory(
        student=pupil,
        category=gedrag,
        raised_by=mentor,
        urgency=1,
        handler=handler,
        handler_role="",
        created_at=now - timedelta(days=20),
    )  # not urgent
    ConcernFactory(
        student=StudentFactory(school_class=SchoolClassFactory(school=school)),
        category=gedrag,
        raised_by=mentor,
        urgency=3,
        handler=handler,
        handler_role="",
        created_at=now - timedelta(days=20),
    )  # other class
    ConcernFactory(
        student=pupil, category=gedrag, raised_by=mentor, urgency=3, created_at=now - timedelta(days=20)
    )  # other handler
    ConcernFactory(
        student=pupil,
        category=categories["veiligheid"],
        raised_by=mentor,
        urgency=3,
        handler=handler,
        handler_role="",
        created_at=now - timedelta(days=20),
    )  # other category
    ConcernFactory(
        student=pupil,
        category=gedrag,
        raised_by=mentor,
        urgency=3,
        handler=handler,
        handler_role="",
        created_at=now - timedelta(days=20),
        status=ConcernStatus.CLOSED,
        closed_at=now,
    )  # closed
    client.force_login(coordinator)
    query = f"?category={gedrag.pk}&urgency=3&school_class={klas.pk}&handler=user:{handler.pk}&age=14"
    assert pks(client.get(INBOX + query)) == [match.pk]
    assert client.get(INBOX + query + "&status=afgerond").context["page"].paginator.count == 1
    assert client.get(INBOX + "?status=nieuw").context["page"].paginator.count == 6
    assert client.get(INBOX + "?handler=role:zorgcoordinator").context["page"].paginator.count == 1


def test_inbox_htmx_returns_only_the_results(client, coordinator, student, mentor, categories):
    ConcernFactory(student=student, category=categories["gedrag"], raised_by=mentor)
    client.force_login(coordinator)
    response = client.get(INBOX + "?urgency=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="concern-results")
    assert "Jansen, Daan" in response.text
    assert "<html" not in response.text


def test_a_bad_filter_value_does_not_break_the_inbox(client, coordinator):
    client.force_login(coordinator)
    assert client.get(INBOX + "?urgency=zeer&age=abc&handler=xyz&category=0").status_code == 200


def test_figures_per_category_home_share_median_and_open_too_long(school, student, mentor, categories):
    now = timezone.now()
    gedrag, veiligheid = categories["gedrag"], categories["veiligheid"]
    # Four concerns: first action after 1, 2 and 5 days (median 2), one still without action.
    for days_to_action, home, created_days_ago in [(1, False, 30), (2, True, 20), (5, False, 10), (None, False, 3)]:
        created = now - timedelta(days=created_days_ago)
        ConcernFactory(
            student=student,
            category=gedrag,
            raised_by=mentor,
            home_situation=home,
            created_at=created,
            first_action_at=created + timedelta(days=days_to_action) if days_to_action else None,
            status=ConcernStatus.IN_PROGRESS if days_to_action else ConcernStatus.NEW,
        )
    ConcernFactory(
        student=student,
        category=veiligheid,
        raised_by=mentor,
        home_situation=True,
        created_at=now - timedelta(days=40),
        status=ConcernStatus.CLOSED,
        first_action_at=now - timedelta(days=40),
        closed_at=now - timedelta(days=5),
    )
    ConcernFactory(
        student=student, category=gedrag, raised_by=mentor, created_at=now - timedelta(days=400)
    )  # outside the period
    today = timezone.localdate()
    figures = concern_figures(school=school, start=today - timedelta(days=60), end=today)
    assert figures.total == 5
    assert figures.home_share == 40
    by_name = {c.name: (c.count, c.home_share) for c in figures.per_category}
    assert by_name == {"Gedrag": (4, 25), "Veiligheid": (1, 100)}
    assert figures.median_first_action == timedelta(days=1.5)  # of 1, 2, 5 and 0 days
    assert figures.without_action == 1
    assert figures.open_over_two_weeks == 2  # raised 30 and 20 days ago, still open
    assert figures.took_over_two_weeks == 1  # closed after 35 days
    assert [(g.label, g.count) for g in figures.per_class] == [("2K1", 5)]
    assert [(g.label, g.count) for g in figures.per_year] == [("2", 5)]


def test_figures_page_query_count_is_flat(client, school, coordinator, mentor, categories):
    client.force_login(coordinator)
    make(3, school, mentor, categories)
    few = query_count(client, "/zorg/meldingen/cijfers/")
    make(30, school, mentor, categories)
    assert query_count(client, "/zorg/meldingen/cijfers/") == few


def test_figures_page_takes_a_period_and_shows_no_names(client, school, coordinator, student, mentor, categories):
    ConcernFactory(student=student, category=categories["gedrag"], raised_by=mentor)
    client.force_login(coordinator)
    today = timezone.localdate()
    page = client.get(f"/zorg/meldingen/cijfers/?start={today:%Y-%m-%d}&end={today:%Y-%m-%d}")
    assert page.context["figures"].total == 1
    assert "Jansen" not in page.text
    assert client.get("/zorg/meldingen/cijfers/?start=gisteren").status_code == 200


def test_the_leaders_figures_page_escapes_the_small_number_note(
    client, school, schoolleider, student, mentor, categories
):
    # A translated text is not escaped by {% translate %}: the "< 5" note must be (valid HTML).
    ConcernFactory(student=student, category=categories["gedrag"], raised_by=mentor)
    client.force_login(schoolleider)
    html = client.get("/zorg/meldingen/cijfers/").content.decode()
    assert "“&lt; 5”" in html
    assert "“< 5”" not in html


def test_inbox_row_shows_the_open_actions_and_how_long_ago(client, school, coordinator, mentor, categories):
    from concerns.models import ConcernAction

    one, two, none = make(3, school, mentor, categories, created_at=timezone.now() - timedelta(days=3))
    ConcernAction.objects.create(concern=one, description="Bellen", created_by=coordinator)
    for what in ("Gesprek", "Verslag"):
        ConcernAction.objects.create(concern=two, description=what, created_by=coordinator)
    ConcernAction.objects.create(concern=none, description="Klaar", created_by=coordinator, done_at=timezone.now())
    client.force_login(coordinator)
    body = client.get(INBOX).text
    assert body.count("· 1 open actie<") == 1
    assert body.count("· 2 open acties<") == 1
    assert body.count("3\xa0dagen geleden") == 3  # timesince joins with a no-break space
