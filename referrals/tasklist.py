"""What the trajectories put on task lists: evaluations due on placements (for the coach of
the facility and the zorgcoördinator), and on "Vandaag" who is expected in the viproom."""

from collections import Counter
from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carecoord import access
from carecoord.access.placements import coached_facilities
from carecoord.access.todo import evaluation_owners
from todo.registry import Source, TaskItem, TodayBlock, register_block, register_source

from .models import Placement
from .selectors import facility_board

# An evaluation shows on the list two weeks before its date (time to plan it).
EVALUATION_NOTICE = timedelta(days=14)


def _items(user, school, today):
    placements = Placement.objects.active().filter(school=school, next_evaluation_on__lte=today + EVALUATION_NOTICE)
    if not access.can(user, "school.manage_referrals", school):
        placements = placements.filter(facility__in=coached_facilities(user, school))
    return [
        TaskItem(
            source="evaluatie",
            pk=p.pk,
            title=str(_("Evaluatie van de plaatsing in %(facility)s") % {"facility": p.facility.name}),
            due_on=p.next_evaluation_on,
            url=reverse("referrals:placement_detail", args=[p.pk]),
            student_id=p.student_id,
            origin=str(_("Plaatsing")),
        )
        for p in placements.select_related("facility")
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


def _viproom_block(request):
    facilities = list(coached_facilities(request.user, request.school))
    if not facilities:
        return None
    boards = [facility_board(facility=f) for f in facilities]
    students = [row.student for board in boards for row in board.expected]
    return {"boards": boards, "students": students}


register_source(Source("evaluatie", _("Evaluatie"), _items, None, _counts))
register_block(TodayBlock("viproom", _("Verwacht in de viproom"), 40, _viproom_block, "referrals/_today_expected.html"))
