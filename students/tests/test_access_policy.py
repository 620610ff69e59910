"""The pupil access policy as a table: who × situation × (list, search, file, export).

Every row says what the user gets; every denial is proven (404 outside scope, 403 for
the wrong role, absent from lists, search results and exports).
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory, partner, staff
from students.models import Consent, FileAccess
from students.tests.factories import ConsentFactory, PartnerLinkFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db

SEE = "see"  # 200 on the file; in list, search results and export (when exporting is allowed)
HIDDEN = "hidden"  # 404 on the file; absent from list, search results and export


def _staff(role):
    def make(ctx):
        return staff(ctx["school"], role)

    return make


def _mentor_of_class(ctx):
    return ctx["mentor"]


def _mentor_of_other_class(ctx):
    user = staff(ctx["school"], Role.MENTOR)
    SchoolClassFactory(school=ctx["school"], name="1B9", mentors=[user])
    return user


def _other_school_coordinator(ctx):
    return staff(ctx["other_school"], Role.ZORGCOORDINATOR)


def _partner(
    linked=True, consent=True, withdrawn=False, expired=False, personal_link_to_colleague=False, org_at_school=True
):
    def make(ctx):
        org = (
            ctx["organisation"]
            if org_at_school
            else OrganisationFactory(kind=OrganisationKind.SMW, schools=[ctx["other_school"]])
        )
        user = partner(org)
        if linked:
            colleague = partner(org) if personal_link_to_colleague else None
            PartnerLinkFactory(student=ctx["student"], organisation=org, user=colleague, linked_by=ctx["coordinator"])
        if consent:
            c = ConsentFactory(student=ctx["student"], organisation=org, recorded_by=ctx["coordinator"])
            if withdrawn:
                Consent.objects.filter(pk=c.pk).update(withdrawn_at=timezone.now(), withdrawn_by="moeder")
            if expired:
                Consent.objects.filter(pk=c.pk).update(ends_on=timezone.localdate() - timedelta(days=1))
        return user

    return make


# (who, make user, sees the pupil of School A?, may export?)
POLICY = [
    ("zorgcoördinator", _staff(Role.ZORGCOORDINATOR), SEE, True),
    ("functioneel beheerder", _staff(Role.BEHEERDER), SEE, True),
    ("verzuimcoördinator", _staff(Role.VERZUIMCOORDINATOR), SEE, False),
    ("mentor of the pupil's class", _mentor_of_class, SEE, False),
    ("mentor of another class", _mentor_of_other_class, HIDDEN, False),
    ("coach without a placement", _staff(Role.COACH), HIDDEN, False),
    ("aandachtsfunctionaris without a Meldcode case", _staff(Role.AANDACHTSFUNCTIONARIS), HIDDEN, False),
    ("school leader", _staff(Role.SCHOOLLEIDER), HIDDEN, False),
    ("coordinator of another school", _other_school_coordinator, HIDDEN, True),  # exports their own school
    ("partner linked and consented", _partner(), SEE, False),
    ("partner linked without consent", _partner(consent=False), HIDDEN, False),
    ("partner consented but not linked", _partner(linked=False), HIDDEN, False),
    ("partner after consent was withdrawn", _partner(withdrawn=True), HIDDEN, False),
    ("partner after consent ended", _partner(expired=True), HIDDEN, False),
    ("partner whose colleague (not they) is linked", _partner(personal_link_to_colleague=True), HIDDEN, False),
    ("partner of an organisation not at this school", _partner(org_at_school=False), HIDDEN, False),
]


@pytest.fixture
def ctx(school, other_school, organisation, student, other_student, mentor, coordinator):
    return {
        "school": school,
        "other_school": other_school,
        "organisation": organisation,
        "student": student,
        "mentor": mentor,
        "coordinator": coordinator,
    }


@pytest.mark.parametrize(("who", "make_user", "outcome", "may_export"), POLICY, ids=[p[0] for p in POLICY])
def test_pupil_file(client, ctx, who, make_user, outcome, may_export):
    client.force_login(make_user(ctx))
    response = client.get(ctx["student"].get_absolute_url())
    assert response.status_code == (200 if outcome == SEE else 404)
    if outcome == HIDDEN:
        assert "Daan Jansen" not in response.text


@pytest.mark.parametrize(("who", "make_user", "outcome", "may_export"), POLICY, ids=[p[0] for p in POLICY])
def test_pupil_list_and_search(client, ctx, who, make_user, outcome, may_export):
    user = make_user(ctx)
    client.force_login(user)
    for url in ("/leerlingen/", "/leerlingen/?q=Jansen", "/leerlingen/?q=100001"):
        response = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="student-results")
        if response.status_code == 403:
            assert who == "school leader"  # figures, not files: no pupil list at all
            continue
        assert response.status_code == 200
        assert ("Jansen, Daan" in response.text) == (outcome == SEE), url


@pytest.mark.parametrize(("who", "make_user", "outcome", "may_export"), POLICY, ids=[p[0] for p in POLICY])
def test_pupil_export(client, ctx, who, make_user, outcome, may_export):
    client.force_login(make_user(ctx))
    response = client.get("/leerlingen/export.csv")
    if not may_export:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert ('"100001";"Daan"' in response.content.decode()) == (outcome == SEE)


@pytest.mark.parametrize(("who", "make_user", "outcome", "may_export"), POLICY, ids=[p[0] for p in POLICY])
def test_read_log_only_for_what_was_shown(client, ctx, who, make_user, outcome, may_export):
    user = make_user(ctx)
    client.force_login(user)
    client.get(ctx["student"].get_absolute_url())
    client.get("/leerlingen/export.csv")
    logged = list(FileAccess.objects.filter(user=user).values_list("section", flat=True))
    expected = (["dossier"] if outcome == SEE else []) + (["export"] if may_export else [])
    assert sorted(logged) == sorted(expected)


def test_partner_loses_access_on_the_next_request_after_withdrawal(
    client, ctx, consented_partner, coordinator, student
):
    client.force_login(consented_partner)
    assert client.get(student.get_absolute_url()).status_code == 200
    consent = Consent.objects.get(student=student, organisation__isnull=False)

    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    response = coordinator_client.post(
        f"/leerlingen/{student.pk}/toestemming/{consent.pk}/intrekken/",
        {"withdrawn_by": "moeder", "reason": "wil het niet meer"},
    )
    assert response.status_code == 302

    assert client.get(student.get_absolute_url()).status_code == 404
    assert "Jansen" not in client.get("/leerlingen/").text
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None  # kept, not deleted


def test_partner_sees_only_their_sections(client, ctx, consented_partner, student, coordinator):
    from students.services import student_set_support_status
    from students.timeline import timeline_add

    student_set_support_status(student=student, status="in_begeleiding", actor=coordinator)
    timeline_add(student=student, kind="students.updated", actor=coordinator, fields=["klas"])
    client.force_login(consented_partner)
    page = client.get(student.get_absolute_url())
    assert page.status_code == 200
    assert "toestemming" not in page.context["sections"]
    assert "zorg" not in page.context["sections"]
    assert "meldcode" not in page.context["sections"]
    assert "Wie heeft dit dossier ingezien?" not in page.text


def test_mentor_sees_administration_only(client, ctx, mentor, student):
    client.force_login(mentor)
    page = client.get(student.get_absolute_url())
    assert page.context["sections"] == {"administratie"}
    assert "Ouder Jansen" in page.text  # mentors phone the parents
    assert "Toestemmingen" not in page.text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ZORGCOORDINATOR, 200),
        (Role.BEHEERDER, 200),
        pytest.param(Role.MENTOR, 403, marks=pytest.mark.denies("student.view_access_log")),
        pytest.param(Role.VERZUIMCOORDINATOR, 403, marks=pytest.mark.denies("student.view_access_log")),
    ],
)
def test_who_sees_who_opened_the_file(client, ctx, student, role, status):
    user = staff(ctx["school"], role)
    if role == Role.MENTOR:
        student.school_class.mentors.add(user)
    client.force_login(user)
    assert client.get(f"/leerlingen/{student.pk}/ingezien/").status_code == status


def test_access_log_of_another_schools_pupil_is_404(client, ctx, coordinator, other_student):
    client.force_login(coordinator)
    assert client.get(f"/leerlingen/{other_student.pk}/ingezien/").status_code == 404
    assert FileAccess.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/leerlingen/{pk}/wijzigen/", marks=pytest.mark.denies("student.edit")),
        pytest.param("/leerlingen/{pk}/ouders/nieuw/", marks=pytest.mark.denies("student.edit")),
        pytest.param("/leerlingen/{pk}/toestemming/nieuw/", marks=pytest.mark.denies("student.manage_consent")),
        pytest.param("/leerlingen/{pk}/partners/nieuw/", marks=pytest.mark.denies("student.manage_partners")),
        pytest.param("/leerlingen/{pk}/uitschrijven/", marks=pytest.mark.denies("student.edit")),
        pytest.param("/leerlingen/{pk}/ondersteuning/", marks=pytest.mark.denies("student.set_support_status")),
    ],
)
def test_mentor_cannot_change_the_file(client, ctx, mentor, student, url):
    client.force_login(mentor)
    assert client.get(url.format(pk=student.pk)).status_code == 403
    assert not FileAccess.objects.exists()  # refused requests are not logged as reads


@pytest.mark.parametrize("url", ["/leerlingen/{pk}/wijzigen/", "/leerlingen/{pk}/toestemming/nieuw/"])
def test_coordinator_of_another_school_gets_404_on_changes(client, ctx, student, url):
    client.force_login(_other_school_coordinator(ctx))
    assert client.get(url.format(pk=student.pk)).status_code == 404
    assert client.post(url.format(pk=student.pk), {}).status_code == 404


def test_autocomplete_offers_school_pupils_to_staff_only(client, ctx, student, other_student, mentor, partner_user):
    client.force_login(_mentor_of_other_class(ctx))  # any staff member may pick any pupil of their school
    response = client.get("/leerlingen/kiezen/?q=Jans")
    assert "Daan Jansen" in response.text
    assert "Visser" not in client.get("/leerlingen/kiezen/?q=Viss").text
    client.force_login(partner_user)
    assert "Daan" not in client.get("/leerlingen/kiezen/?q=Jans").text


@pytest.mark.parametrize(
    "url",
    [
        "/leerlingen/{pk}/ouders/99999/",
        "/leerlingen/{pk}/toestemming/99999/intrekken/",
        "/leerlingen/{pk}/partners/99999/beeindigen/",
        "/verzuim/leerling/{pk}/registratie/99999/verwijderen/",
    ],
)
def test_a_404_on_a_part_of_the_file_writes_no_read_log(client, coordinator, student, url):
    client.force_login(coordinator)
    assert client.post(url.format(pk=student.pk)).status_code == 404
    assert not FileAccess.objects.exists()


# --- School-level refusals ------------------------------------------------------------------


@pytest.mark.denies("school.list_students")
def test_school_leader_gets_no_pupil_list(client, schoolleider, student):
    client.force_login(schoolleider)
    assert client.get("/leerlingen/").status_code == 403
    assert client.get("/leerlingen/?q=Jansen").status_code == 403


@pytest.mark.denies("school.export_students")
def test_mentor_cannot_export_the_pupils(client, mentor, student):
    client.force_login(mentor)
    response = client.get("/leerlingen/export.csv")
    assert response.status_code == 403
    assert b"100001" not in response.content
    assert not FileAccess.objects.exists()


@pytest.mark.denies("school.manage_classes")
def test_coordinator_cannot_manage_the_classes(client, coordinator, school_class):
    client.force_login(coordinator)
    assert client.get("/leerlingen/klassen/").status_code == 403
    response = client.post(f"/leerlingen/klassen/{school_class.pk}/", {"name": "Anders", "year": 3, "level": "havo"})
    assert response.status_code == 403
    school_class.refresh_from_db()
    assert school_class.name == "2K1"


@pytest.mark.denies("school.view_access_log")
def test_coordinator_cannot_read_the_schools_read_log(client, coordinator, student):
    client.force_login(coordinator)
    client.get(student.get_absolute_url())  # a read that the log now holds
    response = client.get("/leerlingen/leesregistratie/")
    assert response.status_code == 403
    assert student.last_name not in response.text
