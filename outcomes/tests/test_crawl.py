"""A school leader never reaches a pupil's name or a page about one pupil through the
figures: every link on their pages is followed (the menu too), as the leader."""

import pytest

from outcomes.tests.crawl import crawl, pupil_pages
from outcomes.tests.factories import school_year_of

pytestmark = pytest.mark.django_db


def test_schoolleider_reaches_no_name_and_no_pupil_page_from_the_figures(
    client, schoolleider, school, school_class, coordinator, student
):
    year = school_year_of(school, school_class, by=coordinator)
    client.force_login(schoolleider)
    pages = crawl(client, "/uitkomsten/")
    assert len(pages) > 5  # the menu, the figures pages, the exports
    names = [p.last_name for p in [*year.pupils, student]] + [p.first_name for p in [*year.pupils, student]]
    for url, response in pages:
        if response.status_code == 200:
            body = response.content.decode(errors="ignore")
            shown = [name for name in names if name in body]
            assert not shown, f"{url} shows {shown}"
    assert pupil_pages(pages) == []


def test_the_crawl_does_find_names_where_they_are_shown(client, coordinator, school, school_class):
    # The proof above is only worth something if the crawler reaches pupils' pages when the
    # user may see them: the coordinator's menu leads to the inbox and the files.
    year = school_year_of(school, school_class, by=coordinator)
    client.force_login(coordinator)
    pages = crawl(client, "/uitkomsten/", limit=60)
    bodies = " ".join(r.content.decode(errors="ignore") for _u, r in pages if r.status_code == 200)
    assert any(p.last_name in bodies for p in year.pupils)
