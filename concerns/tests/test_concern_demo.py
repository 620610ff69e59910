"""The demo zorgroute (issue 5): a realistic route and concerns in every state."""

import pytest
from django.core.management import call_command
from django.db.models import Q

from accounts.models import OrganisationKind, School
from concerns.models import Concern, ConcernCategory, ConcernStatus

pytestmark = pytest.mark.django_db


def test_every_demo_school_has_a_route_concerns_in_all_states_and_one_meldcode_case():
    call_command("seed_demo", "--pupils", "60", "--quiet")
    for school in School.objects.all():
        names = list(ConcernCategory.objects.filter(school=school).values_list("name", flat=True))
        assert names == [
            "Leren",
            "Gedrag",
            "Sociaal-emotioneel",
            "Thuissituatie",
            "Verzuim",
            "Medisch",
            "Veiligheid (Meldcode)",
        ]
        verzuim = ConcernCategory.objects.get(school=school, name="Verzuim")
        assert verzuim.handler_organisation.kind == OrganisationKind.LEERPLICHT
        concerns = Concern.objects.filter(school=school)
        assert set(concerns.values_list("status", flat=True)) == set(ConcernStatus.values)
        assert concerns.filter(is_meldcode=True).count() == 1
        # The demo mentor: "leerkracht@" at a primary or special school.
        demo_mentor = Q(raised_by__email__startswith="mentor@") | Q(raised_by__email__startswith="leerkracht@")
        assert concerns.filter(demo_mentor).count() >= 10
        closed = concerns.filter(status=ConcernStatus.CLOSED)
        assert not closed.filter(feedback="").exists()
        assert concerns.filter(is_meldcode=True).get().meldcode_steps.count() == 3
