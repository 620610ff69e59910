"""Applicatiebeheer never reaches pupil data: a crawl of every URL of the application (GET,
every numeric argument tried with the ids of the pupils, their school, concern, meetings,
agreement, facility and category) finds no pupil's name or number, nor does saving the
school's data; and it writes no read-log row."""

from html import unescape

import pytest
from django.urls import URLPattern, get_resolver

from accounts.models import Role
from accounts.tests.factories import UserFactory, staff
from carecoord.tests.test_read_log_pages import _concern, _meeting_pair, _patterns, w  # noqa: F401 (fixture)
from students.models import FileAccess

pytestmark = pytest.mark.django_db

PUPIL_TEXT = ("Jansen", "Bakker", "Smit", "Getoond", "100001", "100002", "100003", "100099")


def _urls(candidates):
    for namespace, pattern in _patterns(get_resolver().url_patterns):
        if not isinstance(pattern, URLPattern) or namespace == "admin:" or pattern.name is None:
            continue
        if pattern.callback.__module__.startswith("allauth."):
            continue  # sign-in library pages: no pupil data (docs/signing-in.md)
        name = namespace + pattern.name
        converters = pattern.pattern.converters
        if not converters:
            yield name, {}
            continue
        if any(type(c).__name__ not in {"IntConverter", "StringConverter"} for c in converters.values()):
            continue
        for value in candidates:
            yield (
                name,
                {key: value if type(c).__name__ == "IntConverter" else str(value) for key, c in converters.items()},
            )


def test_applicatiebeheer_never_sees_a_pupil(client, w):  # noqa: F811 (the fixture)
    from django.urls import NoReverseMatch, reverse

    concern = _concern(w, w.daan)
    first, second = _meeting_pair(w)
    agreement = first.agreements.first()
    candidates = sorted(
        {w.daan.pk, w.sanne.pk, w.noah.pk, concern.pk, first.pk, second.pk, agreement.pk, w.viproom.pk}
        | {c.pk for c in w.categories.values()}
        | {w.school.pk}  # the pupils' school: its region pages (and their edit form) open
    )
    admin = UserFactory(email="regio@beheer.test", name="Regio Beheer", is_application_admin=True)
    client.force_login(admin)
    reached, seen, opened = 0, [], set()
    for name, kwargs in _urls(candidates):
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        response = client.get(url)
        reached += 1
        text = unescape(response.content.decode(errors="replace")) if response.status_code == 200 else ""
        seen += [(url, word) for word in PUPIL_TEXT if word in text]
        opened |= {url} if response.status_code == 200 else set()
    assert reached > 100  # the crawl did reach the application
    assert {f"/regio/scholen/{w.school.pk}/", f"/regio/scholen/{w.school.pk}/bewerken/"} <= opened
    # Saving the school's data shows no pupil either, also where a type change lists the
    # school's staff whose role no longer counts (an IB'er at a school that is VSO now).
    staff(w.school, Role.INTERN_BEGELEIDER, email="ib@a.test", name="Ina Bos")
    edit = f"/regio/scholen/{w.school.pk}/bewerken/"
    data = {"name": w.school.name, "brin_code": w.school.brin_code, "holiday_region": "noord", "school_type": "vso"}
    response = client.post(edit, data, follow=True)
    assert response.redirect_chain == [(f"/regio/scholen/{w.school.pk}/", 302)]
    assert "Ina Bos (ib@a.test" in response.content.decode()
    seen += [(edit, word) for word in PUPIL_TEXT if word in unescape(response.content.decode())]
    assert seen == []
    assert not FileAccess.objects.filter(user=admin).exists()
    # The region pages themselves do work for this role.
    assert client.get("/regio/").status_code == 200
