"""The kansencoach pages and the coach's "Niet gekomen" (the board it redraws shows the
facility's placed pupils) in the read-log proof (carecoord/tests/test_read_log_pages.py collects
the `CASES` of every app's `tests/read_log_cases.py`): each case gets a test client and the
world `w` of that module (Daan, Sanne and Noah of School A, the coordinator, the mentor of
their class, the coach, ...) and returns (response, the pupils it at least shows). The other
pages of this app are proven in that module itself."""

from datetime import datetime, timedelta

from django.utils import timezone

from referrals import services
from referrals.models import ConversationKind, FacilityKind
from referrals.tests.factories import FacilityFactory, lesson_hours, placed
from students.models import ConsentPurpose
from students.tests.factories import ConsentFactory


def _kansencoach(w):
    return FacilityFactory(school=w.school, name="Kansencoach", kind=FacilityKind.KANSENCOACH, coaches=[w.coach])


def _nominated(w, pupil, facility):
    return services.coaching_nominate(student=pupil, facility=facility, reason="Stil in de groep.", actor=w.mentor)


def _coaching(w):
    """Daan in coaching (with a conversation), Sanne nominated and waiting for consent."""
    facility = _kansencoach(w)
    ConsentFactory(student=w.daan, purpose=ConsentPurpose.KANSENCOACH, recorded_by=w.coordinator)
    placement = services.coaching_start(nomination=_nominated(w, w.daan, facility), actor=w.coordinator)
    services.coaching_conversation_add(
        placement=placement, held_on=timezone.localdate(), minutes=30, kind=ConversationKind.PUPIL, actor=w.coach
    )
    waiting = _nominated(w, w.sanne, facility)
    return facility, placement, waiting


def coaching_nominate(client, w):
    facility = _kansencoach(w)
    _nominated(w, w.daan, facility)
    client.force_login(w.mentor)
    return client.get("/zorg/kansencoach/voordragen/"), [w.daan]


def coaching_nominate_picked(client, w):
    _kansencoach(w)
    client.force_login(w.mentor)
    return client.get(f"/zorg/kansencoach/voordragen/?leerling={w.noah.pk}"), [w.noah]


def coaching_caseload(client, w):
    facility, _placement, _waiting = _coaching(w)
    client.force_login(w.coordinator)
    return client.get(f"/zorg/kansencoach/{facility.pk}/"), [w.daan, w.sanne]


def coaching_caseload_coach(client, w):
    # The coach sees Daan (consent) and not Sanne (waiting for her parents).
    facility, _placement, _waiting = _coaching(w)
    client.force_login(w.coach)
    return client.get(f"/zorg/kansencoach/{facility.pk}/"), [w.daan]


def coaching_nomination(client, w):
    _facility, _placement, waiting = _coaching(w)
    client.force_login(w.coordinator)
    return client.get(f"/zorg/kansencoach/voordracht/{waiting.pk}/"), [w.sanne]


def coaching_detail(client, w):
    _facility, placement, _waiting = _coaching(w)
    client.force_login(w.coach)
    return client.get(f"/zorg/kansencoach/begeleiding/{placement.pk}/"), [w.daan]


def coaching_end(client, w):
    _facility, placement, _waiting = _coaching(w)
    client.force_login(w.coach)
    return client.get(f"/zorg/kansencoach/begeleiding/{placement.pk}/afsluiten/"), [w.daan]


def visit_no_show(client, w):
    day = timezone.localdate()
    while day.weekday() > 4:
        day += timedelta(days=1)
    if not w.school.lesson_hours.exists():
        lesson_hours(w.school)
    first = w.school.lesson_hours.order_by("number").first()
    at = timezone.make_aware(datetime.combine(day, first.starts_at)) + timedelta(minutes=12)
    facility = w.viproom
    placed(w.daan, facility, by=w.coordinator, start_on=day - timedelta(days=7))
    client.force_login(w.coach)
    from referrals.tests.test_no_show_button import clock

    with clock(at):  # the lesson hour began 12 minutes ago, on a school day
        response = client.post(
            f"/zorg/bord/{facility.pk}/niet-gekomen/", {"student": w.daan.pk}, HTTP_HX_REQUEST="true"
        )
    assert "is niet gekomen" in response.content.decode()
    return response, [w.daan]


CASES = {
    "referrals:visit_no_show": ("referrals:visit_no_show", visit_no_show),
    "referrals:coaching_nominate": ("referrals:coaching_nominate", coaching_nominate),
    "referrals:coaching_nominate (picked)": ("referrals:coaching_nominate", coaching_nominate_picked),
    "referrals:coaching_caseload": ("referrals:coaching_caseload", coaching_caseload),
    "referrals:coaching_caseload (coach)": ("referrals:coaching_caseload", coaching_caseload_coach),
    "referrals:coaching_nomination": ("referrals:coaching_nomination", coaching_nomination),
    "referrals:coaching_detail": ("referrals:coaching_detail", coaching_detail),
    "referrals:coaching_end": ("referrals:coaching_end", coaching_end),
}
