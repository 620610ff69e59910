"""Fixtures shared by every app's tests: schools, a user per role, the browser."""

import pytest

from accounts.models import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory, SchoolFactory, partner, staff
from carecoord import testing


def pytest_collection_modifyitems(items):
    """Browser tests first. `make test` runs them on two processes beside the fast tests; the
    longest (the accessibility crawls, minutes each) must start early, not be the last tests
    left while the other process has nothing to do. The order within each group stays."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test sees an empty cache of its own (a fresh key prefix, so parallel test runs on
    one Redis do not clear each other's): allauth keeps rate limits there (per IP, and every
    test client is 127.0.0.1) and the TOTP codes already used."""
    import uuid

    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _same_work_on_every_request(settings):
    """Every request computes its menu and writes its session, as the first request of a
    minute does in production: a test's query count does not depend on what an earlier
    request of the same test left in the cache (carecoord/tests/test_session_and_menu.py
    sets the production values and proves what they keep)."""
    settings.NAV_MENU_SECONDS = 0
    settings.SESSION_REFRESH_SECONDS = 0
    settings.CLASS_OPTIONS_SECONDS = 0


@pytest.fixture(autouse=True)
def _dutch_unless_a_test_says_otherwise():
    """Each test starts in Dutch, the default language. Django's LocaleMiddleware leaves the
    language of the last request active in the thread, so a service's message could come
    out in English after an earlier test's English request in the same process (seen:
    handovers/tests/test_closed_file.py, carecoord/tests/test_charts.py)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_is_a_full_sign_in(monkeypatch):
    """`client.force_login(user)` stands for a finished sign-in: password *and* second factor.

    The tests of the sign-in itself (accounts/tests/test_two_factor.py) sign in through the
    login form and the code step instead, and prove that a session with only the password
    reaches no pupil data.
    """
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        testing.mark_second_factor(self, "test")

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(settings, tmp_path_factory):
    """Documents of the pupil file (records app) go to a folder of each test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("documents")), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process unless a test starts a real worker (`celery_worker`)."""
    from carecoord.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True


def _asked_by_the_menu() -> bool:
    import sys

    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.endswith(("navigation.py", "context_processors.py")):
            return True
        frame = frame.f_back
    return False


@pytest.fixture(autouse=True)
def _denial_is_real(request):
    """A test marked `@pytest.mark.denies("action", ...)` claims to prove a refusal of each
    action (carecoord/tests/test_access_contract.py counts the claims). Make the claim true:
    each action's rule must be asked during the test and say no at least once, by a view,
    a service or the test itself: the menu and the home cards ask every rule on every page,
    so their refusals do not count."""
    marker = request.node.get_closest_marker("denies")
    if marker is None:
        yield
        return
    from carecoord.access import core

    refused, originals = set(), {}
    for action in marker.args:
        originals[action] = predicate = core._PERMISSIONS[action]

        def watched(user, obj, _predicate=predicate, _action=action):
            allowed = _predicate(user, obj)
            if not allowed and not _asked_by_the_menu():
                refused.add(_action)
            return allowed

        core._PERMISSIONS[action] = watched
    try:
        yield
    finally:
        core._PERMISSIONS.update(originals)
    missing = sorted(set(marker.args) - refused)
    if missing:
        pytest.fail(f"marked denies({', '.join(missing)}) but that rule never refused in this test")


# --- Schools and people ---------------------------------------------------------------


@pytest.fixture
def school(db):
    return SchoolFactory(name="School A", brin_code="11AA")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="School B", brin_code="22BB")


@pytest.fixture
def coordinator(school):
    return staff(school, Role.ZORGCOORDINATOR, email="zc@a.test", name="Zorg Coördinator")


@pytest.fixture
def mentor(school):
    return staff(school, Role.MENTOR, email="mentor@a.test", name="Mentor Eén")


@pytest.fixture
def coach(school):
    return staff(school, Role.COACH, email="coach@a.test", name="Coach Eén")


@pytest.fixture
def schoolleider(school):
    return staff(school, Role.SCHOOLLEIDER, email="leider@a.test", name="School Leider")


@pytest.fixture
def beheerder(school):
    return staff(school, Role.BEHEERDER, email="beheer@a.test", name="Functioneel Beheerder")


@pytest.fixture
def aandachtsfunctionaris(school):
    return staff(school, Role.AANDACHTSFUNCTIONARIS, email="af@a.test", name="Aandachts Functionaris")


@pytest.fixture
def verzuimcoordinator(school):
    return staff(school, Role.VERZUIMCOORDINATOR, email="verzuim@a.test", name="Verzuim Coördinator")


@pytest.fixture
def organisation(school):
    return OrganisationFactory(name="Jeugdteam A", kind=OrganisationKind.JEUGDTEAM, schools=[school])


@pytest.fixture
def partner_user(organisation):
    return partner(organisation, email="partner@jeugdteam.test", name="Partner Jeugdteam")


@pytest.fixture
def other_coordinator(other_school):
    return staff(other_school, Role.ZORGCOORDINATOR, email="zc@b.test", name="Zorg Coördinator B")


@pytest.fixture
def other_beheerder(other_school):
    return staff(other_school, Role.BEHEERDER, email="beheer@b.test", name="Beheerder B")


# --- Pupils -------------------------------------------------------------------------------


@pytest.fixture
def school_class(school, mentor):
    from students.tests.factories import SchoolClassFactory

    return SchoolClassFactory(school=school, name="2K1", mentors=[mentor])


@pytest.fixture
def student(school_class):
    """A pupil of School A, in the class of the `mentor` fixture, 14 years old."""
    from students.tests.factories import GuardianFactory, StudentFactory

    pupil = StudentFactory(school_class=school_class, first_name="Daan", last_name="Jansen", student_number="100001")
    GuardianFactory(student=pupil, name="Ouder Jansen")
    return pupil


@pytest.fixture
def other_student(other_school):
    from students.tests.factories import SchoolClassFactory, StudentFactory

    return StudentFactory(
        school_class=SchoolClassFactory(school=other_school, name="3B1"), first_name="Mila", last_name="Visser"
    )


@pytest.fixture
def consented_partner(partner_user, organisation, student, coordinator):
    """The partner user, linked to `student` with active consent for their organisation."""
    from students.tests.factories import ConsentFactory, PartnerLinkFactory

    PartnerLinkFactory(student=student, organisation=organisation, linked_by=coordinator)
    ConsentFactory(student=student, organisation=organisation, recorded_by=coordinator)
    return partner_user


# --- Browser (Playwright on the system Chromium) and a real Celery worker --------------


@pytest.fixture(scope="session")
def browser():
    with testing.chromium() as browser:
        new_context = browser.new_context

        def watched_context(*args, **kwargs):
            return testing.CSP_WATCH.attach(new_context(*args, **kwargs))

        browser.new_context = watched_context
        yield browser


@pytest.fixture(autouse=True)
def _content_security_policy_holds(request):
    """A browser test fails when a page it opened had no Content-Security-Policy header or the
    browser reported a CSP violation during the journey (issue 15)."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    testing.CSP_WATCH.reset()
    yield
    watch = testing.CSP_WATCH
    assert not watch.without_header, f"pages without a Content-Security-Policy: {watch.without_header}"
    assert not watch.violations, "CSP violations in the browser:\n" + "\n".join(watch.violations)


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) at laptop size, in Dutch; `page.base_url` is the live server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread) consuming from the configured broker."""
    with testing.celery_worker():
        yield
