"""The portal's pages in the read-log proof (carecoord/tests/test_read_log_pages.py): the
reader is Daan's guardian, signed in to the portal; the manage page is the coordinator's."""

from carecoord.testing import BinaryResponse as _Binary
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from portal import services
from records.services import document_add
from records.tests.factories import pdf_upload
from referrals.tests.factories import placed


def _parent(client, w):
    guardian = w.daan.guardians.get()
    guardian.email = "ouder@thuis.test"
    guardian.save()
    participant = services.participant_invite(student=w.daan, actor=w.coordinator, guardian=guardian)
    client.force_login(participant.user)
    return participant


def _shared(w, item):
    services.share_set(
        item=item, student=w.daan, section=getattr(item, "section", ""), shared=True, actor=w.coordinator
    )
    return item


def child(client, w):
    _parent(client, w)
    return client.get(f"/ouders/kind/{w.daan.pk}/"), [w.daan]


def item_view(client, w):
    meeting = MeetingFactory(school=w.school, organiser=w.coordinator)
    item = _shared(w, AgendaItemFactory(meeting=meeting, student=w.daan))
    _parent(client, w)
    return client.get(f"/ouders/kind/{w.daan.pk}/overleg/{item.pk}/"), [w.daan]


def plan(client, w):
    placement = _shared(w, placed(w.daan, w.viproom, by=w.coordinator))
    _parent(client, w)
    return client.get(f"/ouders/kind/{w.daan.pk}/plan/{placement.pk}/"), [w.daan]


def opp_version(client, w):
    from plans.tests.factories import adoptable_draft

    _plan, draft = adoptable_draft(w.daan, w.coordinator)
    _shared(w, draft)
    _parent(client, w)
    return client.get(f"/ouders/kind/{w.daan.pk}/opp/{draft.pk}/"), [w.daan]


def document_download(client, w):
    document = document_add(
        student=w.daan, actor=w.coordinator, upload=pdf_upload(), title="Verslag", kind="verslag", section="traject"
    )
    _shared(w, document)
    _parent(client, w)
    response = client.get(f"/ouders/kind/{w.daan.pk}/documenten/{document.pk}/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    return _Binary(response), [w.daan]


def access_log(client, w):
    _parent(client, w)
    return client.get(f"/ouders/kind/{w.daan.pk}/wie-las-het-dossier/"), [w.daan]


def manage(client, w):
    client.force_login(w.coordinator)
    return client.get(f"/ouders/beheer/leerling/{w.daan.pk}/"), [w.daan]


CASES = {
    "portal child": ("portal:child", child),
    "portal item view": ("portal:item_view", item_view),
    "portal plan": ("portal:plan", plan),
    "portal opp version": ("portal:opp_version", opp_version),
    "portal document download": ("portal:document_download", document_download),
    "portal access log": ("portal:access_log", access_log),
    "portal manage": ("portal:manage", manage),
}
