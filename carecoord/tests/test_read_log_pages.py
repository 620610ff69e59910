"""Every read of care data is logged (issue 15): one test per URL that shows pupils with care
context, each counting one read-log row per pupil shown, with the page kind; the table of
carecoord/access/readlog.py covers every URL of urls.py and is the one in docs/read-log.md.

How "shown" is checked: every pupil of the test's school whose name (or leerlingnummer, in
an export) is in the response must have exactly one row of this request, and no other
pupil may have one.
"""

import csv
import io
from datetime import time, timedelta
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from carecoord.access import readlog
from concerns.models import ConcernAction
from concerns.tests.factories import ConcernFactory, route
from meetings.tests.factories import AgendaItemFactory, AgreementFactory
from referrals.models import FacilityKind, ReferralState
from referrals.tests.factories import FacilityFactory, ReferralFactory, lesson_hours, placed, visit
from students.models import Consent, FileAccess, PartnerLink, Student
from students.selectors import log_read
from students.tests.factories import ConsentFactory, GuardianFactory, PartnerLinkFactory, StudentFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


# --- the table covers every URL --------------------------------------------------------------


def _patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patterns(pattern.url_patterns, inner)
        else:
            yield namespace, pattern


def test_every_url_of_urls_py_is_in_the_read_log_table():
    from django.views.generic import RedirectView

    from carecoord.views import not_found

    missing = []
    for namespace, pattern in _patterns(get_resolver().url_patterns):
        if pattern.name is None:
            # Unnamed: the admin's own, and our redirects and switched-off library pages.
            view = getattr(pattern.callback, "view_class", None)
            assert namespace == "admin:" or pattern.callback is not_found or view is RedirectView, pattern
            continue
        if readlog.page_log(namespace + pattern.name) is None:
            missing.append(namespace + pattern.name)
    assert not missing, f"add these URLs to carecoord/access/readlog.py PAGES: {missing}"


def test_the_table_names_no_url_that_does_not_exist():
    names = {ns + p.name for ns, p in _patterns(get_resolver().url_patterns) if isinstance(p, URLPattern) and p.name}
    assert set(readlog.PAGES) <= names


def test_docs_show_exactly_the_table():
    docs = (Path(settings.BASE_DIR) / "docs" / "read-log.md").read_text()
    assert readlog.markdown_table() in docs, "regenerate docs/read-log.md from readlog.markdown_table()"


def test_every_page_that_logs_has_a_test_here():
    logging_pages = {name for name, entry in readlog.PAGES.items() if entry.kind == readlog.LOGS}
    assert {url_name for url_name, _case in CASES.values()} == logging_pages


# --- the world a case draws from ---------------------------------------------------------------


@pytest.fixture
def w(school, school_class, student, coordinator, mentor, coach, beheerder, organisation):
    """Three pupils of School A (Daan, Sanne, Noah), and Nooit Getoond, who shows on the lists only."""
    sanne = StudentFactory(school_class=school_class, first_name="Sanne", last_name="Bakker", student_number="100002")
    noah = StudentFactory(
        school_class=school_class, first_name="Noah", tussenvoegsel="de", last_name="Smit", student_number="100003"
    )
    StudentFactory(school_class=school_class, first_name="Nooit", last_name="Getoond", student_number="100099")
    categories = route(school)
    lesson_hours(school)
    viproom = FacilityFactory(school=school, name="Viproom", coaches=[coach])
    return SimpleNamespace(
        school=school,
        daan=student,
        sanne=sanne,
        noah=noah,
        coordinator=coordinator,
        mentor=mentor,
        coach=coach,
        beheerder=beheerder,
        organisation=organisation,
        categories=categories,
        viproom=viproom,
    )


def _concern(w, pupil, **extra):
    return ConcernFactory(student=pupil, category=w.categories["gedrag"], raised_by=w.mentor, **extra)


def _meeting_pair(w):
    """Two meetings of a series: the first has Daan on the agenda and an open agreement about
    Sanne (carried over); the second has Noah on its agenda."""
    from meetings import services

    today = timezone.localdate()
    series = services.series_create(
        school=w.school,
        actor=w.coordinator,
        kind="ot",
        title="OT",
        interval_weeks=2,
        weekday=today.weekday() if today.weekday() < 5 else 0,
        start_time=time(23, 0),
        end_time=time(23, 30),
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=40),
        holiday_policy="skip",
        participants=[w.coordinator],
    )
    first, second = list(series.meetings.order_by("starts_at"))[:2]
    AgendaItemFactory(meeting=first, student=w.daan)
    AgreementFactory(meeting=first, student=w.sanne, owner=w.coordinator, description="Gesprek met ouders")
    AgendaItemFactory(meeting=second, student=w.noah)
    return first, second


def _signals(w):
    from absence.services import signals_compute
    from absence.tests.factories import absent, school_days_back

    day = school_days_back(timezone.localdate() - timedelta(days=1), 1)[0]
    absent(w.daan, day, 900)
    absent(w.sanne, day, 900)
    signals_compute(notify=False)


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if kind.startswith("text/csv"):
        return response.content.decode("utf-8-sig")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(" ".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True))
    return unescape(response.content.decode())


def _shown(pupil, text: str, export: bool) -> bool:
    if export:
        return pupil.student_number in text
    return pupil.full_name in text or pupil.sort_name in text


def assert_one_row_per_pupil_shown(response, url_name, at_least, *, school):
    entry = readlog.PAGES[url_name]
    rows = list(FileAccess.objects.filter(request_id=response["X-Request-ID"]))
    logged = [r.student_id for r in rows]
    assert len(logged) == len(set(logged)), "one row per pupil, not per mention"
    assert {r.page for r in rows} == {url_name}
    assert all(r.section.startswith(entry.section) for r in rows), [r.section for r in rows]
    assert {p.pk for p in at_least} <= set(logged)
    if response.status_code == 200:
        text = _text(response)
        export = "attachment" in response.get("Content-Disposition", "")
        shown = {p.pk for p in Student.objects.filter(school=school) if _shown(p, text, export)}
        assert set(logged) == shown, "every pupil shown is logged, and only those"


# --- one case per URL: (url name, function(client, w) -> (response, pupils at least shown)) --


def _file_page(suffix):
    def case(client, w):
        client.force_login(w.coordinator)
        return client.get(f"/leerlingen/{w.daan.pk}/{suffix}"), [w.daan]

    return case


def students_list(client, w):
    client.force_login(w.coordinator)
    return client.get("/leerlingen/"), [w.daan, w.sanne, w.noah]


def students_list_htmx(client, w):
    client.force_login(w.coordinator)
    return client.get("/leerlingen/?q=Bakker", HTTP_HX_TARGET="student-results", **HTMX), [w.sanne]


def students_export(client, w):
    client.force_login(w.coordinator)
    return client.get("/leerlingen/export.csv"), [w.daan, w.sanne, w.noah]


def students_export_xlsx(client, w):
    client.force_login(w.coordinator)
    return client.get("/leerlingen/export.xlsx?q=Smit"), [w.noah]


def school_access_log(client, w):
    log_read(user=w.coordinator, students=[w.daan], section="dossier")
    client.force_login(w.beheerder)
    return client.get("/leerlingen/leesregistratie/"), [w.daan]


def guardian_edit(client, w):
    client.force_login(w.coordinator)
    guardian = w.daan.guardians.get()
    return client.get(f"/leerlingen/{w.daan.pk}/ouders/{guardian.pk}/"), [w.daan]


def consent_withdraw(client, w):
    consent = ConsentFactory(student=w.daan, organisation=w.organisation, recorded_by=w.coordinator)
    client.force_login(w.coordinator)
    return client.get(f"/leerlingen/{w.daan.pk}/toestemming/{consent.pk}/intrekken/"), [w.daan]


def partner_link_end(client, w):
    link = PartnerLinkFactory(student=w.daan, organisation=w.organisation, linked_by=w.coordinator)
    client.force_login(w.coordinator)
    response = client.post(f"/leerlingen/{w.daan.pk}/partners/{link.pk}/beeindigen/")
    assert response.status_code == 302 and PartnerLink.objects.get().ended_on is not None
    return response, [w.daan]


def concern_inbox(client, w):
    _concern(w, w.daan)
    _concern(w, w.sanne)
    client.force_login(w.coordinator)
    return client.get("/zorg/meldingen/"), [w.daan, w.sanne]


def concern_inbox_htmx(client, w):
    _concern(w, w.daan)
    client.force_login(w.coordinator)
    return client.get("/zorg/meldingen/?status=", HTTP_HX_TARGET="concern-results", **HTMX), [w.daan]


def concern_mine(client, w):
    _concern(w, w.daan, feedback="Besproken met ouders.")
    _concern(w, w.noah)
    client.force_login(w.mentor)
    return client.get("/zorg/meldingen/mijn/"), [w.daan, w.noah]


def concern_detail(client, w):
    concern = _concern(w, w.daan)
    client.force_login(w.coordinator)
    return client.get(f"/zorg/meldingen/{concern.pk}/"), [w.daan]


def concern_detail_raiser(client, w):
    concern = _concern(w, w.sanne)
    client.force_login(w.mentor)
    response = client.get(f"/zorg/meldingen/{concern.pk}/")
    assert "concerns/concern_raiser.html" in [t.name for t in response.templates]
    return response, [w.sanne]


def _triage(path, data=None, meldcode=False):
    """An htmx triage step on Daan's concern: the re-rendered body is a read."""

    def case(client, w):
        category = w.categories["veiligheid" if meldcode else "gedrag"]
        concern = ConcernFactory(student=w.daan, category=category, raised_by=w.mentor)
        action = ConcernAction.objects.create(concern=concern, description="Bellen", created_by=w.coordinator)
        client.force_login(w.coordinator)
        url = f"/zorg/meldingen/{concern.pk}/{path.format(action=action.pk)}"
        response = client.post(url, data or {}, **HTMX)
        assert response.status_code == 200
        return response, [w.daan]

    return case


def referral_list(client, w):
    ReferralFactory(student=w.daan, facility=w.viproom, created_by=w.coordinator)
    ReferralFactory(student=w.sanne, facility=w.viproom, created_by=w.coordinator, state=ReferralState.INTAKE_PLANNED)
    client.force_login(w.coordinator)
    return client.get("/zorg/aanmeldingen/"), [w.daan, w.sanne]


def referral_create(client, w):
    _concern(w, w.daan)
    client.force_login(w.coordinator)
    return client.get(f"/zorg/aanmeldingen/nieuw/?leerling={w.daan.pk}"), [w.daan]


def referral_waiting_list(client, w):
    ReferralFactory(
        student=w.sanne,
        facility=w.viproom,
        created_by=w.coordinator,
        state=ReferralState.WAITING,
        waitlisted_at=timezone.now(),
    )
    client.force_login(w.coordinator)
    return client.get("/zorg/aanmeldingen/wachtlijst/"), [w.sanne]


def _referral_page(suffix, state=ReferralState.SUBMITTED):
    def case(client, w):
        referral = ReferralFactory(student=w.daan, facility=w.viproom, created_by=w.coordinator, state=state)
        client.force_login(w.coordinator)
        return client.get(f"/zorg/aanmeldingen/{referral.pk}/{suffix}"), [w.daan]

    return case


def _group(w):
    group = FacilityFactory(school=w.school, name="SO+ groep", kind=FacilityKind.GROUP, coaches=[w.coach])
    placement = placed(w.noah, group, by=w.coordinator, start_on=timezone.localdate().replace(day=1))
    visit(w.noah, group, at=timezone.now() - timedelta(minutes=30), minutes=20, by=w.coach, placement=placement)
    return group


def group_export(fmt):
    def case(client, w):
        _group(w)
        client.force_login(w.coordinator)
        month = timezone.localdate().strftime("%Y-%m")
        return client.get(f"/zorg/voorzieningen/groepsuren.{fmt}?maand={month}"), [w.noah]

    return case


def facility_figures(client, w):
    visit(w.daan, w.viproom, at=timezone.now() - timedelta(days=1), minutes=50, by=w.coach)
    client.force_login(w.coordinator)
    return client.get(f"/zorg/voorzieningen/{w.viproom.pk}/cijfers/"), [w.daan]


def facility_group(client, w):
    group = _group(w)
    client.force_login(w.coordinator)
    return client.get(f"/zorg/voorzieningen/{group.pk}/groep/"), [w.noah]


def placement_list(client, w):
    placed(w.daan, w.viproom, by=w.coordinator)
    client.force_login(w.coach)
    return client.get("/zorg/plaatsingen/"), [w.daan]


def _placement_page(suffix):
    def case(client, w):
        placement = placed(w.daan, w.viproom, by=w.coordinator)
        client.force_login(w.coordinator)
        return client.get(f"/zorg/plaatsingen/{placement.pk}/{suffix}"), [w.daan]

    return case


def _board_world(w):
    today = timezone.localdate().weekday()
    placement = placed(w.daan, w.viproom, by=w.coordinator, slots=[(today, 1)] if today < 5 else [])
    return visit(w.daan, w.viproom, by=w.coach, placement=placement)


def facility_board(client, w):
    _board_world(w)
    placed(w.sanne, w.viproom, by=w.coordinator)
    client.force_login(w.coach)
    return client.get(f"/zorg/bord/{w.viproom.pk}/"), [w.daan, w.sanne]


def visit_check_in(client, w):
    _board_world(w)
    placed(w.sanne, w.viproom, by=w.coordinator)
    client.force_login(w.coach)
    response = client.post(f"/zorg/bord/{w.viproom.pk}/inchecken/", {"student": w.sanne.pk}, **HTMX)
    assert "Sanne Bakker is ingecheckt." in response.content.decode()
    return response, [w.daan, w.sanne]


def visit_check_out(client, w):
    _board_world(w)
    client.force_login(w.coach)
    response = client.post(f"/zorg/bord/{w.viproom.pk}/uitchecken/", {"student": w.daan.pk}, **HTMX)
    assert "is uitgecheckt" in response.content.decode()
    return response, [w.daan]


def visit_note(client, w):
    the_visit = _board_world(w)
    client.force_login(w.coach)
    return client.get(f"/zorg/bord/{w.viproom.pk}/bezoek/{the_visit.pk}/notitie/"), [w.daan]


def visit_correct(client, w):
    the_visit = _board_world(w)
    client.force_login(w.coach)
    return client.get(f"/zorg/bord/{w.viproom.pk}/bezoek/{the_visit.pk}/corrigeren/"), [w.daan]


def agreement_list(client, w):
    first, _second = _meeting_pair(w)
    client.force_login(w.coordinator)
    return client.get("/overleg/afspraken/"), [w.sanne]


def meeting_detail(client, w):
    """The second meeting: Noah on the agenda, the agreement about Sanne carried over, and
    Daan suggested (an open concern)."""
    _concern(w, w.daan)
    _first, second = _meeting_pair(w)
    client.force_login(w.coordinator)
    response = client.get(f"/overleg/{second.pk}/")
    page = response.context["page"]
    assert [a.student for a in page.carried_over] == [w.sanne]
    assert w.daan.pk in [s.student.pk for s in page.suggestions]  # shown only as a suggestion
    return response, [w.noah, w.sanne, w.daan]


def meeting_minutes(client, w):
    _first, second = _meeting_pair(w)
    client.force_login(w.coordinator)
    return client.get(f"/overleg/{second.pk}/verslag/"), [w.noah, w.sanne]


def agreement_add(suffix):
    def case(client, w):
        _first, second = _meeting_pair(w)
        item = second.items.get()
        client.force_login(w.coordinator)
        url = f"/overleg/{second.pk}/" + suffix.format(item=item.pk)
        response = client.post(url, {})  # no description: the page again, with the error
        assert response.status_code == 200
        return response, [w.noah, w.sanne]

    return case


def absence_overview(client, w):
    _signals(w)
    client.force_login(w.coordinator)
    return client.get("/verzuim/"), [w.daan, w.sanne]


def absence_overview_htmx(client, w):
    _signals(w)
    client.force_login(w.coordinator)
    return client.get("/verzuim/?q=Bakker", HTTP_HX_TARGET="absence-results", **HTMX), [w.sanne]


def _absence_page(suffix):
    def case(client, w):
        client.force_login(w.coordinator)
        return client.get(f"/verzuim/leerling/{w.daan.pk}/{suffix}"), [w.daan]

    return case


def absence_record_remove(client, w):
    from absence.models import AbsenceSource
    from absence.tests.factories import absent

    record = absent(w.daan, timezone.localdate(), 50, source=AbsenceSource.MANUAL)
    client.force_login(w.coordinator)
    response = client.post(f"/verzuim/leerling/{w.daan.pk}/registratie/{record.pk}/verwijderen/")
    assert response.status_code == 302
    return response, [w.daan]


CASES = {
    "students:list": ("students:list", students_list),
    "students:list (htmx)": ("students:list", students_list_htmx),
    "students:export": ("students:export", students_export),
    "students:export_xlsx": ("students:export_xlsx", students_export_xlsx),
    "students:school_access_log": ("students:school_access_log", school_access_log),
    "students:file": ("students:file", _file_page("")),
    "students:edit": ("students:edit", _file_page("wijzigen/")),
    "students:leave": ("students:leave", _file_page("uitschrijven/")),
    "students:support_status": ("students:support_status", _file_page("ondersteuning/")),
    "students:guardian_add": ("students:guardian_add", _file_page("ouders/nieuw/")),
    "students:guardian_edit": ("students:guardian_edit", guardian_edit),
    "students:consent_add": ("students:consent_add", _file_page("toestemming/nieuw/")),
    "students:consent_withdraw": ("students:consent_withdraw", consent_withdraw),
    "students:partner_link_add": ("students:partner_link_add", _file_page("partners/nieuw/")),
    "students:partner_link_end": ("students:partner_link_end", partner_link_end),
    "students:access_log": ("students:access_log", _file_page("ingezien/")),
    "concerns:concern_inbox": ("concerns:concern_inbox", concern_inbox),
    "concerns:concern_inbox (htmx)": ("concerns:concern_inbox", concern_inbox_htmx),
    "concerns:concern_mine": ("concerns:concern_mine", concern_mine),
    "concerns:concern_detail": ("concerns:concern_detail", concern_detail),
    "concerns:concern_detail (raiser)": ("concerns:concern_detail", concern_detail_raiser),
    "concerns:concern_assign": ("concerns:concern_assign", _triage("behandelaar/")),
    "concerns:concern_classify": ("concerns:concern_classify", _triage("categorie/")),
    "concerns:concern_action_add": ("concerns:concern_action_add", _triage("acties/", {"description": "Bellen"})),
    "concerns:concern_action_done": ("concerns:concern_action_done", _triage("acties/{action}/gedaan/")),
    "concerns:concern_close": ("concerns:concern_close", _triage("afronden/")),
    "concerns:meldcode_step_add": ("concerns:meldcode_step_add", _triage("meldcode/", meldcode=True)),
    "referrals:referral_list": ("referrals:referral_list", referral_list),
    "referrals:referral_create": ("referrals:referral_create", referral_create),
    "referrals:referral_waiting_list": ("referrals:referral_waiting_list", referral_waiting_list),
    "referrals:referral_detail": ("referrals:referral_detail", _referral_page("")),
    "referrals:referral_plan_intake": ("referrals:referral_plan_intake", _referral_page("intake-plannen/")),
    "referrals:referral_record_intake": (
        "referrals:referral_record_intake",
        _referral_page("intake/", ReferralState.INTAKE_PLANNED),
    ),
    "referrals:referral_place": ("referrals:referral_place", _referral_page("plaatsen/", ReferralState.INTAKE_HELD)),
    "referrals:referral_decide": ("referrals:referral_decide", _referral_page("besluit/afwijzen/")),
    "referrals:facility_group_export": ("referrals:facility_group_export", group_export("csv")),
    "referrals:facility_group_export_xlsx": ("referrals:facility_group_export_xlsx", group_export("xlsx")),
    "referrals:facility_figures": ("referrals:facility_figures", facility_figures),
    "referrals:facility_group": ("referrals:facility_group", facility_group),
    "referrals:placement_list": ("referrals:placement_list", placement_list),
    "referrals:placement_detail": ("referrals:placement_detail", _placement_page("")),
    "referrals:placement_plan": ("referrals:placement_plan", _placement_page("plan/")),
    "referrals:placement_goal_add": ("referrals:placement_goal_add", _placement_page("doelen/nieuw/")),
    "referrals:placement_evaluate": ("referrals:placement_evaluate", _placement_page("evaluatie/")),
    "referrals:placement_end": ("referrals:placement_end", _placement_page("beeindigen/")),
    "referrals:facility_board": ("referrals:facility_board", facility_board),
    "referrals:visit_check_in": ("referrals:visit_check_in", visit_check_in),
    "referrals:visit_check_out": ("referrals:visit_check_out", visit_check_out),
    "referrals:visit_note": ("referrals:visit_note", visit_note),
    "referrals:visit_correct": ("referrals:visit_correct", visit_correct),
    "meetings:agreement_list": ("meetings:agreement_list", agreement_list),
    "meetings:detail": ("meetings:detail", meeting_detail),
    "meetings:minutes": ("meetings:minutes", meeting_minutes),
    "meetings:agreement_add": ("meetings:agreement_add", agreement_add("afspraken/")),
    "meetings:item_agreement_add": ("meetings:item_agreement_add", agreement_add("agenda/{item}/afspraken/")),
    "absence:overview": ("absence:overview", absence_overview),
    "absence:overview (htmx)": ("absence:overview", absence_overview_htmx),
    "absence:student": ("absence:student", _absence_page("")),
    "absence:record_add": ("absence:record_add", _absence_page("registreren/")),
    "absence:record_remove": ("absence:record_remove", absence_record_remove),
    "absence:step_add": ("absence:step_add", _absence_page("stap/")),
}


def _app_cases():
    """The cases of the apps that keep theirs beside their own tests: `<app>/tests/read_log_cases.py`
    with a `CASES` dict of the same shape (a new app adds its pages there, not here)."""
    from importlib import import_module

    from django.apps import apps

    cases = {}
    for config in apps.get_app_configs():
        if (Path(config.path) / "tests" / "read_log_cases.py").exists():
            cases.update(import_module(f"{config.name}.tests.read_log_cases").CASES)
    return cases


CASES.update(_app_cases())


@pytest.mark.parametrize("case", list(CASES))
def test_the_page_logs_one_row_per_pupil_shown(client, w, case):
    url_name, make = CASES[case]
    response, at_least = make(client, w)
    assert response.status_code in (200, 302), response.status_code
    assert response.resolver_match.view_name == url_name
    assert_one_row_per_pupil_shown(response, url_name, at_least, school=w.school)


# --- pages that show no care context write nothing ----------------------------------------------


ROLES = ["coordinator", "mentor", "coach", "beheerder", "verzuimcoordinator", "aandachtsfunctionaris"]


@pytest.mark.parametrize("role", ROLES)
def test_the_type_ahead_writes_no_read_log_and_shows_no_leerlingnummer(client, request, w, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/leerlingen/kiezen/?q=Daan")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Daan Jansen" in text and "2K1" in text
    assert w.daan.student_number not in text
    # By number too (the mentor may know it): the name comes back, the number does not.
    response = client.get(f"/leerlingen/kiezen/?q={w.daan.student_number}")
    assert "Daan Jansen" in response.content.decode() and w.daan.student_number not in response.content.decode()
    assert not FileAccess.objects.exists()


def test_picking_pages_write_no_read_log(client, w):
    first, _second = _meeting_pair(w)
    client.force_login(w.coordinator)
    assert client.get(f"/overleg/{first.pk}/agenda/zoeken/?q=Sanne").status_code == 200
    assert client.get(f"/zorg/bord/{w.viproom.pk}/binnenloper/").status_code == 200
    assert client.get("/zorg/meldingen/nieuw/").status_code == 200
    assert not FileAccess.objects.exists()


def test_a_partner_logs_only_the_consented_pupils_they_see(client, w, consented_partner):
    client.force_login(consented_partner)
    response = client.get("/leerlingen/")
    assert_one_row_per_pupil_shown(response, "students:list", [w.daan], school=w.school)
    assert list(FileAccess.objects.values_list("student_id", flat=True)) == [w.daan.pk]


def test_the_boards_own_refresh_logs_again_only_for_new_pupils_or_after_ten_minutes(client, w, monkeypatch):
    from students import selectors

    _board_world(w)
    client.force_login(w.coach)
    url = f"/zorg/bord/{w.viproom.pk}/"
    poll = {"HTTP_HX_TRIGGER": "board", "HTTP_HX_TARGET": "board", **HTMX}
    client.get(url)  # the coach opens the board: logged
    assert FileAccess.objects.count() == 1
    client.get(url, **poll)  # its refresh 20 seconds later, same pupils: nothing new
    assert FileAccess.objects.count() == 1
    placed(w.sanne, w.viproom, by=w.coordinator)
    response = client.get(url, **poll)  # a pupil appears: everyone shown is logged
    assert_one_row_per_pupil_shown(response, "referrals:facility_board", [w.daan, w.sanne], school=w.school)
    assert FileAccess.objects.count() == 3
    monkeypatch.setattr(selectors, "REPEAT_LOG_SECONDS", 0)  # ten minutes later
    client.get(url, **poll)
    assert FileAccess.objects.count() == 5
    client.get(url)  # opened again by hand: always logged
    assert FileAccess.objects.count() == 7


def test_the_read_log_row_carries_the_page_and_shows_it_to_the_privacy_officer(client, w):
    client.force_login(w.coordinator)
    client.get("/leerlingen/")
    client.force_login(w.beheerder)
    response = client.get("/leerlingen/leesregistratie/")
    assert "students:list" in response.content.decode()
    assert set(FileAccess.objects.values_list("page", flat=True)) == {"students:list", "students:school_access_log"}


def test_a_read_log_row_written_outside_a_request_has_no_page(w):
    log_read(user=w.coordinator, students=[w.daan, w.daan], section="dossier")
    row = FileAccess.objects.get()
    assert (row.page, row.request_id) == ("", "-")


def test_a_consent_backdated_shows_on_the_file(client, w):
    from records.tests.factories import pdf_upload
    from students import services

    services.consent_give(
        student=w.daan,
        organisation=w.organisation,
        given_on=timezone.localdate() - timedelta(days=45),
        given_by_guardian=GuardianFactory(student=w.daan),
        backdate_reason="Formulier lag bij de mentor",
        signed_form=pdf_upload("formulier.pdf"),
        actor=w.coordinator,
    )
    client.force_login(w.coordinator)
    text = client.get(f"/leerlingen/{w.daan.pk}/").content.decode()
    assert "teruggedateerd" in text and "Formulier lag bij de mentor" in text
    assert Consent.objects.get().backdate_reason == "Formulier lag bij de mentor"


def test_csv_export_is_read_by_excel_as_one_row_per_pupil(client, w):
    client.force_login(w.coordinator)
    rows = list(
        csv.reader(io.StringIO(client.get("/leerlingen/export.csv").content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][0] == "leerlingnummer" and len(rows) == 5
