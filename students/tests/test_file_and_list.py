import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import staff
from carecoord.testing import query_count
from students.models import FileAccess, Student, TimelineEvent
from students.tests.factories import SchoolClassFactory, StudentFactory
from students.timeline import timeline_add, timeline_page

pytestmark = pytest.mark.django_db


def test_list_query_count_is_the_same_for_5_and_50_pupils(client, coordinator, school_class):
    client.force_login(coordinator)
    StudentFactory.create_batch(5, school_class=school_class)
    few = query_count(client, "/leerlingen/?q=Achternaam&level=vmbo-k")
    StudentFactory.create_batch(45, school_class=SchoolClassFactory(school=school_class.school))
    assert query_count(client, "/leerlingen/?q=Achternaam&level=vmbo-k") == few
    assert query_count(client, "/leerlingen/") == query_count(client, "/leerlingen/?page=1")


def test_file_query_count_is_the_same_for_30_and_75_events(client, coordinator, student):
    # 30: more than one timeline page, so the count for "Pagina 1 van 2" is made too (a
    # timeline on one page needs no count: students/timeline.py).
    client.force_login(coordinator)
    for _ in range(30):
        timeline_add(student=student, kind="students.updated", actor=coordinator, fields=["klas"])
    few = query_count(client, student.get_absolute_url())
    for _ in range(45):
        timeline_add(student=student, kind="students.guardian_added", actor=coordinator, name="X")
    assert query_count(client, student.get_absolute_url()) == few


def test_partner_file_query_count_is_flat_too(client, consented_partner, student, coordinator):
    client.force_login(consented_partner)
    for _ in range(30):
        timeline_add(student=student, kind="students.partner_linked", actor=coordinator, partner="P", role="r")
    few = query_count(client, student.get_absolute_url())
    for _ in range(40):
        timeline_add(student=student, kind="students.partner_linked", actor=coordinator, partner="P", role="r")
    assert query_count(client, student.get_absolute_url()) == few


def test_list_is_paginated_by_50_in_dutch_name_order(client, coordinator, school_class):
    for i, (tussen, last) in enumerate([("van", "Zanten"), ("de", "Boer"), ("", "Aalbers")] * 20):
        StudentFactory(school_class=school_class, tussenvoegsel=tussen, last_name=f"{last}{i:02d}")
    client.force_login(coordinator)
    page = client.get("/leerlingen/")
    rows = list(page.context["page"])
    assert len(rows) == 50
    assert rows[0].last_name.startswith("Aalbers")
    assert rows[20].last_name.startswith("Boer")  # "de Boer" sorts under B, not D
    assert page.context["page"].paginator.num_pages == 2


def test_filters_combine(client, coordinator, school, school_class):
    havo = SchoolClassFactory(school=school, name="4H1", year=4, level="havo")
    StudentFactory(school_class=havo, last_name="Havist", support_status="in_begeleiding")
    StudentFactory(school_class=havo, last_name="Havist")
    StudentFactory(school_class=school_class, last_name="Havist", support_status="in_begeleiding")
    left = StudentFactory(school_class=havo, last_name="Havist", support_status="in_begeleiding")
    left.left_on = timezone.localdate()
    left.save()
    client.force_login(coordinator)
    found = client.get("/leerlingen/?q=havist&level=havo&year=4&support=in_begeleiding").context["page"]
    assert [s.school_class.name for s in found] == ["4H1"]
    assert len(client.get("/leerlingen/?q=havist&support=geen").context["page"].object_list) == 1
    assert len(client.get("/leerlingen/?q=havist&status=uitgeschreven").context["page"].object_list) == 1
    assert len(client.get(f"/leerlingen/?school_class={havo.pk}&status=alle").context["page"].object_list) == 3


def test_htmx_search_returns_only_the_results_partial(client, coordinator, student):
    client.force_login(coordinator)
    response = client.get("/leerlingen/?q=Jans", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="student-results")
    assert "Jansen, Daan" in response.text
    assert "<html" not in response.text


def test_timeline_shows_events_newest_first_with_who_did_it(client, coordinator, student):
    timeline_add(student=student, kind="students.guardian_added", actor=coordinator, name="Eerste")
    timeline_add(student=student, kind="students.guardian_added", actor=coordinator, name="Tweede")
    client.force_login(coordinator)
    page = client.get(student.get_absolute_url())
    texts = [e.text for e in page.context["timeline"].shown]
    assert texts[:2] == ["Ouder/verzorger toegevoegd: Tweede", "Ouder/verzorger toegevoegd: Eerste"]
    assert "Zorg Coördinator" in page.text


def test_timeline_pages_through_htmx(client, coordinator, student):
    for i in range(30):
        timeline_add(student=student, kind="students.guardian_added", actor=coordinator, name=f"G{i}")
    client.force_login(coordinator)
    older = timeline_page(student=student, sections={"administratie"}).older_url
    second = client.get(older, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline")
    assert "<html" not in second.text
    assert len(second.context["timeline"].shown) == 5
    assert FileAccess.objects.filter(section="dossier").count() == 1
    # The swap reads the timeline, not the header and the panels around it.
    swap = query_count(client, older, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline")
    assert swap <= query_count(client, older) - 5


def test_mentor_does_not_see_care_events_on_the_timeline(client, mentor, coordinator, student):
    timeline_add(
        student=student, kind="students.consent_given", actor=coordinator, scope="X", giver="Y", date="2026-01-01"
    )
    timeline_add(student=student, kind="students.guardian_added", actor=coordinator, name="Z")
    client.force_login(mentor)
    texts = [e.text for e in client.get(student.get_absolute_url()).context["timeline"].shown]
    assert texts == ["Ouder/verzorger toegevoegd: Z"]


def test_read_log_is_append_only(coordinator, student):
    from students.selectors import log_read

    log_read(user=coordinator, students=[student], section="dossier")
    row = FileAccess.objects.get()
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        FileAccess.objects.all().delete()
    with pytest.raises(PermissionError):
        FileAccess.objects.update(section="x")
    assert FileAccess.objects.get().section == "dossier"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/students/student/",
        "/admin/students/consent/",
        "/admin/students/fileaccess/",
        "/admin/students/timelineevent/",
        "/admin/concerns/concern/",
        "/admin/concerns/meldcodestep/",
        "/admin/referrals/placement/",
        "/admin/referrals/visit/",
        "/admin/meetings/agreement/",
        "/admin/absence/absencerecord/",
    ],
)
def test_superuser_cannot_reach_pupil_data_in_the_admin(client, db, url):
    """The admin bypasses the access rules and the read log, so pupil data is not in it
    (and consent withdrawal cannot be undone there)."""
    from accounts.models import User

    admin = User.objects.create_superuser(email="root@t.nl", password="x", name="Root")
    client.force_login(admin)
    assert client.get(url).status_code == 404
    assert client.get("/admin/students/schoolclass/").status_code == 200  # configuration stays


def test_read_log_rows_carry_the_request_id(client, coordinator, student):
    client.force_login(coordinator)
    response = client.get(student.get_absolute_url())
    assert FileAccess.objects.get().request_id == response["X-Request-ID"]


def test_school_read_log_for_the_beheerder_filters(client, beheerder, coordinator, student, other_student, school):
    from students.selectors import log_read

    log_read(user=coordinator, students=[student], section="dossier")
    log_read(user=beheerder, students=[student], section="export")
    client.force_login(beheerder)
    page = client.get("/leerlingen/leesregistratie/?user=zc@a&section=dossier")
    assert [r.user for r in page.context["page"]] == [coordinator]
    # Reading the log is logged too (which part of whose file was read is care context):
    # the first page view above added one row for Daan.
    rows = client.get("/leerlingen/leesregistratie/?student=100001").context["page"].object_list
    assert [r.section for r in rows] == ["leesregistratie", "export", "dossier"]
    assert client.get("/leerlingen/leesregistratie/?from=nonsense").status_code == 200


def test_edit_form_keeps_input_on_error_and_records_changes(client, coordinator, student):
    client.force_login(coordinator)
    url = f"/leerlingen/{student.pk}/wijzigen/"
    data = {
        "student_number": "100001",
        "first_name": "Daniël",
        "last_name": "",
        "date_of_birth": "07-03-2012",
        "school_class": student.school_class_id,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'value="Daniël"' in response.text
    data["last_name"] = "Jansen"
    assert client.post(url, data).status_code == 302
    student.refresh_from_db()
    assert student.first_name == "Daniël"
    event = TimelineEvent.objects.get(kind="students.updated")
    assert set(event.params["fields"]) == {"voornaam", "geboortedatum"}


def test_edit_refuses_a_duplicate_student_number(client, coordinator, student, school_class):
    other = StudentFactory(school_class=school_class, student_number="100002")
    client.force_login(coordinator)
    response = client.post(
        f"/leerlingen/{other.pk}/wijzigen/",
        {
            "student_number": "100001",
            "first_name": "A",
            "last_name": "B",
            "date_of_birth": "01-01-2012",
            "school_class": school_class.pk,
        },
    )
    assert response.status_code == 200
    assert Student.objects.get(pk=other.pk).student_number == "100002"


def test_leaving_and_returning(client, coordinator, student):
    client.force_login(coordinator)
    client.post(f"/leerlingen/{student.pk}/uitschrijven/", {"left_on": "01-11-2026"})
    student.refresh_from_db()
    assert student.left_on.isoformat() == "2026-11-01"
    assert "Jansen" not in client.get("/leerlingen/").text
    client.post(f"/leerlingen/{student.pk}/uitschrijven/")
    student.refresh_from_db()
    assert student.left_on is None


def test_classes_are_managed_per_school(client, beheerder, school, other_school, mentor):
    other_class = SchoolClassFactory(school=other_school, name="1A1")
    client.force_login(beheerder)
    response = client.post(
        "/leerlingen/klassen/nieuw/", {"name": "1A1", "year": 1, "level": "havo", "mentors": [mentor.pk]}
    )
    assert response.status_code == 302
    assert school.classes.get(name="1A1").mentors.get() == mentor
    assert client.get(f"/leerlingen/klassen/{other_class.pk}/").status_code == 404
    duplicate = client.post("/leerlingen/klassen/nieuw/", {"name": "1A1", "year": 1, "level": "havo"})
    assert duplicate.status_code == 200
    assert school.classes.filter(name="1A1").count() == 1


def test_mentor_added_to_a_class_sees_its_pupils(client, beheerder, school, student):
    new_mentor = staff(school, Role.MENTOR)
    client.force_login(new_mentor)
    assert client.get(student.get_absolute_url()).status_code == 404
    client.force_login(beheerder)
    client.post(
        f"/leerlingen/klassen/{student.school_class_id}/",
        {"name": "2K1", "year": 2, "level": "vmbo-k", "mentors": [new_mentor.pk]},
    )
    client.force_login(new_mentor)
    assert client.get(student.get_absolute_url()).status_code == 200


def test_partner_link_and_unlink(client, coordinator, student, organisation, partner_user):
    client.force_login(coordinator)
    response = client.post(
        f"/leerlingen/{student.pk}/partners/nieuw/",
        {"organisation": organisation.pk, "user": partner_user.pk, "role": "casusregisseur"},
    )
    assert response.status_code == 302
    link = student.partner_links.get()
    client.post(f"/leerlingen/{student.pk}/partners/{link.pk}/beeindigen/")
    link.refresh_from_db()
    assert link.ended_on == timezone.localdate()
    kinds = set(TimelineEvent.objects.filter(student=student).values_list("kind", flat=True))
    assert {"students.partner_linked", "students.partner_unlinked"} <= kinds
