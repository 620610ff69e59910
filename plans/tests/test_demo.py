import pytest
from django.core.management import call_command

from accounts.models import School, User
from plans.models import ExternalReferral, ExternalState, Plan, PlanVersion, RequestState, SupportRequest, VersionState

pytestmark = pytest.mark.django_db


def test_demo_has_opps_and_swv_requests_in_every_state_and_is_idempotent(client):
    call_command("seed_demo", "--pupils", "60", "--quiet")
    for school in School.objects.all():
        versions = PlanVersion.objects.filter(plan__school=school)
        assert versions.filter(state=VersionState.ADOPTED).exists()
        assert versions.filter(state=VersionState.DRAFT, number=1).exists()
        states = set(SupportRequest.objects.filter(school=school).values_list("state", flat=True))
        assert states == set(RequestState.values)
        assert SupportRequest.objects.filter(school=school, flagged_at__isnull=False).exists()
        referral_states = set(ExternalReferral.objects.filter(school=school).values_list("state", flat=True))
        assert referral_states == {ExternalState.ACCEPTED, ExternalState.DECLINED}
    counts = (
        Plan.objects.count(),
        PlanVersion.objects.count(),
        SupportRequest.objects.count(),
        ExternalReferral.objects.count(),
    )
    call_command("seed_demo", "--pupils", "60", "--quiet")
    assert (
        Plan.objects.count(),
        PlanVersion.objects.count(),
        SupportRequest.objects.count(),
        ExternalReferral.objects.count(),
    ) == counts
    # The SWV's demo login sees its requests.
    client.force_login(User.objects.get(email="swv@partner.test"))
    assert "Aanvragen bij het samenwerkingsverband" in client.get("/opp/aanvragen/").content.decode()
