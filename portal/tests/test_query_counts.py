"""The portal's pages make the same number of queries with 2 or 12 shared items, and the
pages of the school's side with 2 or 12 shareable items and participants' answers."""

import pytest

from accounts.tests.factories import OrganisationFactory
from carecoord.testing import query_count
from meetings.tests.factories import AgendaItemFactory, AgreementFactory, MeetingFactory
from portal import services
from records.services import document_add
from records.tests.factories import pdf_upload
from referrals.tests.factories import FacilityFactory, placed
from students.models import FileAccess
from students.tests.factories import GuardianFactory, PartnerLinkFactory

pytestmark = pytest.mark.django_db


def _add(student, coordinator, school, n, participant):
    for i in range(n):
        document = document_add(
            student=student,
            actor=coordinator,
            upload=pdf_upload(),
            title=f"Stuk {i}",
            kind="verslag",
            section="traject",
        )
        meeting = MeetingFactory(school=school, organiser=coordinator, title=f"OT {i}")
        item = AgendaItemFactory(meeting=meeting, student=student)
        AgreementFactory(meeting=meeting, item=item, owner=coordinator)
        plan = placed(student, FacilityFactory(school=school), by=coordinator)
        for obj, section in ((document, "traject"), (item, ""), (plan, "")):
            services.share_set(item=obj, student=student, section=section, shared=True, actor=coordinator)
        services.parent_view_save(participant=participant, item=item, text=f"Kijk {i}", actor=participant.user)
        services.plan_answer(participant=participant, plan=plan, agreed=True, comment="", actor=participant.user)
        PartnerLinkFactory(
            student=student,
            linked_by=coordinator,
            organisation=OrganisationFactory(name=f"Partner {n}-{i}", schools=[school]),
        )
        FileAccess.objects.create(user=coordinator, student=student, school=school, section="dossier", request_id="x")


def test_child_page_and_manage_page_are_flat(client, student, coordinator, school, participant, parent):
    from django.test import Client

    _add(student, coordinator, school, 2, participant)
    staff = Client()
    staff.force_login(coordinator)
    client.force_login(parent)
    urls = [f"/ouders/kind/{student.pk}/", f"/ouders/kind/{student.pk}/wie-las-het-dossier/"]
    few = [query_count(client, url) for url in urls]
    few_staff = query_count(staff, f"/ouders/beheer/leerling/{student.pk}/")
    _add(student, coordinator, school, 10, participant)
    GuardianFactory.create_batch(3, student=student)
    assert [query_count(client, url) for url in urls] == few
    assert query_count(staff, f"/ouders/beheer/leerling/{student.pk}/") == few_staff
