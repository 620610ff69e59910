"""Reads of the meetings app. Every read starts from `visible_to(user)`, so a partner's
page, printable minutes and lists show only pupils whose consent covers them."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone

from carecoord.access import meetings as meeting_access
from carecoord.access.meetings import consent_gaps
from students.models import Student

from .models import AgendaItem, Agreement, Meeting, MeetingStatus
from .suggestions import suggestions_for


def meeting_for_user(*, user, pk) -> Meeting:
    """The meeting with id `pk` if `user` may open it, else None (the view answers 404)."""
    return Meeting.objects.visible_to(user).select_related("school", "series", "organiser").filter(pk=pk).first()


def my_meetings(*, user, school, past: bool = False):
    """ "Mijn overleggen": for the coordinator every meeting of the school, for others those
    they take part in. Upcoming ones first in time order, or past ones newest first."""
    qs = Meeting.objects.visible_to(user).filter(school=school)
    if not meeting_access.sees_every_meeting(user, school):
        # Exists, not a join: a join on participants would also narrow the counts below.
        through = Meeting.participants.through
        qs = qs.filter(Exists(through.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk)))
    now = timezone.now()
    qs = (
        qs.filter(ends_at__lt=now).order_by("-starts_at") if past else qs.filter(ends_at__gte=now).order_by("starts_at")
    )
    return qs.select_related("series").annotate(
        item_count=Count("items", distinct=True), participant_count=Count("participants", distinct=True)
    )


def my_agreements(*, user, school, everyone: bool = False):
    """ "Mijn afspraken": the user's own agreements (the coordinator: optionally everyone's),
    open first by due date, then the ones done."""
    qs = Agreement.objects.visible_to(user).filter(school=school)
    if not everyone:
        qs = qs.filter(owner=user)
    return qs.select_related("owner", "meeting", "student__school_class").order_by("done_at", "due_on", "pk")


@dataclass
class ItemView:
    item: AgendaItem
    agreements: list
    can_open_file: bool
    lacking: list = field(default_factory=list)  # partner participants without consent
    # Filled in by the view (meetings/agenda_forms.py), once per page for all items.
    file_url: str = ""
    remove_url: str = ""
    history_url: str = ""
    documents_url: str = ""
    lacking_names: str = ""  # `lacking` as one text: "Name (organisation), …"
    minutes_html: str = ""  # the coordinator's minutes form
    agreement_form_html: str = ""  # the coordinator's "add an agreement" form


@dataclass
class MeetingPage:
    meeting: Meeting
    participants: list
    items: list[ItemView]
    general_agreements: list
    carried_over: list  # open agreements from earlier meetings of the series
    suggestions: list
    previous: Meeting | None
    next: Meeting | None


def meeting_page(*, user, meeting, manage: bool, with_suggestions: bool = True) -> MeetingPage:
    """Everything the meeting page (and the printable minutes) shows, in a fixed number of
    queries whatever the number of items, agreements and participants."""
    participants = list(meeting.participants.select_related("organisation").order_by("name"))
    items = list(
        AgendaItem.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("student__school_class")
        .order_by("position", "pk")
    )
    students = [i.student for i in items]
    openable = set(
        Student.objects.visible_to(user).filter(pk__in=[s.pk for s in students]).order_by().values_list("pk", flat=True)
    )
    gaps = consent_gaps(meeting=meeting, students=students, participants=participants) if manage else {}
    # The items' agreements and the general ones in one query (an agreement of an item is
    # made in the item's meeting: services.agreement_create), each to its place here.
    # Only those of the items `user` sees: an agreement names its item's pupil.
    per_item: dict[int, list] = {i.pk: [] for i in items}
    general = []
    for agreement in (
        Agreement.objects.visible_to(user).filter(meeting=meeting).select_related("owner").order_by("due_on", "pk")
    ):
        if agreement.item_id is None:
            general.append(agreement)
        elif agreement.item_id in per_item:
            per_item[agreement.item_id].append(agreement)
    views = [ItemView(i, per_item[i.pk], i.student_id in openable, gaps.get(i.student_id, [])) for i in items]
    carried, previous, following = [], None, None
    if meeting.series_id:
        siblings = Meeting.objects.filter(series_id=meeting.series_id, status=MeetingStatus.PLANNED)
        previous = siblings.filter(starts_at__lt=meeting.starts_at).order_by("-starts_at").first()
        following = siblings.filter(starts_at__gt=meeting.starts_at).order_by("starts_at").first()
        # Carried over: made in an earlier meeting of the series and still open at this one.
        carried = list(
            Agreement.objects.visible_to(user)
            .filter(meeting__series_id=meeting.series_id, meeting__starts_at__lt=meeting.starts_at)
            .filter(Q(done_at__isnull=True) | Q(done_at__gt=meeting.starts_at))
            .select_related("owner", "meeting", "student__school_class")
            .order_by(Lower("student__last_name"), "student_id", "due_on", "pk")
        )
    suggestions = suggestions_for(meeting=meeting, user=user) if manage and with_suggestions else []
    return MeetingPage(meeting, participants, views, general, carried, suggestions, previous, following)


def student_search(*, user, meeting, query: str, limit: int = 10):
    """Pupils of the meeting's school matching `query` that `user` may see (for adding to the agenda)."""
    from students.selectors import search

    if len(query.strip()) < 2:
        return []
    qs = Student.objects.visible_to(user).filter(school=meeting.school).active().select_related("school_class")
    return list(search(qs, query).in_dutch_order()[:limit])
