"""Demo data of this app (see carecoord/demo.py). Idempotent."""

import uuid
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts.models import Membership, OrganisationKind, Role
from accounts.selectors import holiday_dates
from students.models import Consent, ConsentPurpose, SchoolClass, Student, SupportStatus
from students.timeline import timeline_add_many

from .models import (
    DEFAULT_CAPACITY,
    EvaluationDecision,
    Facility,
    FacilityKind,
    GoalProgress,
    IntakeParticipant,
    LessonHour,
    Outcome,
    Placement,
    PlacementEvaluation,
    PlacementGoal,
    PlacementGoalResult,
    PlacementKind,
    PlacementSlot,
    Referral,
    ReferralState,
    ReferralTransition,
    Visit,
    VisitReason,
)
from .selectors import expected_blocks
from .services import DEFAULT_LESSON_HOURS

# --- Zorgroute ---------------------------------------------------------------------------

# (name, when, what, first, handler (kind, value), urgency, meldcode, home situation, weight)
ROUTE = [
    (
        "Leren",
        "Cijfers zakken duidelijk weg, de leerling haakt af bij uitleg, of je vermoedt dyslexie of dyscalculie.",
        "In welke vakken, sinds wanneer, wat je ziet in de les en in het werk.",
        "Bespreek het met de leerling en de vakdocenten; kijk in het LVS naar eerdere signalen.",
        ("rol", Role.ZORGCOORDINATOR),
        1,
        False,
        False,
        14,
    ),
    (
        "Gedrag",
        "Herhaald storend, agressief of teruggetrokken gedrag dat met de gewone klassenaanpak niet verbetert.",
        "Concrete situaties: wat gebeurde er, wanneer, wie waren erbij, hoe reageerde de leerling.",
        "Een gesprek met de leerling en contact met thuis; afspraken met de vakdocenten.",
        ("rol", Role.ZORGCOORDINATOR),
        2,
        False,
        False,
        18,
    ),
    (
        "Sociaal-emotioneel",
        "Somberheid, faalangst, gepest worden of pesten, weinig contact met klasgenoten.",
        "Wat je ziet en hoort, hoe lang al, wat de leerling er zelf over zegt.",
        "Een mentorgesprek; vraag of de leerling met iemand wil praten.",
        ("organisatie", OrganisationKind.SMW),
        2,
        False,
        False,
        14,
    ),
    (
        "Thuissituatie",
        "Zorgen over de situatie thuis: scheiding, geldzorgen, mantelzorg, ouders die niet bereikbaar zijn.",
        "Wat de leerling vertelt of wat je opvalt; wat je weet van het contact met ouders.",
        "Contact met ouders, als dat veilig kan. Vermoed je huiselijk geweld? Kies dan 'Veiligheid'.",
        ("rol", Role.ZORGCOORDINATOR),
        2,
        False,
        True,
        16,
    ),
    (
        "Verzuim",
        "Veel ziekmeldingen, te laat komen of spijbelen; ook als de 16-uursgrens nog niet is bereikt (MAS).",
        "Welke uren of dagen, het patroon (bijv. steeds maandag), wat ouders en leerling zeggen.",
        "Bel ouders bij de eerste ongeoorloofde uren; bespreek het met de verzuimcoördinator.",
        ("organisatie", OrganisationKind.LEERPLICHT),
        2,
        False,
        False,
        15,
    ),
    (
        "Medisch",
        "Vaak hoofdpijn of buikpijn, vermoeidheid, zorgen over eten of slapen, een lichamelijke beperking.",
        "Wat je ziet, hoe vaak, wat het doet met de lessen.",
        "Vraag de leerling (en ouders) of er een arts bij betrokken is.",
        ("organisatie", OrganisationKind.JGZ),
        1,
        False,
        False,
        8,
    ),
    (
        "Veiligheid (Meldcode)",
        "Een vermoeden van huiselijk geweld of kindermishandeling: letsel, angst om naar huis te gaan, "
        "uitspraken van de leerling.",
        "Alleen feiten: wat je zag of hoorde, letterlijke uitspraken, datum en tijd. Geen eigen onderzoek.",
        "Niets zelf ondernemen richting ouders. Bij acuut gevaar: 112. Advies: Veilig Thuis 0800-2000.",
        ("rol", Role.AANDACHTSFUNCTIONARIS),
        3,
        True,
        True,
        0,
    ),
]

OBSERVATIONS = {
    "Leren": [
        "Haalt sinds de herfstvakantie onvoldoendes voor wiskunde en Nederlands; maakt toetsen niet af.",
        "Leest erg langzaam en raadt woorden; vraagt nooit om hulp.",
    ],
    "Gedrag": [
        "Is deze week drie keer uit de les gestuurd bij verschillende docenten, reageert boos op aanspreken.",
        "Trekt zich terug in de pauzes en zit met een capuchon op in de les; zegt niets meer.",
    ],
    "Sociaal-emotioneel": [
        "Vertelde na de les dat ze in de groepsapp wordt uitgescholden; huilde.",
        "Lijkt somber, zegt 'het maakt toch niet uit'. Eet niet in de pauze.",
    ],
    "Thuissituatie": [
        "Ouders zijn aan het scheiden; de leerling slaapt afwisselend bij opa en een tante en is vaak moe.",
        "Moeder is ziek; de leerling zorgt voor twee jongere broertjes en komt daardoor te laat.",
        "Ouders reageren al weken niet op mails en telefoon; de leerling zegt dat er geldzorgen zijn.",
    ],
    "Verzuim": [
        "Elke maandag ziek gemeld de afgelopen vijf weken; ook twee keer ongeoorloofd afwezig.",
        "Komt bijna dagelijks het eerste uur te laat (al 9 keer deze maand).",
    ],
    "Medisch": [
        "Klaagt vaak over hoofdpijn en valt in slaap in de les.",
        "Is erg afgevallen en eet niet mee op schoolkamp.",
    ],
}
DONE_BEFORE = [
    "Gesprek met de leerling gehad.",
    "Ouders gebeld en gemaild.",
    "Besproken met de vakdocenten.",
    "",
]
ACTIONS = {
    "Leren": ["Gesprek met leerling en vakdocent wiskunde", "Dyslexiescreening aanvragen"],
    "Gedrag": ["Gesprek met leerling en ouders plannen", "Afspraken vastleggen met vakdocenten"],
    "Sociaal-emotioneel": ["Doorverwijzen naar schoolmaatschappelijk werk", "Klas bespreken met mentor"],
    "Thuissituatie": ["Gesprek met ouders", "Jeugdteam vragen mee te denken (na toestemming)"],
    "Verzuim": ["Verzuimgesprek met leerling en ouders", "Adviesgesprek leerplicht plannen"],
    "Medisch": ["Leerling aanmelden bij de schoolarts", "Afspraken over rustmomenten maken"],
}
FEEDBACK = {
    "Leren": "Dank voor je melding. Er is een gesprek geweest en er loopt nu een screening; je hoort wat er uitkomt.",
    "Gedrag": "Dank je. We hebben met leerling en ouders afspraken gemaakt; wil je binnen twee weken laten weten "
    "of je verandering ziet?",
    "Sociaal-emotioneel": "De leerling praat nu met het schoolmaatschappelijk werk. Blijf alert in de klas.",
    "Thuissituatie": "Er is contact met de ouders en er is hulp betrokken. Details blijven vertrouwelijk; "
    "een beetje extra aandacht in de klas helpt.",
    "Verzuim": "Er is een gesprek geweest met ouders en leerplicht; registreer het verzuim goed en meld nieuw verzuim "
    "meteen.",
    "Medisch": "De schoolarts heeft de leerling gezien. Er zijn afspraken over rustmomenten; de leerling weet ervan.",
}
MELDCODE_OBSERVATION = (
    "Had maandag blauwe plekken op beide bovenarmen. Zei eerst 'gevallen', later: 'papa was boos'. "
    "Wil na school niet naar huis en blijft zo lang mogelijk in het lokaal."
)
MELDCODE_STEPS = [
    (1, 18, "mentor en aandachtsfunctionaris", "Signalen vastgelegd: letsel, uitspraak, gedrag na schooltijd."),
    (2, 15, "zorgcoördinator, aandachtsfunctionaris", "Collegiaal overlegd; advies gevraagd aan Veilig Thuis."),
    (3, 9, "aandachtsfunctionaris en leerling", "Gesprek met de leerling; gesprek met moeder gepland."),
]


def _categories(ctx, key, school):
    from .models import ConcernCategory

    categories = {}
    for position, (name, when, what, first, (kind, value), urgency, meldcode, home, _weight) in enumerate(ROUTE):
        handler = {"handler_kind": kind}
        if kind == "rol":
            handler["handler_role"] = value
        else:
            handler["handler_organisation"] = ctx.organisations[str(value)]
        categories[name], _created = ConcernCategory.objects.get_or_create(
            school=school,
            name=name,
            defaults={
                "guidance_when": when,
                "guidance_what": what,
                "guidance_first": first,
                "default_urgency": urgency,
                "follows_meldcode": meldcode,
                "home_situation": home,
                "position": (position + 1) * 10,
                **handler,
            },
        )
    return categories


def seed_zorgroute(ctx):
    from .models import Concern

    for key, school in ctx.schools.items():
        categories = _categories(ctx, key, school)
        if not Concern.objects.filter(school=school).exists() and ctx.students.get(key):
            with transaction.atomic():
                _concerns(ctx, key, school, categories)


def _at(day, rng):
    return timezone.make_aware(datetime.combine(day, time(rng.randrange(8, 16), rng.randrange(60))))


def _concerns(ctx, key, school, categories):
    from students.demo import DEMO_MENTOR_CLASSES

    from .models import Concern, ConcernAction, ConcernStatus, MeldcodeStep

    rng = ctx.rng_for("concerns", key)
    now = timezone.now()
    today = ctx.today
    coordinator = ctx.users[f"zc_{key}"]
    af = ctx.users[f"af_{key}"]
    demo_mentor = ctx.users[f"mentor_{key}"]
    pupils = [s for s in ctx.students[key] if s.left_on is None and s.school_class_id]
    if not pupils:
        return
    mentor_of = {
        c.pk: (list(c.mentors.all()) or [demo_mentor])[0]
        for c in SchoolClass.objects.filter(school=school).prefetch_related("mentors")
    }
    own = [s for s in pupils if s.school_class.name in DEMO_MENTOR_CLASSES[key]] or pupils[:5]
    consented = {}
    for kind in (OrganisationKind.SMW, OrganisationKind.LEERPLICHT, OrganisationKind.JGZ):
        org = ctx.organisations[str(kind)]
        ids = set(
            Consent.objects.active(today)
            .filter(organisation=org, student__school=school)
            .values_list("student_id", flat=True)
        )
        consented[org.pk] = [s for s in pupils if s.pk in ids]

    routine = [r for r in ROUTE if r[8]]
    events, concerns, plans = [], [], []
    for n in range(40):
        name = rng.choices([r[0] for r in routine], weights=[r[8] for r in routine])[0]
        category = categories[name]
        # Half of the concerns come from the demo mentor (about their own classes); a concern
        # for a partner is mostly about a pupil with consent for it, so the partner sees it.
        with_consent = consented.get(category.handler_organisation_id)
        if with_consent and rng.random() < 0.75:
            student = rng.choice(with_consent)
        else:
            student = rng.choice(own if n % 2 == 0 else pupils)
        raised_by = mentor_of.get(student.school_class_id, demo_mentor)
        days_ago = rng.choice([1, 2, 3, 5, 8, 12, 17, 22, 30, 45, 60, 80, 100, 130, 150])
        created = _at(today - timedelta(days=days_ago), rng)
        roll = rng.random()
        if days_ago <= 3:
            status = ConcernStatus.NEW if roll < 0.6 else ConcernStatus.IN_PROGRESS
        elif days_ago <= 21:
            status = [ConcernStatus.NEW, ConcernStatus.IN_PROGRESS, ConcernStatus.CLOSED][
                0 if roll < 0.15 else 1 if roll < 0.6 else 2
            ]
        else:
            status = ConcernStatus.IN_PROGRESS if roll < 0.2 else ConcernStatus.CLOSED
        first_action = None
        if status != ConcernStatus.NEW:  # a first step within hours or days, never in the future
            first_action = created + min(timedelta(hours=rng.randrange(2, 100)), (now - created) * 0.8)
        closed = None
        if status == ConcernStatus.CLOSED:
            # Closed somewhere between the first action and today (up to about three weeks later).
            closed = first_action + min(now - first_action, timedelta(days=24)) * rng.uniform(0.2, 0.9)
        concern = Concern(
            school=school,
            student=student,
            category=category,
            is_meldcode=False,
            raised_by=raised_by,
            observation=rng.choice(OBSERVATIONS[name]),
            already_done=rng.choice(DONE_BEFORE),
            urgency=category.default_urgency if rng.random() < 0.7 else rng.choice([1, 2, 3]),
            status=status,
            handler_role=category.handler_role,
            handler_organisation=category.handler_organisation,
            home_situation=category.home_situation or rng.random() < 0.18,
            submission_key=uuid.UUID(int=rng.getrandbits(128)),
            created_at=created,
            first_action_at=first_action,
            closed_at=closed,
            closed_by=coordinator if closed else None,
            feedback=FEEDBACK[name] if closed else "",
        )
        concerns.append(concern)
        plans.append(name)
    Concern.objects.bulk_create(concerns)

    actions = []
    for concern, name in zip(concerns, plans, strict=True):
        kind = "concerns"
        events.append(
            _event(
                concern,
                f"{kind}.raised",
                concern.raised_by,
                concern.created_at,
                category=name,
                raised_by=concern.raised_by.name,
            )
        )
        if concern.first_action_at:
            for i, text in enumerate(ACTIONS[name][: 1 + (concern.pk % 2)]):
                due = (concern.first_action_at + timedelta(days=7 * (i + 1))).date()
                done = concern.closed_at or (
                    concern.first_action_at + timedelta(days=3) if i == 0 and concern.pk % 3 == 0 else None
                )
                done = done if done is None or done <= now else None
                actions.append(
                    ConcernAction(
                        concern=concern,
                        description=text,
                        due_on=due,
                        owner=coordinator,
                        created_by=coordinator,
                        done_at=done,
                        done_by=coordinator if done else None,
                    )
                )
                events.append(
                    _event(
                        concern,
                        f"{kind}.action_added",
                        coordinator,
                        concern.first_action_at,
                        description=text,
                        due_on=due.isoformat(),
                    )
                )
        if concern.closed_at:
            events.append(
                _event(concern, f"{kind}.closed", coordinator, concern.closed_at, raised_by=concern.raised_by.name)
            )
    ConcernAction.objects.bulk_create(actions)
    # What the app does on its own: raised → "gesignaleerd", in behandeling → "in begeleiding".
    started = {c.student_id for c in concerns if c.first_action_at}
    Student.objects.filter(pk__in=started, support_status__in=["", SupportStatus.SIGNALED]).update(
        support_status=SupportStatus.IN_BEGELEIDING
    )
    Student.objects.filter(pk__in={c.student_id for c in concerns}, support_status="").update(
        support_status=SupportStatus.SIGNALED
    )

    # One Meldcode case per school, raised by the demo mentor, now at step 3.
    student = own[len(own) // 2]
    created = _at(today - timedelta(days=20), rng)
    case = Concern.objects.create(
        school=school,
        student=student,
        category=categories["Veiligheid (Meldcode)"],
        is_meldcode=True,
        raised_by=demo_mentor,
        observation=MELDCODE_OBSERVATION,
        already_done="Niets richting ouders gedaan; direct gemeld.",
        urgency=3,
        status=ConcernStatus.IN_PROGRESS,
        handler_role=Role.AANDACHTSFUNCTIONARIS,
        home_situation=True,
        submission_key=uuid.UUID(int=rng.getrandbits(128)),
        created_at=created,
        first_action_at=created + timedelta(hours=3),
    )
    events.append(
        _event(case, "meldcode.raised", demo_mentor, created, category=case.category.name, raised_by=demo_mentor.name)
    )
    for step, days, who, notes in MELDCODE_STEPS:
        MeldcodeStep.objects.create(
            concern=case,
            step=step,
            occurred_on=today - timedelta(days=days),
            participants=who,
            notes=notes,
            veilig_thuis_consulted=step == 2,
            recorded_by=af,
        )
        events.append(_event(case, "meldcode.step", af, _at(today - timedelta(days=days), rng), step=step))
    timeline_add_many(events)


def _event(concern, kind, actor, when, **params):
    return {
        "student": concern.student,
        "kind": kind,
        "actor": actor,
        "occurred_at": when,
        "params": {"concern_id": concern.pk, **params},
    }


# --- Aanmeldingen en voorzieningen ---------------------------------------------------------
# Per school a viproom (~8 active placements of mixed kinds, a waiting list, open referrals,
# ended placements with outcomes, three weeks of visits); De Waard also has an SO+ group,
# Het Rivierlyceum a kansencoach. A school that already has facilities is left alone.

QUESTIONS = [
    "Durft de klas niet meer in door angst; zit sinds twee weken veel thuis.",
    "Loopt vast bij conflicten in de les; wordt vaak uitgestuurd.",
    "Veel verzuim in de eerste uren; thuis onrustig. Structuur aan het begin van de dag nodig.",
    "Haakt af bij wiskunde en Engels; wil wel, maar raakt overprikkeld in de grote klas.",
    "Na een periode thuis weer opbouwen naar volledig rooster.",
    "Somber, trekt zich terug. Mentor maakt zich zorgen over aanwezigheid.",
]
GOALS = [
    "Elke ochtend op tijd op school en inchecken",
    "Twee vakken weer in de eigen klas volgen",
    "Zelf aangeven wanneer een time-out nodig is",
    "Huiswerk bijhouden met een weekplanning",
    "Terug naar een volledig rooster in de klas",
    "Eén keer per week een gesprek met de mentor",
]
NOTES = ["", "", "", "Rustig gewerkt", "Goed gesprek gehad", "Moeite met concentratie", "Wiskunde afgemaakt", "Moe"]

# (kind, slots) of the viproom's active placements: full-time, check-in/out, specific hours.
VIPROOM_PLAN = [
    (PlacementKind.FULL_TIME, []),
    (PlacementKind.FULL_TIME, []),
    (PlacementKind.FULL_TIME, []),
    (PlacementKind.CHECK_IN_OUT, [(d, 1) for d in range(5)]),
    (PlacementKind.CHECK_IN_OUT, [(d, 1) for d in range(5)]),
    (PlacementKind.CHECK_IN_OUT, [(0, 1), (2, 1), (4, 1)]),
    (PlacementKind.HOURS, [(0, 3), (0, 4), (2, 5), (3, 3)]),
    (PlacementKind.HOURS, [(1, 2), (3, 6), (3, 7)]),
]
ENDED_OUTCOMES = [
    Outcome.BACK_FULLY,
    Outcome.BACK_FULLY,
    Outcome.BACK_PARTLY,
    Outcome.OTHER_FACILITY,
    Outcome.AT_HOME,
]


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


class _Seeder:
    """Builds one school's facilities with their history, directly on the models (with
    back-dated times the services cannot write) and with the same timeline events."""

    def __init__(self, ctx, key, school):
        self.ctx, self.key, self.school = ctx, key, school
        self.rng = ctx.rng_for("referrals", key)
        self.today = ctx.today
        self.coordinator = ctx.users[f"zc_{key}"]
        self.events: list[dict] = []
        self.visits: list[Visit] = []
        self.hours = self._lesson_hours()
        start = self.today - timedelta(weeks=3)
        self.off = holiday_dates(school=school, start=start, end=self.today)
        self.school_days = [
            start + timedelta(days=n)
            for n in range((self.today - start).days + 1)
            if (start + timedelta(days=n)).weekday() < 5 and start + timedelta(days=n) not in self.off
        ]
        self.pool = [s for s in ctx.students.get(key, []) if s.is_active]
        self.rng.shuffle(self.pool)

    def _lesson_hours(self):
        if not LessonHour.objects.filter(school=self.school).exists():
            parse = lambda value: datetime.strptime(value, "%H:%M").time()  # noqa: E731
            LessonHour.objects.bulk_create(
                LessonHour(school=self.school, number=n, starts_at=parse(s), ends_at=parse(e))
                for n, (s, e) in enumerate(DEFAULT_LESSON_HOURS, start=1)
            )
        return list(LessonHour.objects.filter(school=self.school).order_by("number"))

    def take(self, n):
        taken, self.pool = self.pool[:n], self.pool[n:]
        return taken

    def facility(self, name, kind, coaches, **extra):
        facility = Facility.objects.create(
            school=self.school, name=name, kind=kind, capacity=DEFAULT_CAPACITY[kind], **extra
        )
        facility.coaches.set(coaches)
        return facility

    # --- Referrals and placements ---------------------------------------------------------

    def referral(self, student, facility, created: date, path: list[tuple[str, date]], note="") -> Referral:
        created_at = _aware(created, time(10, self.rng.randrange(60)))
        referral = Referral.objects.create(
            school=self.school,
            student=student,
            facility=facility,
            question=self.rng.choice(QUESTIONS),
            involved_others=self.rng.choice(["moeder", "ouders, jeugdteam", "vader", ""]),
            created_by=self.coordinator,
            created_at=created_at,
        )
        mentors = list(student.school_class.mentors.all()) if student.school_class_id else []
        referral.involved.set(mentors[:1])
        ReferralTransition.objects.create(
            referral=referral, to_state=ReferralState.SUBMITTED, actor=self.coordinator, at=created_at
        )
        self.event(student, "referrals.referral_created", created_at, facility=facility.name, referral_id=referral.pk)
        state = ReferralState.SUBMITTED
        for to_state, day in path:
            at = _aware(day, time(14, 0))
            ReferralTransition.objects.create(
                referral=referral, from_state=state, to_state=to_state, actor=self.coordinator, at=at, note=note
            )
            self.event(
                student,
                "referrals.referral_state",
                at,
                facility=facility.name,
                referral_id=referral.pk,
                to=to_state,
                **{"from": state},
            )
            if to_state == ReferralState.INTAKE_PLANNED:
                referral.intake_at = _aware(day + timedelta(days=3), time(13, 30))
                referral.intake_participants = [
                    IntakeParticipant.PUPIL,
                    IntakeParticipant.PARENTS,
                    IntakeParticipant.MENTOR,
                    IntakeParticipant.COACH,
                ]
            if to_state == ReferralState.INTAKE_HELD:
                referral.intake_notes = "Leerling en ouders staan achter de aanmelding. Afspraken over start en doelen."
            if to_state == ReferralState.WAITING:
                referral.waitlisted_at = at
            if (
                to_state in (ReferralState.PLACED, ReferralState.WAITING, ReferralState.DECLINED)
                and not referral.decided_at
            ):
                referral.decided_at = at
            state = to_state
        referral.state = state
        referral.save()
        return referral

    def placement(self, student, facility, kind, slots, start: date, ended: date | None = None, outcome=""):
        path = [
            (ReferralState.INTAKE_PLANNED, start - timedelta(days=12)),
            (ReferralState.INTAKE_HELD, start - timedelta(days=8)),
            (ReferralState.PLACED, start - timedelta(days=1)),
        ]
        referral = self.referral(student, facility, start - timedelta(days=self.rng.randrange(14, 30)), path)
        placement = Placement.objects.create(
            school=self.school,
            student=student,
            facility=facility,
            referral=referral,
            kind=kind,
            subjects="wiskunde, Engels" if kind == PlacementKind.HOURS else "",
            start_on=start,
            planned_end_on=start + timedelta(weeks=18),
            next_evaluation_on=start + timedelta(weeks=6),
            created_by=self.coordinator,
            created_at=_aware(start - timedelta(days=1), time(14, 5)),
        )
        PlacementSlot.objects.bulk_create(PlacementSlot(placement=placement, weekday=d, hour=h) for d, h in slots)
        goals = PlacementGoal.objects.bulk_create(
            PlacementGoal(placement=placement, text=text, position=n)
            for n, text in enumerate(self.rng.sample(GOALS, 2))
        )
        self.event(
            student,
            "referrals.placement_started",
            placement.created_at,
            facility=facility.name,
            placement_id=placement.pk,
            plan=kind,
            start=start.isoformat(),
        )
        last_day = ended or self.today
        evaluation_day = start + timedelta(weeks=6)
        while evaluation_day < last_day:
            decision = (
                EvaluationDecision.END
                if ended and evaluation_day + timedelta(weeks=6) >= ended
                else (self.rng.choice([EvaluationDecision.CONTINUE, EvaluationDecision.ADJUST]))
            )
            evaluation = PlacementEvaluation.objects.create(
                placement=placement,
                held_on=evaluation_day,
                decision=decision,
                note="Besproken met leerling, ouders en mentor.",
                by=self.coordinator,
            )
            PlacementGoalResult.objects.bulk_create(
                PlacementGoalResult(
                    evaluation=evaluation,
                    goal=goal,
                    progress=self.rng.choice(GoalProgress.values),
                    decision=EvaluationDecision.CONTINUE,
                )
                for goal in goals
            )
            self.event(
                student,
                "referrals.placement_evaluated",
                _aware(evaluation_day, time(15)),
                facility=facility.name,
                placement_id=placement.pk,
                decision=decision,
            )
            placement.next_evaluation_on = evaluation_day + timedelta(weeks=6)
            evaluation_day += timedelta(weeks=6)
        if ended:
            placement.ended_on, placement.outcome, placement.next_evaluation_on = ended, outcome, None
            placement.outcome_note = {
                Outcome.BACK_FULLY: "Volgt weer het volledige rooster in de eigen klas.",
                Outcome.BACK_PARTLY: "Twee vakken nog met ondersteuning.",
                Outcome.OTHER_FACILITY: "Overgestapt naar de SO+-klas.",
                Outcome.AT_HOME: "Zit thuis; leerplicht en jeugdteam betrokken.",
            }.get(outcome, "")
            PlacementGoal.objects.filter(placement=placement).update(closed_on=ended)
            self.event(
                student,
                "referrals.placement_ended",
                _aware(ended, time(15, 30)),
                facility=facility.name,
                placement_id=placement.pk,
                outcome=outcome,
                date=ended.isoformat(),
            )
        placement.save()
        return placement

    # --- Visits -------------------------------------------------------------------------------

    def visit(self, placement, facility, student, start, end, by, **extra):
        now = timezone.now()
        if start >= now:
            return
        self.visits.append(
            Visit(
                facility=facility,
                student=student,
                placement=placement,
                checked_in_at=start,
                checked_in_by=by,
                checked_out_at=end if end <= now else None,  # someone is in the room right now
                checked_out_by=by if end <= now else None,
                note=self.rng.choice(NOTES),
                **extra,
            )
        )

    def visits_for(self, facility, placements, by, walk_ins=0):
        rng = self.rng
        for day in self.school_days:
            for placement in placements:
                if day < placement.start_on or rng.random() < 0.1:
                    continue  # not started yet, or absent
                for block in expected_blocks(placement, day, self.hours):
                    begin = block.start + timedelta(minutes=rng.randrange(-8, 6))
                    if placement.kind == PlacementKind.CHECK_IN_OUT:
                        finish = begin + timedelta(minutes=rng.randrange(5, 15))
                    else:
                        finish = block.end - timedelta(minutes=rng.randrange(0, 25))
                    self.visit(placement, facility, placement.student, begin, finish, by)
            for _ in range(rng.randrange(walk_ins + 1)):
                student = rng.choice(self.walk_in_pool)
                begin = _aware(day, time(rng.randrange(9, 15), rng.randrange(60)))
                self.visit(
                    None,
                    facility,
                    student,
                    begin,
                    begin + timedelta(minutes=rng.randrange(15, 50)),
                    by,
                    planned=False,
                    reason=rng.choice(VisitReason.values),
                )

    def event(self, student, kind, occurred_at, **params):
        self.events.append(
            {"student": student, "kind": kind, "actor": self.coordinator, "occurred_at": occurred_at, "params": params}
        )

    def day_summaries(self):
        per_day: dict[tuple, list[Visit]] = {}
        for visit in self.visits:
            day = timezone.localtime(visit.checked_in_at).date()
            if visit.checked_out_at is not None and day < self.today:
                per_day.setdefault((visit.student_id, visit.facility_id, day), []).append(visit)
        for (_sid, _fid, day), rows in sorted(per_day.items(), key=lambda item: item[0][2]):
            self.events.append(
                {
                    "student": rows[0].student,
                    "kind": "referrals.visits_day",
                    "actor": None,
                    "occurred_at": max(v.checked_out_at for v in rows),
                    "params": {
                        "facility": rows[0].facility.name,
                        "facility_id": rows[0].facility_id,
                        "placement_id": next((v.placement_id for v in rows if v.placement_id), None),
                        "day": day.isoformat(),
                        "count": len(rows),
                        "minutes": sum(int((v.checked_out_at - v.checked_in_at).total_seconds() // 60) for v in rows),
                        "unplanned": sum(1 for v in rows if not v.planned),
                        "auto_closed": False,
                    },
                }
            )

    # --- The school ----------------------------------------------------------------------------

    def run(self):
        rng, today = self.rng, self.today
        coach = self.ctx.users[f"coach_{self.key}"]
        viproom = self.facility("Viproom", FacilityKind.VIPROOM, [coach])
        active = []
        for (kind, slots), student in zip(VIPROOM_PLAN, self.take(len(VIPROOM_PLAN)), strict=False):
            active.append(self.placement(student, viproom, kind, slots, today - timedelta(days=rng.randrange(10, 75))))

        groups = []
        if self.key == "waard":
            worker = self.ctx.users["worker_waard"]
            group = self.facility("SO+ klas", FacilityKind.GROUP, [worker])
            members = [
                self.placement(s, group, PlacementKind.FULL_TIME, [], today - timedelta(days=rng.randrange(30, 60)))
                for s in self.take(4)
            ]
            groups.append((group, members, worker))
        else:
            worker = self.ctx.users["worker_rivier"]
            kansencoach = self.facility("Kansencoach", FacilityKind.KANSENCOACH, [worker])
            members = []
            for n, student in enumerate(self.take(3)):
                self.consent(student, ConsentPurpose.KANSENCOACH, today - timedelta(days=60))
                members.append(
                    self.placement(
                        student,
                        kansencoach,
                        PlacementKind.HOURS,
                        [(n % 5, 6)],
                        today - timedelta(days=rng.randrange(20, 50)),
                    )
                )
            groups.append((kansencoach, members, worker))

        # The waiting list, open referrals, a decline, and ended placements with outcomes.
        for n, student in enumerate(self.take(3)):
            created = today - timedelta(days=35 - n * 8)
            self.referral(
                student,
                viproom,
                created,
                [
                    (ReferralState.INTAKE_PLANNED, created + timedelta(days=2)),
                    (ReferralState.INTAKE_HELD, created + timedelta(days=6)),
                    (ReferralState.WAITING, created + timedelta(days=7)),
                ],
            )
        opening = self.take(3)
        if opening:
            self.referral(opening[0], viproom, today - timedelta(days=2), [])
        if len(opening) > 1:
            self.referral(
                opening[1],
                viproom,
                today - timedelta(days=6),
                [(ReferralState.INTAKE_PLANNED, today - timedelta(days=4))],
            )
        if len(opening) > 2:
            self.referral(
                opening[2],
                viproom,
                today - timedelta(days=20),
                [(ReferralState.DECLINED, today - timedelta(days=15))],
                note="Past beter bij het jeugdteam; doorverwezen.",
            )
        for outcome, student in zip(ENDED_OUTCOMES, self.take(len(ENDED_OUTCOMES)), strict=False):
            start = today - timedelta(days=rng.randrange(100, 160))
            self.placement(
                student,
                viproom,
                rng.choice([PlacementKind.FULL_TIME, PlacementKind.CHECK_IN_OUT]),
                [(d, 1) for d in range(5)],
                start,
                ended=start + timedelta(days=rng.randrange(45, 90)),
                outcome=outcome,
            )

        # Three weeks of visits, and the timeline summary of each pupil's day.
        prefetch_related_objects(active + [p for _f, members, _w in groups for p in members], "slots")
        placed_ids = {p.student_id for p in active} | {p.student_id for _f, ms, _w in groups for p in ms}
        self.walk_in_pool = [s for s in self.pool if s.pk not in placed_ids][:30]
        self.visits_for(viproom, active, coach, walk_ins=2 if self.walk_in_pool else 0)
        for facility, members, worker in groups:
            self.visits_for(facility, members, worker)
        self._no_double_presence()
        Visit.objects.bulk_create(self.visits, batch_size=1000)
        self.day_summaries()
        timeline_add_many(self.events)
        self.support_statuses()

    def _no_double_presence(self):
        """Walk-ins are drawn at random: drop one that overlaps the same pupil's other visit,
        and keep at most one visit open per pupil (the database allows no more)."""
        kept, by_student = [], {}
        far = timezone.now() + timedelta(days=1)
        for visit in sorted(self.visits, key=lambda v: v.checked_in_at):
            previous = by_student.get(visit.student_id)
            if previous is not None and visit.checked_in_at < (previous.checked_out_at or far):
                continue
            by_student[visit.student_id] = visit
            kept.append(visit)
        self.visits = kept

    def consent(self, student, purpose, given_on):
        giver = {"given_by_student": True}
        if not student.is_16_or_older(given_on):
            guardian = student.guardians.filter(has_authority=True).first()
            if guardian is None:
                return
            giver = {"given_by_guardian": guardian}
        Consent.objects.create(
            student=student, purpose=purpose, given_on=given_on, recorded_by=self.coordinator, **giver
        )
        self.events.append(
            {
                "student": student,
                "kind": "students.consent_given",
                "actor": self.coordinator,
                "occurred_at": _aware(given_on, time(11)),
                "params": {
                    "scope": str(ConsentPurpose(purpose).label),
                    "giver": "de leerling zelf" if "given_by_student" in giver else giver["given_by_guardian"].name,
                    "date": given_on.isoformat(),
                },
            }
        )

    def support_statuses(self):
        """What the mentor sees matches the trajectories: placed, referred, else not."""
        placed = Placement.objects.filter(school=self.school, ended_on__isnull=True).values("student_id")
        referred = Referral.objects.filter(school=self.school).open().values("student_id")
        pupils = Student.objects.filter(school=self.school)
        pupils.filter(pk__in=placed).update(support_status=SupportStatus.GEPLAATST)
        pupils.filter(pk__in=referred).exclude(pk__in=placed).update(support_status=SupportStatus.AANGEMELD)
        # The pupil demo hands out these two stages at random; without a trajectory they become 'in begeleiding'.
        pupils.filter(support_status__in=[SupportStatus.GEPLAATST, SupportStatus.AANGEMELD]).exclude(
            pk__in=placed
        ).exclude(pk__in=referred).update(support_status=SupportStatus.IN_BEGELEIDING)


# The second facility's worker per school: (e-mail local part, name, what the login shows).
WORKERS = {
    "waard": ("ambulant", "Yvonne Hendriks", "ambulant begeleider SO+ klas"),
    "rivier": ("kansencoach", "Corrie Hensema", "kansencoach"),
}


def _worker(ctx, key, school):
    from accounts.demo import SCHOOLS

    local, name, what = WORKERS[key]
    user = ctx.user(f"{local}@{SCHOOLS[key][2]}", name)
    Membership.objects.get_or_create(user=user, school=school, role=Role.COACH)
    ctx.users[f"worker_{key}"] = user
    ctx.logins.append((user.email, f"{Role.COACH.label} ({what}) — {school.name}"))


def seed_trajecten(ctx):
    for key, school in ctx.schools.items():
        if key in WORKERS:
            _worker(ctx, key, school)
        if key not in WORKERS or Facility.objects.filter(school=school).exists():
            continue
        with transaction.atomic():
            _Seeder(ctx, key, school).run()


def seed(ctx):
    seed_zorgroute(ctx)
    seed_trajecten(ctx)
