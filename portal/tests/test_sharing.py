"""Only what the school shares, item by item; Meldcode and vertrouwelijk never. The parent's
view before an OT and their instemming with the plan reach the school."""

import pytest
from django.core.exceptions import ValidationError

from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from portal import services
from portal.models import ParentView, PlanAgreement, Share
from records.services import document_add
from records.tests.factories import pdf_upload
from referrals.tests.factories import FacilityFactory, placed
from students.models import FileAccess, TimelineEvent
from students.tests.factories import StudentFactory, born_years_ago

pytestmark = pytest.mark.django_db


def _document(student, coordinator, section="traject", title="Verslag psycholoog"):
    return document_add(
        student=student, actor=coordinator, upload=pdf_upload(), title=title, kind="verslag", section=section
    )


@pytest.fixture
def world(student, coordinator, school):
    meeting = MeetingFactory(school=school, organiser=coordinator, title="OT november")
    return {
        "document": _document(student, coordinator),
        "item": AgendaItemFactory(meeting=meeting, student=student, question="Hoe verder met het verzuim?"),
        "plan": placed(student, FacilityFactory(school=school, name="Viproom"), by=coordinator),
    }


def _share(client, coordinator, student, kind, pk, shared="1"):
    client.force_login(coordinator)
    return client.post(f"/ouders/beheer/leerling/{student.pk}/delen/{kind}/{pk}/", {"shared": shared})


def test_nothing_is_visible_until_shared(parent_client, student, world, coordinator):
    from django.test import Client

    page = parent_client.get(f"/ouders/kind/{student.pk}/").content.decode()
    assert "Verslag psycholoog" not in page and "OT november" not in page and "Viproom" not in page
    assert parent_client.get(f"/ouders/kind/{student.pk}/documenten/{world['document'].pk}/").status_code == 404
    assert parent_client.get(f"/ouders/kind/{student.pk}/overleg/{world['item'].pk}/").status_code == 404
    assert parent_client.get(f"/ouders/kind/{student.pk}/plan/{world['plan'].pk}/").status_code == 404

    staff = Client()
    for kind, obj in (("document", world["document"]), ("overleg", world["item"]), ("plan", world["plan"])):
        assert _share(staff, coordinator, student, kind, obj.pk).status_code == 302
    page = parent_client.get(f"/ouders/kind/{student.pk}/").content.decode()
    assert "Verslag psycholoog" in page and "OT november" in page and "Viproom" in page
    assert parent_client.get(f"/ouders/kind/{student.pk}/documenten/{world['document'].pk}/").status_code == 200

    _share(staff, coordinator, student, "document", world["document"].pk, shared="0")
    assert parent_client.get(f"/ouders/kind/{student.pk}/documenten/{world['document'].pk}/").status_code == 404
    assert Share.history.filter(history_type="-").exists()  # who unshared, kept


@pytest.mark.parametrize("section", ["vertrouwelijk", "meldcode"])
def test_meldcode_and_vertrouwelijk_are_never_shared(parent_client, client, student, coordinator, section):
    document = _document(student, coordinator, section=section, title="Geheim stuk")
    with pytest.raises(ValidationError):
        services.share_set(item=document, student=student, section=section, shared=True, actor=coordinator)
    from django.test import Client

    staff = Client()
    _share(staff, coordinator, student, "document", document.pk)
    assert not Share.objects.exists()
    # Even a row written past the service does not show it.
    from django.contrib.contenttypes.models import ContentType

    Share.objects.create(
        student=student,
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        shared_by=coordinator,
    )
    assert "Geheim stuk" not in parent_client.get(f"/ouders/kind/{student.pk}/").content.decode()
    assert parent_client.get(f"/ouders/kind/{student.pk}/documenten/{document.pk}/").status_code == 404


@pytest.mark.denies("student.share_with_participants")
def test_mentor_cannot_share(client, mentor, student, world):
    assert _share(client, mentor, student, "document", world["document"].pk).status_code == 403
    assert not Share.objects.exists()


def test_parent_writes_their_view_before_the_ot(parent_client, parent, student, world, coordinator):
    item = world["item"]
    services.share_set(item=item, student=student, section="", shared=True, actor=coordinator)
    url = f"/ouders/kind/{student.pk}/overleg/{item.pk}/"
    assert "Hoe verder met het verzuim?" in parent_client.get(url).content.decode()
    assert parent_client.post(url, {"text": ""}).status_code == 200  # a clear message, nothing stored
    assert not ParentView.objects.exists()
    assert parent_client.post(url, {"text": "Hij slaapt slecht sinds de zomer."}).status_code == 302
    parent_client.post(url, {"text": "Hij slaapt slecht sinds de zomer. Het gaat nu beter."})
    view = ParentView.objects.get()
    assert view.text.endswith("beter.") and view.history.count() == 2
    assert TimelineEvent.objects.filter(kind="portal.view_written", actor=parent).count() == 2
    assert FileAccess.objects.filter(user=parent, page="portal:item_view").exists()
    from django.test import Client

    staff = Client()
    staff.force_login(coordinator)
    assert "Het gaat nu beter." in staff.get(f"/ouders/beheer/leerling/{student.pk}/").content.decode()


def test_parent_agrees_to_the_plan_and_a_changed_plan_asks_again(parent_client, student, world, coordinator):
    plan = world["plan"]
    services.share_set(item=plan, student=student, section="", shared=True, actor=coordinator)
    url = f"/ouders/kind/{student.pk}/plan/{plan.pk}/"
    assert parent_client.post(url, {"agreed": "nee", "comment": ""}).status_code == 200  # needs a reason
    assert parent_client.post(url, {"agreed": "ja"}).status_code == 302
    answer = PlanAgreement.objects.get()
    assert answer.agreed and answer.plan_version == services.plan_version(plan)
    plan.subjects = "wiskunde"
    plan.save()
    assert "geef opnieuw antwoord" in parent_client.get(url).content.decode()


@pytest.mark.denies("participant.agree_plan")
def test_pupil_of_16_cannot_agree_to_the_plan_for_their_parents(client, coordinator, school_class, school):
    pupil = StudentFactory(school_class=school_class, date_of_birth=born_years_ago(16, 2))
    plan = placed(pupil, FacilityFactory(school=school), by=coordinator)
    services.share_set(item=plan, student=pupil, section="", shared=True, actor=coordinator)
    participant = services.participant_invite(student=pupil, actor=coordinator, email="zelf@thuis.test")
    client.force_login(participant.user)
    assert client.post(f"/ouders/kind/{pupil.pk}/plan/{plan.pk}/", {"agreed": "ja"}).status_code == 403
    assert not PlanAgreement.objects.exists()


def test_parent_sees_who_read_the_file(parent_client, student, coordinator):
    from django.test import Client

    staff = Client()
    staff.force_login(coordinator)
    staff.get(f"/leerlingen/{student.pk}/")
    page = parent_client.get(f"/ouders/kind/{student.pk}/wie-las-het-dossier/").content.decode()
    assert "Zorgcoördinator (School A)" in page
    assert coordinator.name not in page  # by role and organisation, not by name
