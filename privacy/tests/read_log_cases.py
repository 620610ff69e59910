"""The privacy pages in the read-log proof (carecoord/tests/test_read_log_pages.py collects
the `CASES` of every app's `tests/read_log_cases.py`)."""

from django.utils import timezone

from privacy.models import InzageExport
from privacy.services import inzage_build, rights_request_add


def _get(path):
    def case(client, w):
        client.force_login(w.coordinator)
        return client.get(path.format(daan=w.daan.pk)), [w.daan]

    return case


def _request(w):
    return rights_request_add(
        student=w.daan,
        actor=w.coordinator,
        kind="correctie",
        received_on=timezone.localdate(),
        requested_by="moeder",
        description="Het adres klopt niet.",
    )


def rights_request_handle(client, w):
    item = _request(w)
    client.force_login(w.coordinator)
    return client.get(f"/privacy/verzoek/{item.pk}/afhandelen/"), [w.daan]


def _export(w, build=False):
    export = InzageExport.objects.create(school=w.school, student=w.daan, requested_by=w.coordinator)
    if build:
        inzage_build(export_id=export.pk)
    return export


def inzage(client, w):
    export = _export(w)
    client.force_login(w.coordinator)
    return client.get(f"/privacy/inzage/{export.pk}/"), [w.daan]


class _Binary:
    """The ZIP: the proof checks the page, the section and the pupil logged."""

    status_code = 302

    def __init__(self, response):
        self._response = response
        self.resolver_match = response.resolver_match

    def __getitem__(self, header):
        return self._response[header]

    def get(self, header, default=None):
        return self._response.get(header, default)


def inzage_download(client, w):
    export = _export(w, build=True)
    client.force_login(w.coordinator)
    response = client.get(f"/privacy/inzage/{export.pk}/downloaden/")
    assert b"".join(response.streaming_content).startswith(b"PK")
    return _Binary(response), [w.daan]


CASES = {
    "privacy:student": ("privacy:student", _get("/privacy/leerling/{daan}/")),
    "privacy:rights_request_add": ("privacy:rights_request_add", _get("/privacy/leerling/{daan}/verzoek/nieuw/")),
    "privacy:rights_request_handle": ("privacy:rights_request_handle", rights_request_handle),
    "privacy:inzage": ("privacy:inzage", inzage),
    "privacy:inzage_download": ("privacy:inzage_download", inzage_download),
}
