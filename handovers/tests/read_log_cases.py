"""The handover pages in the read-log proof (collected by carecoord/tests/test_read_log_pages.py).
Daan of School A left and is handed over to School B."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import SchoolFactory, staff
from carecoord.testing import BinaryResponse
from handovers import services
from records.tests.factories import pdf_upload
from students import services as student_services


def _handover(w, *, document=False):
    from records.services import document_add

    student_services.student_leave(student=w.daan, on=timezone.localdate() - timedelta(days=1), actor=w.coordinator)
    w.daan.refresh_from_db()
    school_b = SchoolFactory(name="School B", brin_code="22BB")
    documents = []
    if document:
        documents = [
            document_add(
                student=w.daan,
                actor=w.coordinator,
                upload=pdf_upload(),
                title="Verslag",
                kind="verslag",
                section="zorg",
            )
        ]
    handover = services.handover_start(
        student=w.daan, actor=w.coordinator, to_school=school_b, basis="wet", documents=documents
    )
    return handover, school_b


def _as_coordinator(path):
    def case(client, w):
        handover, _school_b = _handover(w)
        client.force_login(w.coordinator)
        return client.get(path.format(pk=handover.pk, daan=w.daan.pk)), [w.daan]

    return case


def start(client, w):
    student_services.student_leave(student=w.daan, on=timezone.localdate(), actor=w.coordinator)
    SchoolFactory(name="School B", brin_code="22BB")
    client.force_login(w.coordinator)
    return client.get(f"/overdracht/leerling/{w.daan.pk}/nieuw/"), [w.daan]


def accept(client, w):
    handover, school_b = _handover(w)
    receiver = staff(school_b, Role.ZORGCOORDINATOR, email="zc@b.test", name="ZC B")
    client.force_login(receiver)
    return client.get(f"/overdracht/{handover.pk}/aanvaarden/"), [w.daan]


def item_download(client, w):
    handover, _school_b = _handover(w, document=True)
    item = handover.items.get()
    client.force_login(w.coordinator)
    response = client.get(f"/overdracht/onderdeel/{item.pk}/downloaden/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    return BinaryResponse(response), [w.daan]


def care_summary_pdf(client, w):
    client.force_login(w.coordinator)
    response = client.get(f"/overdracht/leerling/{w.daan.pk}/zorgsamenvatting/", {"maken": "1"})
    assert response.content.startswith(b"%PDF")
    return BinaryResponse(response), [w.daan]


CASES = {
    "handovers:list": ("handovers:list", _as_coordinator("/overdracht/")),
    "handovers:start": ("handovers:start", start),
    "handovers:care_summary": (
        "handovers:care_summary",
        _as_coordinator("/overdracht/leerling/{daan}/zorgsamenvatting/"),
    ),
    "handovers:care_summary (pdf)": ("handovers:care_summary", care_summary_pdf),
    "handovers:detail": ("handovers:detail", _as_coordinator("/overdracht/{pk}/")),
    "handovers:accept": ("handovers:accept", accept),
    "handovers:meeting": ("handovers:meeting", _as_coordinator("/overdracht/{pk}/overleg/")),
    "handovers:item_download": ("handovers:item_download", item_download),
}
