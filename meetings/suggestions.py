"""Agenda suggestions: pupils worth discussing, from every app that knows a reason.

An app registers a provider from its AppConfig.ready():

    from meetings.suggestions import Suggestion, register_suggestion_provider

    @register_suggestion_provider
    def open_referrals(school, meeting):
        return [Suggestion(student=r.student, reason=_("Aanmelding open sinds %(date)s") % ..., source="referrals")
                for r in Referral.objects.filter(school=school, status="open").select_related("student")]

A provider gets the school and the meeting being prepared, returns a list of Suggestion,
and makes a fixed number of queries (no query per pupil). A provider may name the pupil by
id only (`Suggestion(None, reason, source, student_id=...)`) and read its reasons with
`values_list`: a region school has a hundred or more suggestions of which the page shows
fifteen, so the pupils are read once, here, not per provider with every row's model, and
only the few fields the page shows (`SuggestedPupil`, no model instance per pupil). The
coordinator sees the suggestions merged per pupil (all reasons together), without pupils
already on the agenda.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from students.models import Consent, ConsentPurpose, Student, full_name

_PROVIDERS: list[Callable] = []


@dataclass(frozen=True)
class Suggestion:
    student: Student | None  # None when the provider gives only `student_id`
    reason: str  # short, for the coordinator's screen (never e-mailed)
    source: str = ""  # which provider, e.g. "agreements", "referrals"
    student_id: int | None = None

    def __post_init__(self):
        if self.student_id is None:
            object.__setattr__(self, "student_id", self.student.pk)


@dataclass(frozen=True)
class SuggestedPupil:
    """What the suggestions show of a pupil (and what the read log needs): read with
    `values_list`, as a hundred model instances were most of the suggestions' cost."""

    pk: int
    school_id: int
    first_name: str
    tussenvoegsel: str
    last_name: str
    school_class: str  # the class's name, "" without a class

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.tussenvoegsel, self.last_name)


@dataclass
class MergedSuggestion:
    student: SuggestedPupil | None
    reasons: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def form_reason(self) -> str:
        """The reason as the "add to the agenda" form posts it (AgendaItem.reason holds 300)."""
        reason = self.reason
        # Truncator counts characters one by one; a shorter text it returns unchanged anyway.
        return reason if len(reason) <= 300 else Truncator(reason).chars(300)


def register_suggestion_provider(fn: Callable) -> Callable:
    """Register `fn(school, meeting) -> list[Suggestion]` (once per function)."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def suggestions_for(*, meeting, user) -> list[MergedSuggestion]:
    """Suggestions for `meeting`, merged per pupil, without pupils already on its agenda
    and limited to pupils of the meeting's school that `user` may see. One query per
    provider plus two (the second loads the suggested pupils that `user` may see)."""
    on_agenda = set(meeting.items.values_list("student_id", flat=True))
    merged: dict[int, MergedSuggestion] = {}
    for provider in _PROVIDERS:
        for suggestion in provider(meeting.school, meeting):
            student_id = suggestion.student_id
            if student_id in on_agenda:
                continue
            entry = merged.get(student_id)
            if entry is None:
                entry = merged[student_id] = MergedSuggestion(None)
            if suggestion.reason not in entry.reasons:
                entry.reasons.append(suggestion.reason)
            if suggestion.source and suggestion.source not in entry.sources:
                entry.sources.append(suggestion.source)
    if not merged:
        return []
    pupils = (
        Student.objects.visible_to(user)
        .filter(pk__in=merged, school_id=meeting.school_id)
        .order_by()
        .values_list("pk", "school_id", "first_name", "tussenvoegsel", "last_name", "school_class__name")
    )
    result = []
    for pk, school_id, first_name, tussenvoegsel, last_name, class_name in pupils:
        entry = merged[pk]
        entry.student = SuggestedPupil(pk, school_id, first_name, tussenvoegsel, last_name, class_name or "")
        result.append(entry)
    return sorted(result, key=lambda e: (e.student.last_name.lower(), e.student.first_name.lower(), e.student.pk))


def _shown(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- The providers of this app ------------------------------------------------------------


@register_suggestion_provider
def agreements_due(school, meeting):
    """Pupils with an open agreement that is overdue or due before the meeting (plus a week)."""
    from .models import Agreement

    meeting_day = timezone.localdate(meeting.starts_at)
    today = timezone.localdate()
    agreements = (
        Agreement.objects.open()
        .filter(school=school, student__isnull=False, due_on__lte=meeting_day + timedelta(days=7))
        .exclude(meeting=meeting)
        .order_by("due_on", "pk")
        .values_list("student_id", "due_on")
    )
    suggestions = []
    for student_id, due_on in agreements:
        if due_on < today:
            reason = _("Afspraak verlopen sinds %(date)s") % {"date": _shown(due_on)}
        else:
            reason = _("Afspraak uiterlijk %(date)s") % {"date": _shown(due_on)}
        suggestions.append(Suggestion(None, reason, "agreements", student_id))
    return suggestions


@register_suggestion_provider
def ot_consent_not_discussed(school, meeting):
    """For an ondersteuningsteam meeting: pupils whose parents (or who themselves) agreed to
    a discussion in the OT, not yet on an OT agenda since that consent."""
    from .models import AgendaItem, MeetingKind

    if meeting.kind != MeetingKind.OT:
        return []
    consents = (
        Consent.objects.active(timezone.localdate())
        .filter(student__school=school, purpose=ConsentPurpose.OT_BESPREKING, student__left_on__isnull=True)
        .annotate(
            discussed=Exists(
                AgendaItem.objects.filter(
                    student_id=OuterRef("student_id"),
                    meeting__kind=MeetingKind.OT,
                    meeting__status="planned",
                    meeting__starts_at__date__gte=OuterRef("given_on"),
                )
            )
        )
        .filter(discussed=False)
        .order_by("given_on", "pk")
        .values_list("student_id", "given_on")
    )
    return [
        Suggestion(
            None,
            _("Toestemming voor bespreking in het OT sinds %(date)s, nog niet besproken") % {"date": _shown(given_on)},
            "consent",
            student_id,
        )
        for student_id, given_on in consents
    ]
