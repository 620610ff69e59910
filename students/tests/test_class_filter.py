"""The class filters of the lists: a mentor's own classes first (issue 17, item 6)."""

import pytest

from accounts.models import Membership, Role
from students.selectors import class_choices
from students.tests.factories import SchoolClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def classes(school, mentor):
    """1A and 2A by year, and 3C, the class of the `mentor` fixture."""
    return {
        "1A": SchoolClassFactory(school=school, name="1A", year=1),
        "2A": SchoolClassFactory(school=school, name="2A", year=2),
        "3C": SchoolClassFactory(school=school, name="3C", year=3, mentors=[mentor]),
    }


def test_mentor_sees_their_own_class_first_in_the_pupil_list_filter(client, mentor, classes):
    client.force_login(mentor)
    assert shown(client.get("/leerlingen/")) == ["3C", "1A", "2A"]


def test_mentor_of_two_classes_sees_both_first_by_year(client, school, mentor, classes):
    SchoolClassFactory(school=school, name="4B", year=4, mentors=[mentor])
    client.force_login(mentor)
    assert shown(client.get("/leerlingen/")) == ["3C", "4B", "1A", "2A"]


def test_someone_without_a_class_sees_the_classes_by_year_and_name(client, coordinator, classes):
    client.force_login(coordinator)
    assert shown(client.get("/leerlingen/")) == ["1A", "2A", "3C"]


def test_a_mentor_who_keeps_the_absence_overview_sees_their_own_class_first(client, school, mentor, classes):
    Membership.objects.create(user=mentor, school=school, role=Role.VERZUIMCOORDINATOR)
    client.force_login(mentor)
    assert shown(client.get("/verzuim/")) == ["3C", "1A", "2A"]


def test_the_own_class_is_still_a_valid_choice(client, mentor, classes):
    client.force_login(mentor)
    response = client.get(f"/leerlingen/?school_class={classes['1A'].pk}")
    assert response.context["filter"].form.is_valid()


def test_class_choices_without_a_user_are_by_year_and_name(school, classes):
    assert [c.name for c in class_choices(school=school)] == ["1A", "2A", "3C"]


def shown(response, field="school_class"):
    """The class names the drop-down shows, in order."""
    import re

    body = response.content.decode()
    select = body[body.index(f'name="{field}"') : body.index("</select>", body.index(f'name="{field}"'))]
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def test_the_shown_options_are_kept_a_minute_per_user_and_a_chosen_class_still_filters(
    client, settings, school, mentor, coordinator, classes
):
    from carecoord.kept import cache
    from carecoord.testing import query_count

    settings.CLASS_OPTIONS_SECONDS = 60
    client.force_login(mentor)
    first = query_count(client, "/leerlingen/")
    assert query_count(client, "/leerlingen/") == first - 1  # the classes, read once
    assert shown(client.get("/leerlingen/")) == ["3C", "1A", "2A"]

    client.force_login(coordinator)  # another user: their own order, not the mentor's
    assert shown(client.get("/leerlingen/")) == ["1A", "2A", "3C"]

    # A new class shows once the minute is over; choosing it works at once (checked against
    # the school's classes, not the kept options).
    new = SchoolClassFactory(school=school, name="1B", year=1)
    response = client.get(f"/leerlingen/?school_class={new.pk}")
    assert response.context["filter"].form.is_valid()
    assert "1B" not in shown(response)
    cache.delete(f"class-options:{school.pk}:{coordinator.pk}")  # what the minute passing does
    assert shown(client.get("/leerlingen/")) == ["1A", "1B", "2A", "3C"]


def test_the_inbox_and_the_absence_overview_show_the_same_kept_options(client, settings, school, mentor, classes):
    settings.CLASS_OPTIONS_SECONDS = 60
    Membership.objects.create(user=mentor, school=school, role=Role.VERZUIMCOORDINATOR)
    Membership.objects.create(user=mentor, school=school, role=Role.ZORGCOORDINATOR)
    client.force_login(mentor)
    assert shown(client.get("/leerlingen/")) == ["3C", "1A", "2A"]
    assert shown(client.get("/zorg/meldingen/")) == ["3C", "1A", "2A"]
    assert shown(client.get("/verzuim/")) == ["3C", "1A", "2A"]


def test_a_class_of_another_school_is_no_choice(client, coordinator, classes):
    from accounts.tests.factories import SchoolFactory

    elsewhere = SchoolClassFactory(school=SchoolFactory(), name="1A", year=1)
    client.force_login(coordinator)
    response = client.get(f"/leerlingen/?school_class={elsewhere.pk}")
    assert not response.context["filter"].form.is_valid()
    assert "school_class" in response.context["filter"].form.errors
