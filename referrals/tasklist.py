"""What the trajectories put on task lists: evaluations due on placements (for the coach of
the facility and the zorgcoördinator), planned intakes (the zorgcoördinator; the coaches of
the facility when a coach takes part), and on "Vandaag" who is expected in the viproom."""

from collections import Counter
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.placements import coached_facilities, intake_tasks_q, may_have_intake_tasks, referrals_q
from carecoord.access.todo import evaluation_owners
from carecoord.addresses import row_address
from todo.registry import Source, TaskItem, TodayBlock, register_block, register_source

from .models import Placement, Referral, ReferralState
from .selectors import facility_board

# An evaluation shows on the list two weeks before its date (time to plan it).
EVALUATION_NOTICE = timedelta(days=14)


def _items(user, school, today):
    placements = Placement.objects.active().filter(school=school, next_evaluation_on__lte=today + EVALUATION_NOTICE)
    if not access.can(user, "school.manage_referrals", school):
        placements = placements.filter(facility__in=coached_facilities(user, school))
    rows = placements.order_by().values_list("pk", "facility__name", "next_evaluation_on", "student_id")
    url = row_address("referrals:placement_detail")
    title, origin = gettext("Evaluatie van de plaatsing in %(facility)s"), gettext("Plaatsing")
    return [
        TaskItem(
            source="evaluatie",
            pk=pk,
            title=title % {"facility": facility},
            due_on=due_on,
            url=url(pk),
            student_id=student_id,
            origin=origin,
        )
        for pk, facility, due_on, student_id in rows
    ]


def _counts(school_ids, until):
    """Coaches of the facility and the school's zorgcoördinatoren, per evaluation due."""
    due = Placement.objects.active().filter(school_id__in=school_ids, next_evaluation_on__lte=until)
    overdue, today = Counter(), Counter()
    per_school, per_school_overdue = Counter(), Counter()
    for coach_id, on in due.values_list("facility__coaches", "next_evaluation_on"):
        if coach_id:
            (overdue if on < until else today)[coach_id] += 1
    for school_id, on in due.values_list("school_id", "next_evaluation_on"):
        (per_school_overdue if on < until else per_school)[school_id] += 1
    for school_id in set(per_school) | set(per_school_overdue):
        for user in evaluation_owners(school_id):
            overdue[user.pk] += per_school_overdue[school_id]
            today[user.pk] += per_school[school_id]
    return {pk: [overdue[pk], today[pk]] for pk in set(overdue) | set(today)}


def _intakes(qs):
    return qs.filter(state=ReferralState.INTAKE_PLANNED, intake_at__isnull=False)


def _intake_items(user, school, today):
    if not may_have_intake_tasks(user, school):
        return []  # most people: no query built at all
    rows = list(
        _intakes(Referral.objects.filter(intake_tasks_q(user), school=school))
        .order_by()
        .distinct()
        .values_list("pk", "facility__name", "intake_at", "student_id")
    )
    if not rows:
        return []
    # The referral's page (and its question) is the coordinator's: the coach gets no link.
    opens = set(
        Referral.objects.filter(referrals_q(user), school=school, pk__in=[row[0] for row in rows])
        .order_by()
        .values_list("pk", flat=True)
    )
    url = row_address("referrals:referral_detail")
    title, origin = gettext("Intake voor %(facility)s om %(time)s"), gettext("Aanmelding")
    zone = timezone.get_current_timezone()  # once: timezone.localtime asks for it per row
    items = []
    for pk, facility, intake_at, student_id in rows:
        at = intake_at.astimezone(zone)
        items.append(
            TaskItem(
                source="intake",
                pk=pk,
                title=title % {"facility": facility, "time": at.strftime("%H:%M")},
                # Past its date and still "gepland": the intake's outcome is still to be recorded.
                due_on=at.date(),
                url=url(pk) if pk in opens else "",
                student_id=student_id,
                origin=origin,
            )
        )
    return items


def _intake_counts(school_ids, until):
    """The school's zorgcoördinatoren and, when a coach takes part, the facility's coaches."""
    overdue, today = Counter(), Counter()
    rows = _intakes(Referral.objects.filter(school_id__in=school_ids, intake_at__date__lte=until)).values_list(
        "pk", "school_id", "intake_at", "intake_participants", "facility__coaches"
    )
    due, coached = {}, set()
    for pk, school_id, at, participants, coach_id in rows:
        due[pk] = (school_id, timezone.localdate(at))
        if coach_id and "coach" in (participants or []):
            coached.add((pk, coach_id))
    for pk, coach_id in coached:
        on = due[pk][1]
        if on <= until:
            (overdue if on < until else today)[coach_id] += 1
    for school_id in {school_id for school_id, _on in due.values()}:
        coordinators = [u.pk for u in evaluation_owners(school_id)]  # the zorgcoördinatoren
        for at_school, on in due.values():
            if at_school == school_id and on <= until:
                for user_id in coordinators:
                    (overdue if on < until else today)[user_id] += 1
    return {pk: [overdue[pk], today[pk]] for pk in set(overdue) | set(today)}


def _viproom_block(request):
    facilities = list(coached_facilities(request.user, request.school))
    if not facilities:
        return None
    boards = [facility_board(facility=f) for f in facilities]
    students = [row.student for board in boards for row in board.expected]
    return {"boards": boards, "students": students}


register_source(Source("evaluatie", _("Evaluatie"), _items, None, _counts))
register_source(Source("intake", _("Intake"), _intake_items, None, _intake_counts))
register_block(TodayBlock("viproom", _("Verwacht in de viproom"), 40, _viproom_block, "referrals/_today_expected.html"))
