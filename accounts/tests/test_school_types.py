"""School types (PO, SO, VSO, VO): the words of the screens, groepen 1-8, and the intern
begeleider (IB'er), who is the coordinator of a primary or special school only."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, Role, SchoolType
from accounts.tests.factories import SchoolFactory, staff
from carecoord import access
from students.models import Level, SchoolClass
from students.tests.factories import SchoolClassFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def primary(db):
    return SchoolFactory(name="OBS De Aanloop", brin_code="33PO", school_type=SchoolType.PO)


@pytest.fixture
def ib(primary):
    return staff(primary, Role.INTERN_BEGELEIDER, email="ib@po.test", name="Intern Begeleider")


@pytest.fixture
def po_pupil(primary):
    teacher = staff(primary, Role.MENTOR, email="juf@po.test", name="Juf Anna")
    groep = SchoolClassFactory(school=primary, name="5a", year=5, level=Level.PO, mentors=[teacher])
    return StudentFactory(school_class=groep, first_name="Noah", last_name="Bakker")


def test_po_pupil_file_says_groep_and_leerkracht(client, ib, po_pupil):
    client.force_login(ib)
    response = client.get(f"/leerlingen/{po_pupil.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Groep 5a" in html
    assert "Leerkracht" in html and "Juf Anna" in html
    assert "Mentor" not in html and "Klas 5a" not in html


def test_vo_pupil_file_says_klas_and_mentor(client, coordinator, student):
    client.force_login(coordinator)
    html = client.get(f"/leerlingen/{student.pk}/").content.decode()
    assert "Klas 2K1" in html and "Mentor" in html
    assert "Leerkracht" not in html


def test_ib_can_do_what_the_coordinator_does_at_a_primary_school(client, ib, po_pupil, primary):
    assert access.can(ib, "student.edit", po_pupil)
    assert access.can(ib, "school.manage_referrals", primary)
    assert access.can(ib, "school.plan_meetings", primary)
    assert ib in access.people_with_role(primary, Role.ZORGCOORDINATOR)
    client.force_login(ib)
    assert client.get("/leerlingen/").status_code == 200
    assert client.get(f"/leerlingen/{po_pupil.pk}/wijzigen/").status_code == 200


@pytest.mark.denies("student.edit", "school.list_students")
def test_ib_role_at_a_secondary_school_opens_nothing(client, school, student):
    # Given through the Django admin or before the school changed type: it counts for nothing.
    person = staff(school, Role.INTERN_BEGELEIDER, email="ib@vo.test", name="IB VO")
    assert not access.can(person, "student.edit", student)
    assert person not in access.people_with_role(school, Role.ZORGCOORDINATOR)
    client.force_login(person)
    assert client.get("/leerlingen/").status_code == 403
    assert client.get(f"/leerlingen/{student.pk}/").status_code == 404


@pytest.mark.denies("student.edit")
def test_ib_of_another_school_gets_404_on_a_pupil(client, ib, student):
    assert not access.can(ib, "student.edit", student)
    client.force_login(ib)
    assert client.get(f"/leerlingen/{student.pk}/").status_code == 404
    assert client.get(f"/leerlingen/{student.pk}/wijzigen/").status_code == 404


@pytest.mark.denies("school.manage_users")
def test_ib_cannot_manage_staff(client, ib, primary):
    client.force_login(ib)
    assert client.get("/beheer/medewerkers/").status_code == 403


def test_ib_needs_a_second_factor(ib):
    from carecoord.access.twofactor import two_factor_required

    assert two_factor_required(ib)


def test_ib_role_cannot_be_given_at_a_secondary_school(client, beheerder, school):
    client.force_login(beheerder)
    assert f'value="{Role.INTERN_BEGELEIDER}"' not in client.get("/beheer/medewerkers/nieuw/").text  # not offered
    response = client.post(
        "/beheer/medewerkers/nieuw/",
        {"name": "Nieuwe IB", "email": "nieuw-ib@a.test", "roles": [Role.INTERN_BEGELEIDER]},
    )
    assert response.status_code == 200
    assert "nieuw-ib@a.test" in response.text  # what was typed is kept
    assert not Membership.objects.filter(role=Role.INTERN_BEGELEIDER).exists()
    with pytest.raises(ValidationError, match="hoort bij een basisschool"):  # the service's own refusal
        services.invitation_create(
            actor=beheerder, school=school, email="ib@a.test", name="IB", roles=[Role.INTERN_BEGELEIDER]
        )


def test_a_primary_schools_roles_are_offered_in_its_words(client, primary):
    client.force_login(staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO"))
    page = client.get("/beheer/medewerkers/nieuw/").text
    assert f'value="{Role.INTERN_BEGELEIDER}"' in page and "Leerkracht" in page and ">Mentor<" not in page


def test_ib_role_can_be_given_at_a_primary_school(client, primary):
    admin = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    client.force_login(admin)
    response = client.post(
        "/beheer/medewerkers/nieuw/",
        {"name": "Nieuwe IB", "email": "nieuw-ib@po.test", "roles": [Role.INTERN_BEGELEIDER]},
    )
    assert response.status_code == 302
    # A new address is invited: the role is given when the invitation is accepted.
    invitation = Invitation.objects.get(user__email="nieuw-ib@po.test")
    assert invitation.school == primary and invitation.invited_roles == [Role.INTERN_BEGELEIDER]


# --- Groepen and classes -------------------------------------------------------------------------


def test_a_po_groep_outside_1_to_8_is_refused_and_the_input_kept(client, primary):
    admin = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    client.force_login(admin)
    response = client.post("/leerlingen/klassen/nieuw/", {"name": "9z", "year": "9", "level": Level.PO})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Een groep is groep 1 tot en met 8." in html
    assert 'value="9z"' in html
    assert "Groepen" in html and "Leerkrachten" in html
    assert not SchoolClass.objects.filter(school=primary).exists()

    response = client.post("/leerlingen/klassen/nieuw/", {"name": "8b", "year": "8", "level": Level.PO})
    assert response.status_code == 302
    assert SchoolClass.objects.get(school=primary).name == "8b"


def test_a_secondary_level_outside_its_years_is_refused(client, beheerder, school):
    client.force_login(beheerder)
    response = client.post("/leerlingen/klassen/nieuw/", {"name": "6H1", "year": "6", "level": Level.HAVO})
    assert "Leerjaar 6 past niet bij havo" in response.content.decode()
    assert not SchoolClass.objects.filter(name="6H1").exists()
    response = client.post("/leerlingen/klassen/nieuw/", {"name": "6V1", "year": "6", "level": Level.VWO})
    assert response.status_code == 302
    assert SchoolClass.objects.filter(name="6V1", year=6).exists()


def test_a_primary_level_is_refused_at_a_secondary_school(client, beheerder):
    client.force_login(beheerder)
    response = client.post("/leerlingen/klassen/nieuw/", {"name": "5a", "year": "5", "level": Level.PO})
    assert response.status_code == 200
    assert not SchoolClass.objects.filter(name="5a").exists()


@pytest.mark.parametrize(
    "path",
    ["/verzuim/leerling/{pk}/", "/zorg/meldingen/cijfers/", "/zorg/aanmeldingen/"],
)
def test_po_lists_and_pages_say_groep_not_klas(client, ib, po_pupil, path):
    client.force_login(ib)
    response = client.get(path.format(pk=po_pupil.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Groep" in html
    assert ">Klas<" not in html and "Per klas" not in html and "Klas 5a" not in html


def test_the_printed_file_of_a_po_pupil_says_groep_and_leerkracht(ib, po_pupil):
    from django.template.loader import render_to_string

    from records.export import build_export, export_sections

    sections = export_sections(ib, po_pupil, ["basis"])
    export = build_export(user=ib, student=po_pupil, sections=sections, chosen=sections)
    html = render_to_string("records/file_print.html", {"export": export})
    assert "<dt>Groep</dt>" in html and "<dt>Leerkracht</dt>" in html
    assert "<dt>Klas</dt>" not in html and "<dt>Mentor</dt>" not in html


# --- Role names in lists and the log -------------------------------------------------------------


def test_a_primary_schools_staff_list_and_invitations_say_leerkracht(client, primary, po_pupil):
    admin = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    services.invitation_create(
        actor=admin, school=primary, email="meester@po.test", name="Meester Bas", roles=[Role.COACH, Role.MENTOR]
    )
    client.force_login(admin)
    html = client.get("/beheer/medewerkers/").text
    assert 'badge-soft me-1">Leerkracht</span>' in html  # Juf Anna's role
    assert "<td>Coach (voorziening), Leerkracht</td>" in html  # the invitation
    assert "Mentor" not in html


def test_a_secondary_schools_staff_list_and_invitations_say_mentor(client, beheerder, mentor, school):
    services.invitation_create(
        actor=beheerder, school=school, email="nieuw@a.test", name="Nieuwe Mentor", roles=[Role.MENTOR]
    )
    client.force_login(beheerder)
    html = client.get("/beheer/medewerkers/").text
    assert 'badge-soft me-1">Mentor</span>' in html and "<td>Mentor</td>" in html
    assert "Leerkracht" not in html


def test_a_primary_schools_staff_list_query_count_does_not_grow(client, primary):
    from carecoord.testing import query_count

    admin = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    client.force_login(admin)

    def grow(start, stop):
        for i in range(start, stop):
            staff(primary, Role.MENTOR, Role.COACH, email=f"juf{i}@po.test", name=f"Juf {i}")
            services.invitation_create(
                actor=admin, school=primary, email=f"meester{i}@po.test", name=f"Meester {i}", roles=[Role.MENTOR]
            )

    grow(0, 2)
    few = query_count(client, "/beheer/medewerkers/")
    grow(2, 12)
    assert query_count(client, "/beheer/medewerkers/") == few
    assert client.get("/beheer/medewerkers/").text.count("Leerkracht") == 24  # 12 badges, 12 invitations


def test_the_log_says_a_primary_schools_type_and_roles_in_its_words(client, primary):
    from accounts.tests.factories import UserFactory

    app_admin = UserFactory(email="regio@beheer.test", name="Regio Beheer", is_application_admin=True)
    services.school_create(
        actor=app_admin, name="SBO De Brug", brin_code="44SO", holiday_region="midden", school_type=SchoolType.SO
    )
    admin = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    services.invitation_create(
        actor=admin, school=primary, email="meester@po.test", name="Meester Bas", roles=[Role.MENTOR]
    )
    client.force_login(app_admin)
    text = client.get("/regio/logboek/").text
    assert "<strong>soort school</strong>: — → Speciaal onderwijs (SO)" in text
    assert "<strong>rollen</strong>: — → Leerkracht" in text
    assert "Mentor" not in text and "→ so<" not in text


def test_a_leerkracht_sees_their_role_in_the_schools_words_under_their_name(client, primary):
    client.force_login(staff(primary, Role.MENTOR, email="meester@po.test", name="Meester Jan"))
    assert client.get("/").context["current_role_labels"] == ["Leerkracht"]


def test_the_mail_names_the_ib_role_as_text_not_html(primary, django_capture_on_commit_callbacks):
    """The text part is text ("IB'er"; it read "IB&#x27;er"), the HTML part escapes it once."""
    from django.core import mail

    admin = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=admin, school=primary, email="ib-nieuw@po.test", name="Ine", roles=[Role.INTERN_BEGELEIDER]
        )
    [message] = mail.outbox
    assert "Je rollen daar: Intern begeleider (IB'er)." in message.body
    html = message.alternatives[0][0]
    assert "IB&#x27;er" in html and "&amp;#x27;" not in html


# --- An invitation accepted after the school changed type -----------------------------------------


def _invite_then_make_secondary(primary, capture, roles) -> str:
    """An invitation at the primary school with `roles`; then applicatiebeheer makes the school
    a VO school (a type entered wrongly, corrected). The path of the mailed link."""
    from urllib.parse import urlparse

    from django.core import mail

    from accounts.tests.factories import UserFactory

    admin = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    with capture(execute=True):
        services.invitation_create(actor=admin, school=primary, email="ine@po.test", name="Ine", roles=roles)
    app_admin = UserFactory(email="regio@beheer.test", name="Regio Beheer", is_application_admin=True)
    services.school_update(school=primary, actor=app_admin, school_type=SchoolType.VO)
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/uitnodiging/" in line).strip()
    parts = urlparse(link)
    return f"{parts.path}?{parts.query}"


def test_invitee_gets_only_the_roles_the_school_can_hold_now(client, primary, django_capture_on_commit_callbacks):
    from accounts.tests.factories import accept_invitation_link
    from audit.models import Change

    link = _invite_then_make_secondary(
        primary, django_capture_on_commit_callbacks, [Role.INTERN_BEGELEIDER, Role.AANDACHTSFUNCTIONARIS]
    )
    response = accept_invitation_link(client, link)
    assert response.status_code == 302
    assert set(Membership.objects.filter(user__email="ine@po.test").values_list("role", flat=True)) == {
        Role.AANDACHTSFUNCTIONARIS
    }
    page = client.get(response["Location"]).text
    assert "Je account is klaar." in page
    assert "Je hebt de rol Intern begeleider (IB&#x27;er) niet gekregen." in page
    assert "hoort bij een basisschool" in page and "Vraag Beheer PO om een rol die bij OBS De Aanloop past." in page
    accepted = Change.objects.get(kind="accounts.invitation_accepted")
    assert accepted.changes["roles"] == [
        [Role.AANDACHTSFUNCTIONARIS, Role.INTERN_BEGELEIDER],
        [Role.AANDACHTSFUNCTIONARIS],
    ]


def test_invitee_with_no_role_the_school_can_hold_is_refused_and_nothing_is_set(
    client, primary, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import PASSWORD, accept_invitation_link

    link = _invite_then_make_secondary(primary, django_capture_on_commit_callbacks, [Role.INTERN_BEGELEIDER])
    response = accept_invitation_link(client, link)
    assert response.status_code == 200
    assert "hoort bij een basisschool" in response.text
    assert (
        "Je uitnodiging is daarom niet aangenomen: vraag Beheer PO om een nieuwe met een andere rol." in response.text
    )
    invitation = Invitation.objects.get(user__email="ine@po.test")
    assert invitation.state == "open" and not Membership.objects.filter(user=invitation.user).exists()
    invitation.user.refresh_from_db()
    assert not invitation.user.check_password(PASSWORD)


# --- The school's type changed: roles that no longer count are named, not resent ---------------


def _invite_ib(primary, beheerder, capture):
    with capture(execute=True):
        _, invitation = services.invitation_create(
            actor=beheerder, school=primary, email="nieuwe-ib@po.test", name="Nieuwe IB", roles=[Role.INTERN_BEGELEIDER]
        )
    return invitation


def test_beheerder_who_makes_the_school_vo_is_told_who_holds_a_role_that_no_longer_counts(
    client, primary, ib, django_capture_on_commit_callbacks
):
    beheerder = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    Membership.objects.create(user=beheerder, school=primary, role=Role.INTERN_BEGELEIDER)
    _invite_ib(primary, beheerder, django_capture_on_commit_callbacks)
    services.invitation_create(
        actor=beheerder, school=primary, email="mentor@po.test", name="Mentor", roles=[Role.MENTOR]
    )
    client.force_login(beheerder)
    fields = {"school-name": primary.name, "school-holiday_region": "midden", "school-school_type": SchoolType.VO}
    response = client.post("/beheer/school/", fields, follow=True)
    assert response.redirect_chain == [("/beheer/school/", 302)]
    text = response.content.decode()  # the names as typed, not HTML-escaped apostrophes
    assert (
        "2 medewerkers hebben een rol die bij OBS De Aanloop niet past en daar niets opent: "
        "Beheer PO (beheer@po.test: Intern begeleider (IB&#x27;er)); "
        "Intern Begeleider (ib@po.test: Intern begeleider (IB&#x27;er)). "
        "Geef een andere rol op de pagina van de medewerker." in text
    )
    assert (
        "1 open uitnodiging noemt een rol die bij OBS De Aanloop niet past: "
        "nieuwe-ib@po.test (Intern begeleider (IB&#x27;er)). "
        "Trek de uitnodiging in en nodig opnieuw uit met een andere rol." in text
    )
    assert "mentor@po.test" not in text.split("niet past:")[-1]
    # Nobody's roles are taken away: the beheerder decides.
    assert Membership.objects.filter(school=primary, role=Role.INTERN_BEGELEIDER).count() == 2


def test_beheerder_who_saves_a_vo_school_without_such_roles_is_not_warned(client, beheerder, mentor, school):
    client.force_login(beheerder)
    fields = {"school-name": school.name, "school-holiday_region": "midden", "school-school_type": SchoolType.VO}
    response = client.post("/beheer/school/", fields, follow=True)
    assert "De instellingen zijn opgeslagen." in response.text and "niet past" not in response.text


def test_beheerder_cannot_resend_an_invitation_whose_role_no_longer_fits(
    client, primary, django_capture_on_commit_callbacks
):
    from django.core import mail

    beheerder = staff(primary, Role.BEHEERDER, email="beheer@po.test", name="Beheer PO")
    invitation = _invite_ib(primary, beheerder, django_capture_on_commit_callbacks)
    services.school_update(school=primary, actor=beheerder, school_type=SchoolType.VO)
    mail.outbox.clear()
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beheer/uitnodigingen/{invitation.pk}/opnieuw/", follow=True)
    assert response.redirect_chain == [("/beheer/medewerkers/", 302)]
    assert (
        "Deze uitnodiging noemt een rol die bij OBS De Aanloop niet past (Intern begeleider (IB&#x27;er)) en wordt "
        "daarom niet opnieuw verstuurd. Trek de uitnodiging in en nodig nieuwe-ib@po.test opnieuw uit met een "
        "andere rol." in response.text
    )
    assert mail.outbox == []
    before = invitation.token_hash
    invitation.refresh_from_db()
    assert invitation.times_sent == 1 and invitation.token_hash == before
    # Withdrawing it still works: then a new invitation with another role.
    client.post(f"/beheer/uitnodigingen/{invitation.pk}/intrekken/")
    invitation.refresh_from_db()
    assert invitation.state == "revoked"


def test_the_staff_list_marks_roles_and_invitations_that_do_not_count_here(client, beheerder, school):
    # An IB'er and an invitation naming one, left from before the school became VO.
    staff(school, Role.INTERN_BEGELEIDER, Role.MENTOR, email="ib@vo.test", name="Ina Bos")
    invited = staff(school, email="nieuw@vo.test", name="Nieuw")
    Invitation.objects.create(
        user=invited,
        school=school,
        invited_by=beheerder,
        invited_roles=[Role.INTERN_BEGELEIDER],
        token_hash="x" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    client.force_login(beheerder)
    page = client.get("/beheer/medewerkers/").text
    assert page.count("telt niet bij deze soort school") == 1
    assert "noemt een rol die niet bij deze soort school past" in page
    # Held where they count, nothing is marked.
    Membership.objects.filter(user__email="ib@vo.test", role=Role.INTERN_BEGELEIDER).delete()
    Invitation.objects.filter(user=invited).update(invited_roles=[Role.MENTOR])
    page = client.get("/beheer/medewerkers/").text
    assert "telt niet bij" not in page and "niet bij deze soort school past" not in page
