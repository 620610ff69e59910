"""Demo OPPs and requests to the samenwerkingsverband (see carecoord/demo.py). Idempotent: a
school that has an OPP is skipped.

Per demo school: pupils with a placement get an OPP — most adopted (one also in its second
period), one still in draft — and the SWV (`swv@partner.test`) has a request in each state:
sent, waiting for the school's answer, granted, refused, withdrawn, and one open longer than
six weeks (flagged). The jeugdteam (`jeugdteam@partner.test`) has one referral accepted and
one declined.
"""

from datetime import timedelta

from django.utils import timezone

from referrals.models import Placement
from students.models import Consent, Student
from students.services import consent_give

from . import services
from .models import ExternalReferral, Plan, RequestState, SupportRequest

CONTENT = {
    "educational_needs": "Heeft behoefte aan een voorspelbare dag, korte instructie en een vaste plek om tot rust te komen.",
    "stimulating_factors": "Betrokken ouders; goede band met de mentor; sterk in praktische vakken.",
    "hindering_factors": "Snel overprikkeld in grote groepen; onrustige thuissituatie; verzuim bij toetsen.",
    "destination": "vmbo",
    "destination_reasons": "Cognitief haalbaar; de ondersteuning richt zich op aanwezigheid en werkhouding.",
    "goals": "1. Volgt elke dag ten minste vier lessen in de klas.\n2. Vraagt zelf om een time-out in plaats van weg te lopen.",
    "support": "Viproom: dagelijks check-in en check-out (coach).\nJeugdteam: gezinsbegeleiding, 1x per week thuis.\nMentor: wekelijks kort gesprek.",
    "mentor_contribution": "In de klas gaat het beter als de opdracht op papier staat.",
}


def _consenter(student, today):
    guardian = student.guardians.filter(has_authority=True).first()
    if student.age(today) >= 18 or guardian is None:
        return {"guardian": None, "by_student": True}
    return {"guardian": guardian, "by_student": False}


def _adopted(student, coordinator, today, *, started_days_ago):
    plan = services.plan_start(
        student=student, actor=coordinator, support_started_on=today - timedelta(days=started_days_ago)
    )
    draft = plan.versions.get()
    services.plan_update(version=draft, actor=coordinator, fields=tuple(CONTENT), **CONTENT)
    services.plan_discussion_record(
        version=draft,
        actor=coordinator,
        discussed_on=today,
        discussed_with="moeder, mentor, leerling",
        parents_view="Ouders herkennen zich in het plan en willen graag meedenken over de doelen.",
    )
    if student.age(today) < 18 and not student.guardians.filter(has_authority=True).exists():
        return plan, draft
    services.plan_consent_record(version=draft, actor=coordinator, given_on=today, **_consenter(student, today))
    return plan, services.plan_adopt(version=draft, actor=coordinator)


def seed(ctx):
    _seed_plans(ctx)
    _seed_referrals(ctx)


def _seed_referrals(ctx):
    """Per school: a jeugdteam referral accepted and one declined (pupils with consent for
    the jeugdteam, as the students demo gives them)."""
    jeugdteam = ctx.organisations.get("jeugdteam")
    worker = ctx.users.get("partner_jeugdteam")
    if jeugdteam is None or worker is None:
        return
    for key, school in ctx.schools.items():
        if ExternalReferral.objects.filter(school=school).exists():
            continue
        coordinator = ctx.users[f"zc_{key}"]
        pupil_ids = (
            Consent.objects.active(ctx.today)
            .filter(organisation=jeugdteam, student__school=school, student__left_on__isnull=True)
            .order_by("student_id")
            .values_list("student_id", flat=True)
        )
        pupils = list(Student.objects.filter(pk__in=list(pupil_ids)[:2]).order_by("pk"))
        for n, pupil in enumerate(pupils):
            referral = services.external_referral_send(
                student=pupil,
                actor=coordinator,
                organisation=jeugdteam,
                question="Moeder vraagt hulp bij de opvoeding; thuis veel ruzie over schoolgaan.",
                contact_person="Casusregisseur jeugdteam",
            )
            if n == 0:
                services.external_referral_accept(
                    referral=referral, actor=worker, help_started_on=ctx.today - timedelta(days=5)
                )
            else:
                services.external_referral_decline(
                    referral=referral,
                    actor=worker,
                    reason="Er loopt al hulp via de huisarts (POH-jeugd); eerst daar afstemmen.",
                )


def _seed_plans(ctx):
    swv = ctx.organisations.get("swv")
    swv_user = ctx.users.get("partner_swv")
    today = ctx.today
    for key, school in ctx.schools.items():
        if Plan.objects.filter(school=school).exists():
            continue
        coordinator = ctx.users[f"zc_{key}"]
        placed_ids = (
            Placement.objects.filter(school=school, ended_on__isnull=True)
            .order_by("student_id")
            .values_list("student_id", flat=True)
            .distinct()
        )
        pupils = list(Student.objects.filter(pk__in=list(placed_ids)[:8]).order_by("pk"))
        if len(pupils) < 8:
            pupils += list(
                Student.objects.filter(school=school, left_on__isnull=True)
                .exclude(pk__in=[p.pk for p in pupils])
                .order_by("pk")[: 8 - len(pupils)]
            )
        # One OPP in draft, still within its six weeks.
        draft_pupil, *adopted_pupils = pupils
        services.plan_start(student=draft_pupil, actor=coordinator, support_started_on=today - timedelta(days=12))
        adopted = []
        for n, pupil in enumerate(adopted_pupils):
            plan, version = _adopted(pupil, coordinator, today, started_days_ago=30 + 7 * n)
            if version.state == "vastgesteld":
                adopted.append(pupil)
        # One OPP in its second period (a new draft from the adopted one).
        if adopted:
            services.plan_new_draft(plan=adopted[0].plan, actor=coordinator)
        if swv is None or swv_user is None:
            continue
        outcomes = ["sent", "question", "granted", "refused", "withdrawn", "flagged"]
        for pupil, outcome in zip(adopted, outcomes, strict=False):
            if not Consent.objects.active(today).filter(student=pupil, organisation=swv).exists():
                # Consent for sharing with the SWV: from 16 the pupil, below a parent with gezag.
                guardian = pupil.guardians.filter(has_authority=True).first()
                own = pupil.is_16_or_older(today) or guardian is None
                consent_give(
                    student=pupil,
                    actor=coordinator,
                    given_on=today - timedelta(days=20) if not own else today,
                    organisation=swv,
                    given_by_guardian=None if own else guardian,
                    given_by_student=own,
                )
            kind = "tlv" if outcome == "refused" else "arrangement"
            request = services.request_send(
                student=pupil,
                actor=coordinator,
                organisation=swv,
                kind=kind,
                tlv_category="2" if kind == "tlv" else "",
                question="Graag een arrangement voor begeleiding in de klas, 4 uur per week, voor de rest van het schooljaar.",
            )
            if outcome == "question":
                services.request_message_add(
                    request=request,
                    actor=swv_user,
                    text="Kunt u het verslag van het laatste oudergesprek meesturen?",
                    from_swv=True,
                )
            elif outcome == "granted":
                services.request_message_add(
                    request=request, actor=swv_user, text="Hoeveel uur is er nu al beschikbaar?", from_swv=True
                )
                services.request_message_add(
                    request=request,
                    actor=coordinator,
                    text="Twee uur per week uit de basisondersteuning.",
                    from_swv=False,
                )
                services.request_decide(
                    request=request,
                    actor=swv_user,
                    outcome=RequestState.GRANTED,
                    hours=4,
                    starts_on=today,
                    ends_on=today + timedelta(days=200),
                    reasons="Past binnen de afspraken van het samenwerkingsverband.",
                )
            elif outcome == "refused":
                services.request_decide(
                    request=request,
                    actor=swv_user,
                    outcome=RequestState.REFUSED,
                    reasons="De ondersteuning binnen de school is nog niet uitgeput; eerst een arrangement.",
                )
            elif outcome == "withdrawn":
                services.request_withdraw(request=request, actor=coordinator, reason="Ouders willen eerst een gesprek.")
            elif outcome == "flagged":
                SupportRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now() - timedelta(weeks=7))
        services.requests_flag_overdue()
