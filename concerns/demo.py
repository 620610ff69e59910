"""Demo data of this app (see carecoord/demo.py). Idempotent."""

import uuid
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import OrganisationKind, Role
from students.models import Consent, SchoolClass, Student, SupportStatus
from students.timeline import timeline_add_many

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


def seed(ctx):
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
