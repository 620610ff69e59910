"""The beheerder's retention page and the zorgcoördinator's AVG requests: bad input refused
with a clear Dutch message and what was typed kept; each refusal of the rules tested."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.models import RetentionRun, RetentionTerm, RightsRequest, RightsRequestStatus
from privacy.services import retention_run, rights_request_add
from privacy.tests.factories import left
from students.models import TimelineEvent

pytestmark = pytest.mark.django_db

TERMS = {"zorg": 24, "meldcode": 60, "verzuim": 24, "leerling": 60, "leeslog": 60}


def test_the_beheerder_sets_the_terms(client, beheerder, school):
    client.force_login(beheerder)
    page = client.get("/privacy/bewaartermijnen/")
    assert page.status_code == 200 and "Standaard 24 maanden" in page.text
    response = client.post("/privacy/bewaartermijnen/", {**TERMS, "meldcode": 240})
    assert response.status_code == 302
    term = RetentionTerm.objects.get(school=school)
    assert (term.term, term.months, term.changed_by) == ("meldcode", 240, beheerder)
    assert term.history.count() == 1


@pytest.mark.parametrize("months", ["0", "-3", "241", "twee"])
def test_a_term_of_zero_negative_too_long_or_not_a_number_is_refused(client, beheerder, school, months):
    client.force_login(beheerder)
    response = client.post("/privacy/bewaartermijnen/", {**TERMS, "zorg": months, "verzuim": 30})
    assert response.status_code == 200
    assert any(
        message in response.text
        for message in ("minstens 1 maand", "hoogstens 240 maanden", "Vul een heel aantal maanden in")
    )
    assert 'value="30"' in response.text  # what was typed stays
    assert not RetentionTerm.objects.exists()


def test_the_service_refuses_a_term_of_zero_too(beheerder, school):
    from django.core.exceptions import ValidationError

    from privacy.services import retention_terms_save

    with pytest.raises(ValidationError, match="minstens 1 maand"):
        retention_terms_save(school=school, actor=beheerder, months={"zorg": 0})
    assert not RetentionTerm.objects.exists()


def test_the_beheerder_sees_the_dry_run_report_with_counts_and_no_pupil(client, beheerder, school, world):
    daan = world["DAAN"]
    left(daan, years_ago=3)
    client.force_login(beheerder)
    response = client.post("/privacy/bewaartermijnen/proefrun/", follow=True)
    assert "De proefrun is klaar" in response.text
    assert RetentionRun.objects.get(school=school, dry_run=True).counts.filter(kind="zorgmeldingen").exists()
    assert "zorgmeldingen" in response.text
    assert daan.first_name not in response.text and daan.last_name not in response.text
    assert daan.concerns.exists()  # a dry run


def test_the_report_shows_what_was_removed(client, beheerder, school, world):
    left(world["DAAN"], years_ago=3)
    retention_run(school=school, dry_run=False)
    client.force_login(beheerder)
    response = client.get("/privacy/bewaartermijnen/")
    assert "Verwijderd" in response.text and "zorgmeldingen" in response.text


@pytest.mark.denies("school.manage_retention")
@pytest.mark.parametrize("role", ["coordinator", "mentor", "schoolleider"])
def test_only_the_beheerder_sets_retention(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/privacy/bewaartermijnen/").status_code == 403
    assert client.post("/privacy/bewaartermijnen/proefrun/").status_code == 403
    assert not RetentionRun.objects.exists()


def test_the_coordinator_records_a_request_and_its_handling(client, coordinator, student):
    client.force_login(coordinator)
    file_page = client.get(f"/leerlingen/{student.pk}/")
    assert "Inzage-export en AVG-verzoeken" in file_page.text
    today = timezone.localdate()
    response = client.post(
        f"/privacy/leerling/{student.pk}/verzoek/nieuw/",
        {
            "kind": "correctie",
            "received_on": today.strftime("%d-%m-%Y"),
            "requested_by": "vader",
            "description": "De geboortedatum klopt niet.",
        },
    )
    assert response.status_code == 302
    item = RightsRequest.objects.get()
    assert (item.kind, item.requested_by, item.status, item.recorded_by) == ("correctie", "vader", "open", coordinator)
    page = client.get(f"/privacy/leerling/{student.pk}/")
    assert (today + timedelta(days=1)).strftime("%d-%m-%Y") != "" and "antwoord uiterlijk" in page.text

    response = client.post(
        f"/privacy/verzoek/{item.pk}/afhandelen/", {"status": "uitgevoerd", "handling": "Datum verbeterd."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.handling, item.handled_by, item.handled_on) == (
        RightsRequestStatus.DONE,
        "Datum verbeterd.",
        coordinator,
        today,
    )
    assert item.history.count() == 2
    kinds = set(TimelineEvent.objects.filter(student=student).values_list("kind", flat=True))
    assert {"privacy.request", "privacy.request_handled"} <= kinds
    # Handled twice (a second tab, a double submit): nothing changes, no error page.
    again = client.post(f"/privacy/verzoek/{item.pk}/afhandelen/", {"status": "afgewezen", "handling": "x"})
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.status == RightsRequestStatus.DONE


def test_a_request_without_a_description_is_refused_and_keeps_what_was_typed(client, coordinator, student):
    client.force_login(coordinator)
    response = client.post(
        f"/privacy/leerling/{student.pk}/verzoek/nieuw/",
        {"kind": "verwijdering", "received_on": "", "requested_by": "moeder", "description": ""},
    )
    assert response.status_code == 200
    assert "moeder" in response.text and "Dit veld is verplicht" in response.text
    assert not RightsRequest.objects.exists()
    future = (timezone.localdate() + timedelta(days=3)).strftime("%d-%m-%Y")
    response = client.post(
        f"/privacy/leerling/{student.pk}/verzoek/nieuw/",
        {"kind": "verwijdering", "received_on": future, "requested_by": "moeder", "description": "Alles weg"},
    )
    assert "niet in de toekomst" in response.text and "Alles weg" in response.text
    assert not RightsRequest.objects.exists()


def test_handling_needs_what_was_done(client, coordinator, student):
    item = rights_request_add(
        student=student,
        actor=coordinator,
        kind="verwijdering",
        received_on=timezone.localdate(),
        requested_by="leerling",
        description="Verwijder de notitie van maart.",
    )
    client.force_login(coordinator)
    response = client.post(f"/privacy/verzoek/{item.pk}/afhandelen/", {"status": "deels", "handling": " "})
    assert response.status_code == 200 and "Dit veld is verplicht" in response.text
    item.refresh_from_db()
    assert item.status == RightsRequestStatus.OPEN


@pytest.mark.denies("student.rights_requests")
@pytest.mark.parametrize("role", ["mentor", "beheerder"])
def test_others_than_the_coordinator_cannot_see_or_record_avg_requests(client, request, student, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"/privacy/leerling/{student.pk}/").status_code in (403, 404)
    assert client.post(
        f"/privacy/leerling/{student.pk}/verzoek/nieuw/",
        {"kind": "inzage", "received_on": "01-01-2026", "requested_by": "x", "description": "y"},
    ).status_code in (403, 404)
    assert not RightsRequest.objects.exists()


def test_a_request_of_a_pupil_of_another_school_is_a_404(client, other_coordinator, coordinator, student):
    item = rights_request_add(
        student=student,
        actor=coordinator,
        kind="inzage",
        received_on=timezone.localdate(),
        requested_by="moeder",
        description="Alles",
    )
    client.force_login(other_coordinator)
    assert client.get(f"/privacy/verzoek/{item.pk}/afhandelen/").status_code == 404
    assert client.get(f"/privacy/leerling/{student.pk}/verzoek/nieuw/").status_code == 404
