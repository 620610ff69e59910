"""Factories and helpers of the plans app's tests."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import OrganisationKind
from accounts.tests.factories import OrganisationFactory, partner
from plans import services
from students.tests.factories import ConsentFactory


def swv_organisation(school, name="SWV Koers"):
    return OrganisationFactory(name=name, kind=OrganisationKind.SWV, schools=[school])


def swv_user(organisation, email="swv@koers.test"):
    return partner(organisation, email=email, name="Medewerker SWV")


def adoptable_draft(student, coordinator, *, started_days_ago=20):
    """A started OPP whose draft has content, a talk with the parents and instemming."""
    plan = services.plan_start(
        student=student, actor=coordinator, support_started_on=timezone.localdate() - timedelta(days=started_days_ago)
    )
    draft = plan.versions.get()
    draft = services.plan_update(
        version=draft,
        actor=coordinator,
        fields=("educational_needs", "goals", "support"),
        educational_needs="Rust en structuur; korte instructie.",
        goals="Elke dag de lessen Nederlands volgen.",
        support="Twee keer per week de viproom (coach); jeugdteam thuis.",
    )
    draft = services.plan_discussion_record(
        version=draft,
        actor=coordinator,
        discussed_on=timezone.localdate(),
        discussed_with="moeder, mentor",
        parents_view="Moeder vindt het een goed plan.",
    )
    guardian = student.guardians.filter(has_authority=True).first()
    draft = services.plan_consent_record(
        version=draft, actor=coordinator, given_on=timezone.localdate(), guardian=guardian
    )
    return plan, draft


def sent_request(student, coordinator, organisation, *, kind="arrangement", **extra):
    """An arrangement request with consent for `organisation` and an adopted OPP."""
    ConsentFactory(student=student, organisation=organisation, recorded_by=coordinator)
    if not hasattr(student, "plan"):
        _plan, draft = adoptable_draft(student, coordinator)
        services.plan_adopt(version=draft, actor=coordinator)
    return services.request_send(
        student=student,
        actor=coordinator,
        organisation=organisation,
        kind=kind,
        question="Graag een arrangement van 4 uur per week begeleiding.",
        **extra,
    )
