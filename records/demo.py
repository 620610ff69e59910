"""Demo care records (see carecoord/demo.py). Idempotent: a school that has notes is skipped.

Per demo school: every pupil with care history (a concern, a placement or a place on an
agenda) gets journal notes of several kinds, a few of them vertrouwelijk, and some
documents (small generated PDFs); a few minutes and placement plans are changed once, so
"Geschiedenis" shows two versions; and sibling pairs share a guardian, found the way the
LVS import finds them, most confirmed by the coordinator, one left as a suggestion. One
pair has a pupil in the demo mentor's class and a sibling in another class: the mentor's
"Gezin" panel leaves the sibling out.
"""

import functools
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from concerns.models import Concern
from meetings.models import AgendaItem
from referrals.models import Placement
from students.demo_families import GUARDIAN_EMAILS as family_guardian_emails
from students.models import Guardian, Student

from .models import FamilyLinkStatus, Note, NoteKind
from .services import document_add, family_decide, family_suggest, note_add

NOTES = [
    (
        NoteKind.PHONE,
        "zorg",
        "Moeder belde: {name} slaapt slecht en wil 's ochtends niet naar school. Afgesproken dat mentor vrijdag terugbelt.",
    ),
    (
        NoteKind.PARENTS,
        "zorg",
        "Gesprek met beide ouders over het verzuim. Ouders herkennen het beeld en staan open voor hulp van het jeugdteam.",
    ),
    (
        NoteKind.PUPIL,
        "administratie",
        "Kort gesprek met {name} in de pauze; gaat beter in de klas, wil graag een vaste plek vooraan.",
    ),
    (
        NoteKind.HOME_VISIT,
        "vertrouwelijk",
        "Huisbezoek samen met SMW. Thuissituatie is onrustig; vader woont sinds kort elders. Niet delen buiten het zorgteam.",
    ),
    (
        NoteKind.COLLEAGUE,
        "overleg",
        "Overleg met de mentor en de viproomcoach: opbouw naar twee lessen per dag in de klas.",
    ),
    (
        NoteKind.PARTNER,
        "netwerk",
        "Contact met het jeugdteam: intake is gepland, casusregisseur neemt contact op met moeder.",
    ),
    (
        NoteKind.OBSERVATION,
        "traject",
        "In de viproom rustig gewerkt aan wiskunde; zelf om uitleg gevraagd. Een succeservaring.",
    ),
]
DOCUMENTS = [
    ("Verslag psychologisch onderzoek", "onderzoek", "zorg"),
    ("Brief Veilig Thuis", "brief", "vertrouwelijk"),
    ("Toestemmingsformulier jeugdteam", "toestemmingsformulier", "toestemming"),
    ("Handelingsplan", "plan", "traject"),
]


@functools.cache
def _pdf(title: str) -> bytes:
    import weasyprint

    html = f"<h1>{title}</h1><p>Demo-document van Carecoord. Geen echte gegevens.</p>"
    return weasyprint.HTML(string=html).write_pdf()


def seed(ctx):
    for key, school in ctx.schools.items():
        if Note.objects.filter(school=school).exists() or not ctx.students.get(key):
            continue
        _seed_school(ctx, key, school)


def _with_care_history(school):
    ids = set(Concern.objects.filter(school=school).values_list("student_id", flat=True))
    ids |= set(Placement.objects.filter(school=school).values_list("student_id", flat=True))
    ids |= set(AgendaItem.objects.filter(meeting__school=school).values_list("student_id", flat=True))
    return list(Student.objects.filter(pk__in=ids).order_by("pk")[:40])


def _seed_school(ctx, key, school):
    rng = ctx.rng_for("records", key)
    coordinator = ctx.users[f"zc_{key}"]
    mentor = ctx.users[f"mentor_{key}"]
    now = timezone.now()
    for student in _with_care_history(school):
        kinds = rng.sample(NOTES, k=rng.randint(3, 5))
        for n, (kind, section, text) in enumerate(kinds):
            note_add(
                student=student,
                actor=coordinator,
                occurred_at=now - timedelta(days=rng.randint(1, 90), hours=n),
                kind=kind,
                text=text.format(name=student.first_name),
                section=section,
            )
        for title, kind, section in rng.sample(DOCUMENTS, k=rng.randint(1, 2)):
            document_add(
                student=student,
                actor=coordinator,
                upload=ContentFile(_pdf(title), name=f"{title.lower().replace(' ', '-')}.pdf"),
                title=title,
                kind=kind,
                section=section,
            )
    # The demo mentor writes about a pupil of their own class.
    own = (
        Student.objects.filter(school=school, school_class__mentors=mentor, left_on__isnull=True).order_by("pk").first()
    )
    if own is not None:
        note_add(
            student=own,
            actor=mentor,
            occurred_at=now - timedelta(days=2),
            kind=NoteKind.PARENTS,
            text=f"Oudergesprek na de les: {own.first_name} is thuis veel aan het gamen, ouders maken afspraken.",
            section="zorg",
        )
    _edited_minutes_and_plans(school, coordinator)
    _families(rng, school, coordinator, mentor)


def _edited_minutes_and_plans(school, coordinator):
    """A changed decision and a changed plan: "Geschiedenis" shows the old text beside the new."""
    items = AgendaItem.objects.filter(meeting__school=school).exclude(decision="").order_by("pk")[:3]
    for item in items:
        if not item.history.exists():
            AgendaItem.history.bulk_history_create([item], default_user=coordinator)
        item.decision = f"{item.decision} Aangevuld: ouders zijn akkoord, evaluatie over zes weken."
        item._history_user = coordinator
        item._change_reason = "Aangevuld na telefonisch overleg met ouders"
        item.save()
    for placement in Placement.objects.filter(school=school, ended_on__isnull=True).order_by("pk")[:2]:
        if not placement.history.exists():
            Placement.history.bulk_history_create([placement], default_user=coordinator)
        placement.planned_end_on = (placement.planned_end_on or placement.start_on + timedelta(weeks=12)) + timedelta(
            weeks=4
        )
        placement.subjects = placement.subjects or "wiskunde, Nederlands"
        placement._history_user = coordinator
        placement._change_reason = "Verlengd na de evaluatie"
        placement.save()


def _families(rng, school, coordinator, mentor):
    """Sibling pairs: the second pupil gets the first one's mother as a guardian (as the LVS
    would deliver it); the import's suggestion finds them; most are confirmed."""
    # The families with a child at another school (students/demo_families.py) keep their own story.
    pupils = Student.objects.filter(school=school, left_on__isnull=True).exclude(
        guardians__email__in=family_guardian_emails
    )
    in_mentor_class = list(pupils.filter(school_class__mentors=mentor).order_by("pk")[:2])
    others = list(pupils.exclude(school_class__mentors=mentor).order_by("pk")[:400])
    if len(in_mentor_class) < 2 or len(others) < 8:
        return
    pairs = [
        (in_mentor_class[0], in_mentor_class[1]),  # both visible to the mentor
        (in_mentor_class[0], others[0]),  # the sibling in another class: not in the mentor's panel
        *[tuple(rng.sample(others[1:], k=2)) for _ in range(3)],
    ]
    for first, second in pairs:
        mother = Guardian.objects.filter(student=first).order_by("pk").first()
        if mother is None or Guardian.objects.filter(student=second, email=mother.email, name=mother.name).exists():
            continue
        Guardian.objects.create(
            student=second,
            name=mother.name,
            relation=mother.relation,
            phone=mother.phone,
            email=mother.email,
            has_authority=mother.has_authority,
        )
    family_suggest(school=school)
    from .models import FamilyLink

    suggestions = list(FamilyLink.objects.filter(school=school, status=FamilyLinkStatus.SUGGESTED).order_by("pk"))
    for link in suggestions[:-1]:  # one stays a suggestion, to show the coordinator's step
        family_decide(link=link, actor=coordinator, confirm=True)
