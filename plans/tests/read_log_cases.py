"""The plans pages in the read-log proof (carecoord/tests/test_read_log_pages.py collects the
`CASES` of every app's `tests/read_log_cases.py`): each case gets a test client and the world
`w` (Daan, Sanne and Noah of School A, the coordinator, ...) and returns (response, the pupils
it at least shows)."""

from datetime import timedelta

from django.utils import timezone

from plans import services
from plans.models import SupportRequest

from .factories import adoptable_draft, sent_request, swv_organisation, swv_user


class _Binary:
    """A PDF: the proof checks the page, the section and the pupils at least logged."""

    status_code = 302

    def __init__(self, response):
        self._response = response
        self.resolver_match = response.resolver_match

    def __getitem__(self, header):
        return self._response[header]

    def get(self, header, default=None):
        return self._response.get(header, default)


def _draft(w):
    return services.plan_start(
        student=w.daan, actor=w.coordinator, support_started_on=timezone.localdate()
    ).versions.get()


def _version_page(suffix):
    def case(client, w):
        draft = _draft(w)
        client.force_login(w.coordinator)
        return client.get(f"/opp/versie/{draft.pk}/{suffix}"), [w.daan]

    return case


def plan(client, w):
    _draft(w)
    client.force_login(w.coordinator)
    return client.get(f"/opp/leerling/{w.daan.pk}/"), [w.daan]


def plan_by_mentor(client, w):
    _draft(w)
    client.force_login(w.mentor)
    return client.get(f"/opp/leerling/{w.daan.pk}/"), [w.daan]


def version_pdf(client, w):
    _plan, draft = adoptable_draft(w.daan, w.coordinator)
    client.force_login(w.coordinator)
    response = client.get(f"/opp/versie/{draft.pk}/pdf/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    return _Binary(response), [w.daan]


def tasks(client, w):
    services.plan_start(
        student=w.sanne, actor=w.coordinator, support_started_on=timezone.localdate() - timedelta(days=60)
    )
    client.force_login(w.coordinator)
    return client.get("/opp/taken/"), [w.sanne]


def _requests(w):
    swv = swv_organisation(w.school)
    first = sent_request(w.daan, w.coordinator, swv)
    second = sent_request(w.noah, w.coordinator, swv)
    return swv, first, second


def request_list(client, w):
    _requests(w)
    client.force_login(w.coordinator)
    return client.get("/opp/aanvragen/"), [w.daan, w.noah]


def request_list_by_swv(client, w):
    swv, _first, second = _requests(w)
    second.consent.withdrawn_at = timezone.now()
    second.consent.save()
    client.force_login(swv_user(swv))
    return client.get("/opp/aanvragen/"), [w.daan]


def request_add(client, w):
    _draft(w)
    client.force_login(w.coordinator)
    return client.get(f"/opp/leerling/{w.daan.pk}/aanvraag/"), [w.daan]


def request(client, w):
    swv, first, _second = _requests(w)
    client.force_login(swv_user(swv))
    return client.get(f"/opp/aanvragen/{first.pk}/"), [w.daan]


def request_invalid_post(client, w):
    _swv, first, _second = _requests(w)
    client.force_login(w.coordinator)
    response = client.post(f"/opp/aanvragen/{first.pk}/intrekken/", {"reason": ""})
    assert SupportRequest.objects.get(pk=first.pk).is_open
    return response, [w.daan]


def _referral(w, pupil):
    from students.tests.factories import ConsentFactory

    ConsentFactory(student=pupil, organisation=w.organisation, recorded_by=w.coordinator)
    return services.external_referral_send(
        student=pupil, actor=w.coordinator, organisation=w.organisation, question="Hulp bij de opvoeding."
    )


def referral_add(client, w):
    client.force_login(w.coordinator)
    return client.get(f"/opp/leerling/{w.daan.pk}/doorverwijzen/"), [w.daan]


def referral_list(client, w):
    _referral(w, w.daan)
    _referral(w, w.sanne)
    client.force_login(w.coordinator)
    return client.get("/opp/doorverwijzingen/"), [w.daan, w.sanne]


def referral(client, w):
    from accounts.tests.factories import partner

    entry = _referral(w, w.noah)
    client.force_login(partner(w.organisation, email="jt@a.test"))
    return client.get(f"/opp/doorverwijzingen/{entry.pk}/"), [w.noah]


CASES = {
    "plans:referral_add": ("plans:referral_add", referral_add),
    "plans:referral_list": ("plans:referral_list", referral_list),
    "plans:referral": ("plans:referral", referral),
    "plans:plan": ("plans:plan", plan),
    "plans:plan (mentor)": ("plans:plan", plan_by_mentor),
    "plans:version": ("plans:version", _version_page("")),
    "plans:version_edit": ("plans:version_edit", _version_page("bewerken/")),
    "plans:version_discussion": ("plans:version_discussion", _version_page("gesprek/")),
    "plans:version_consent": ("plans:version_consent", _version_page("instemming/")),
    "plans:version_pdf": ("plans:version_pdf", version_pdf),
    "plans:tasks": ("plans:tasks", tasks),
    "plans:request_list": ("plans:request_list", request_list),
    "plans:request_list (swv)": ("plans:request_list", request_list_by_swv),
    "plans:request_add": ("plans:request_add", request_add),
    "plans:request": ("plans:request", request),
}
