"""The staff CSV import through the one import pipeline: preview, confirm, all or nothing;
every bad line reported with its number; unknown roles and classes refused."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Invitation, Membership, Role, User
from imports.models import ImportBatch

pytestmark = pytest.mark.django_db

HEADER = "email;naam;rollen;klassen"


def _csv(*lines) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def upload(client, data):
    return client.post(
        "/beheer/medewerkers/import/", {"file": SimpleUploadedFile("medewerkers.csv", data, content_type="text/csv")}
    )


def test_beheerder_imports_staff_as_invitations(
    client, beheerder, school, school_class, mentor, django_capture_on_commit_callbacks
):
    client.force_login(beheerder)
    response = upload(
        client,
        _csv(
            "Anna@School.test;Anna Mentor;mentor;2K1",
            "bob@school.test;Bob Coach;Coach (voorziening), schoolleider;",
            f"{mentor.email};Bestaand;coach;",
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    preview = client.get(response["Location"])
    assert preview.context["summary"] == {"invitations": 2, "role_additions": 1, "reactivations": 0, "pending": 0}
    assert not Invitation.objects.exists()  # nothing before confirming
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"])
    assert done.status_code == 200
    anna = User.objects.get(email="anna@school.test")
    assert Invitation.objects.get(user=anna).invited_roles == [Role.MENTOR]
    assert anna in school_class.mentors.all()
    assert sorted(Invitation.objects.get(user__email="bob@school.test").invited_roles) == [
        Role.COACH,
        Role.SCHOOLLEIDER,
    ]
    assert Membership.objects.filter(user=mentor, school=school, role=Role.COACH).exists()
    # Two invitations, and the existing account hears of its new role.
    assert sorted(m.subject for m in mail.outbox) == [
        f"Je hebt een rol gekregen op {school.name}",
        "Uitnodiging voor Carecoord",
        "Uitnodiging voor Carecoord",
    ]


def test_every_bad_line_is_reported_and_nothing_is_written(client, beheerder, school_class):
    client.force_login(beheerder)
    response = upload(
        client,
        _csv(
            "goed@school.test;Goed;mentor;2K1",
            "geen-adres;Fout Adres;mentor;",  # line 3
            "x@school.test;Onbekende Rol;directeur;",  # line 4
            "y@school.test;Onbekende Klas;mentor;9Z9",  # line 5
            "goed@school.test;Dubbel;coach;",  # line 6
            "z@school.test;Klas zonder mentor;coach;2K1",  # line 7
        ),
    )
    assert response.status_code == 200
    errors = dict(response.context["errors"])
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "geen-adres" in errors[3]
    assert "directeur" in errors[4]
    assert "9Z9" in errors[5]
    assert "regel 2" in errors[6]
    assert "mentor ontbreekt" in errors[7]
    assert not User.objects.filter(email__endswith="@school.test").exists()
    assert ImportBatch.objects.count() == 0


def test_a_line_refused_since_the_preview_undoes_the_whole_import(client, beheerder, school):
    from accounts.services import invitation_create

    client.force_login(beheerder)
    response = upload(client, _csv("nieuw@school.test;Nieuw;mentor;", "later@school.test;Later;mentor;"))
    # Meanwhile a colleague invites the second address with another role.
    invitation_create(actor=beheerder, school=school, email="later@school.test", name="Later", roles=[Role.COACH])
    done = client.post(response["Location"], follow=True)
    assert "met andere rollen" in done.text
    assert not User.objects.filter(email="nieuw@school.test").exists()
    assert Invitation.objects.get().user.email == "later@school.test"


def test_last_weeks_list_read_in_again_leaves_the_open_invitations_as_they_are(
    client, beheerder, school, django_capture_on_commit_callbacks
):
    from accounts.services import invitation_create

    waiting, invitation = invitation_create(
        actor=beheerder, school=school, email="wacht@school.test", name="Wacht", roles=[Role.MENTOR, Role.COACH]
    )
    client.force_login(beheerder)
    response = upload(client, _csv("Wacht@school.test;Wacht;coach, mentor;", "nieuw@school.test;Nieuw;coach;"))
    assert response.status_code == 302, response.context["errors"]
    preview = client.get(response["Location"])
    assert preview.context["summary"] == {"invitations": 1, "role_additions": 0, "reactivations": 0, "pending": 1}
    assert [row[4] for row in preview.context["batch"].preview["rows"]] == ["uitnodiging staat al open", "uitnodiging"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"])
    assert "1 uitnodiging stond al open (niets veranderd)" in done.text
    assert Invitation.objects.get(user=waiting) == invitation  # the same link, not sent again
    assert Invitation.objects.get(user__email="nieuw@school.test").invited_roles == [Role.COACH]
    assert [message.to for message in mail.outbox] == [["nieuw@school.test"]]  # nothing sent to "wacht" again


def test_lines_confirming_would_refuse_are_reported_with_their_numbers(client, beheerder, school, partner_user):
    from accounts.services import invitation_create

    invitation_create(actor=beheerder, school=school, email="wacht@school.test", name="Wacht", roles=[Role.MENTOR])
    client.force_login(beheerder)
    response = upload(
        client,
        _csv(
            "goed@school.test;Goed;mentor;",
            "wacht@school.test;Wacht;coach;",  # line 3: open invitation, other roles
            f"{partner_user.email};Partner;mentor;",  # line 4
            f"{beheerder.email};Ik;beheerder, zorgcoordinator;",  # line 5: to myself
            "ib@school.test;IB;intern begeleider;",  # line 6: this is a VO school
        ),
    )
    assert response.status_code == 200
    errors = dict(response.context["errors"])
    assert errors == {
        3: "Er staat al een uitnodiging open voor dit adres, met andere rollen (Mentor). Zet hier dezelfde rollen, "
        "of trek de uitnodiging in en lees het bestand opnieuw in.",
        4: "Dit adres hoort bij een externe partner; partners beheert de regio.",
        5: "Je kunt jezelf geen rol geven, want elke rol opent leerlinggegevens: een andere functioneel beheerder moet hem je geven.",
        6: "De rol intern begeleider hoort bij een basisschool of een school voor speciaal onderwijs (SO).",
    }
    assert ImportBatch.objects.count() == 0
    assert not User.objects.filter(email__in=["goed@school.test", "ib@school.test"]).exists()


@pytest.mark.denies("school.import_staff")
def test_coordinator_cannot_import_staff(client, coordinator):
    client.force_login(coordinator)
    assert upload(client, _csv("a@school.test;A;mentor;")).status_code == 403
    assert not User.objects.filter(email="a@school.test").exists()


def test_a_queued_staff_import_does_not_run_for_a_beheerder_switched_off_since(
    client, beheerder, school, settings, django_capture_on_commit_callbacks
):
    from accounts.services import staff_deactivate
    from accounts.tests.factories import staff
    from imports.services import import_run

    settings.IMPORT_BACKGROUND_ROWS = 0  # every import is a job for the worker
    other = staff(school, Role.BEHEERDER, email="beheer2@school.test")
    client.force_login(beheerder)
    response = upload(client, _csv("nieuw@school.test;Nieuw;beheerder;"))
    with django_capture_on_commit_callbacks(execute=False):
        client.post(response["Location"])  # queued; the worker has not picked it up yet
    batch = ImportBatch.objects.get()
    staff_deactivate(school=school, user=beheerder, actor=other)  # the beheerder leaves
    assert import_run(batch_id=batch.pk) == ImportBatch.Status.FAILED
    assert not User.objects.filter(email="nieuw@school.test").exists()
    assert not Invitation.objects.exists()
    batch.refresh_from_db()
    assert "mag dit niet meer inlezen" in batch.errors[0]


def test_a_mentor_the_import_puts_on_a_class_is_recorded_as_a_change_of_the_class(
    client, beheerder, school_class, mentor, django_capture_on_commit_callbacks
):
    from audit.models import Change

    client.force_login(beheerder)
    response = upload(client, _csv("anna@school.test;Anna;mentor;2K1", "bob@school.test;Bob;mentor;2K1"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"])
    anna, bob = User.objects.get(email="anna@school.test"), User.objects.get(email="bob@school.test")
    assert set(school_class.mentors.all()) == {mentor, anna, bob}  # the class's own mentor stays
    change = Change.objects.get(object_type="students.schoolclass", object_id=school_class.pk)
    assert change.kind == "students.class_saved" and change.actor == beheerder
    assert change.changes == {"mentors": [[mentor.pk], sorted([mentor.pk, anna.pk, bob.pk])]}


def test_a_primary_schools_list_in_its_own_words(client, django_capture_on_commit_callbacks):
    """A PO school's export says leerkracht, IB and groep: read as mentor, intern begeleider
    and its classes; the preview names the groups (it showed their number)."""
    from accounts.models import SchoolType
    from accounts.tests.factories import SchoolFactory, staff
    from students.models import Level
    from students.tests.factories import SchoolClassFactory

    primary = SchoolFactory(name="OBS De Wilg", brin_code="12AB", school_type=SchoolType.PO)
    SchoolClassFactory(school=primary, name="5a", year=5, level=Level.PO)
    SchoolClassFactory(school=primary, name="5b", year=5, level=Level.PO)
    client.force_login(staff(primary, Role.BEHEERDER, email="beheer@wilg.test"))
    data = b"email;naam;rollen;groepen\njuf@wilg.test;Juf Anna;Leerkracht;5a|5b\nib@wilg.test;Ine IB;IB'er;\n"
    response = upload(client, data)
    assert response.status_code == 302, response.content[:3000]
    rows = client.get(response["Location"]).context["batch"].preview["rows"]
    assert [row[:4] for row in rows] == [
        ["juf@wilg.test", "Juf Anna", ["Leerkracht"], "5a, 5b"],
        ["ib@wilg.test", "Ine IB", ["Intern begeleider (IB'er)"], ""],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"], follow=True)
    assert "2 uitnodigingen verstuurd" in done.text
    assert "0 bestaande accounts kregen" in done.text
    assert Invitation.objects.get(user__email="ib@wilg.test").invited_roles == [Role.INTERN_BEGELEIDER]


def test_what_the_preview_says_is_what_confirming_does(
    client, beheerder, school, other_school, school_class, django_capture_on_commit_callbacks
):
    """Review of 29-11-2026: an address waiting for another school's invitation gets this
    school's invitation (the preview promised 'the roles at once'); a line whose invitation is
    already open puts its person on the classes the preview showed (they were dropped); one
    withdrawn between the preview and confirming gets a new invitation (it got nothing)."""
    from accounts import services
    from accounts.tests.factories import staff

    elsewhere = staff(other_school, Role.BEHEERDER, email="beheer@b.test")
    waiting, _ = services.invitation_create(
        actor=elsewhere, school=other_school, email="wacht@b.test", name="Wacht", roles=[Role.COACH]
    )
    pending, _ = services.invitation_create(
        actor=beheerder, school=school, email="open@a.test", name="Open", roles=[Role.MENTOR]
    )
    _user, withdrawn = services.invitation_create(
        actor=beheerder, school=school, email="weg@a.test", name="Weg", roles=[Role.COACH]
    )
    client.force_login(beheerder)
    response = upload(
        client,
        _csv("wacht@b.test;Wacht;mentor;", f"open@a.test;Open;mentor;{school_class.name}", "weg@a.test;Weg;coach;"),
    )
    assert response.status_code == 302, response.content[:2000]
    preview = client.get(response["Location"])
    assert [row[4] for row in preview.context["batch"].preview["rows"]] == [
        "uitnodiging",
        "uitnodiging staat al open",
        "uitnodiging staat al open",
    ]
    assert preview.context["summary"] == {"invitations": 1, "role_additions": 0, "reactivations": 0, "pending": 2}
    services.invitation_revoke(invitation=withdrawn, actor=beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"])
    assert Invitation.objects.open().get(user=waiting, school=school).invited_roles == [Role.MENTOR]
    assert not Membership.objects.filter(user=waiting).exists()
    assert pending in school_class.mentors.all()
    assert Invitation.objects.open().filter(user__email="weg@a.test", school=school).exists()


def test_checking_a_staff_list_costs_the_same_queries_for_2_and_12_existing_accounts(client, beheerder, school):
    """The accounts of the file's addresses are read for the whole file (StaffImport.prepare),
    not one lookup per line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.tests.factories import staff

    people = [staff(school, Role.COACH, email=f"collega{n}@school.test") for n in range(12)]
    client.force_login(beheerder)
    counts = []
    for some in (people[:2], people):
        with CaptureQueriesContext(connection) as queries:
            response = upload(client, _csv(*(f"{p.email};{p.name};coach;" for p in some)))
        assert response.status_code == 302, response.content[:2000]
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _primary_school_beheerder(client):
    """OBS De Wilg (PO) with groep 5a; its beheerder signed in."""
    from accounts.models import SchoolType
    from accounts.tests.factories import SchoolFactory, staff
    from students.models import Level
    from students.tests.factories import SchoolClassFactory

    primary = SchoolFactory(name="OBS De Wilg", brin_code="12AB", school_type=SchoolType.PO)
    SchoolClassFactory(school=primary, name="5a", year=5, level=Level.PO)
    client.force_login(staff(primary, Role.BEHEERDER, email="beheer@wilg.test"))
    return primary


def test_a_primary_schools_bad_lines_are_said_in_its_words(client):
    _primary_school_beheerder(client)
    data = b"email;naam;rollen;groepen\nib@wilg.test;Ine IB;IB;5a\njuf@wilg.test;Juf Anna;leerkracht;9z\n"
    response = upload(client, data)
    assert response.status_code == 200
    errors = dict(response.context["errors"])
    assert errors[2] == "groepen ingevuld, maar de rol leerkracht ontbreekt"
    assert errors[3] == "groep bestaat niet op deze school: 9z"


def test_a_primary_schools_column_mapping_and_preview_say_groepen(client):
    _primary_school_beheerder(client)
    # "Functie" is no name of the roles column: the school maps its columns.
    page = upload(client, b"E-mail;Naam;Functie;Groep\njuf@wilg.test;Juf Anna;leerkracht;5a\n")
    assert page.status_code == 200
    assert page.context["form"].fields["klassen"].label == "groepen (leerkrachten)"
    assert "klassen (mentoren)" not in page.text
    batch = ImportBatch.objects.get()
    mapped = client.post(f"/beheer/medewerkers/import/{batch.pk}/kolommen/", {"email": "0", "naam": "1", "rollen": "2"})
    assert mapped.status_code == 302, mapped.content[:3000]
    preview = client.get(mapped["Location"]).text
    assert '<th scope="col">Groepen</th>' in preview and '<th scope="col">Klassen</th>' not in preview
