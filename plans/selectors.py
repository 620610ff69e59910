"""Reads of the plans app: the OPP page, the coordinator's tasks, the request lists, and
everything kept about one pupil (for the AVG inzage export)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import (
    EVALUATION_INTERVAL,
    EVALUATION_NOTICE,
    OPEN_REQUEST_STATES,
    PLAN_DEADLINE,
    ExternalReferral,
    ExternalState,
    Plan,
    PlanVersion,
    RequestMessage,
    RequestState,
    SupportRequest,
    VersionState,
)


@dataclass
class PlanState:
    plan: Plan | None
    draft: PlanVersion | None
    adopted: list
    deadline_passed: bool
    evaluation_due_on: object


def no_plan() -> PlanState:
    """The state of a pupil without an OPP."""
    return PlanState(None, None, [], False, None)


def plan_state(*, student, today=None) -> PlanState:
    """The pupil's OPP with its draft and adopted versions (two queries)."""
    today = today or timezone.localdate()
    plan = Plan.objects.filter(student=student).select_related("created_by").first()
    if plan is None:
        return no_plan()
    versions = list(plan.versions.select_related("adopted_by", "consent_by_guardian").order_by("-number"))
    draft = next((v for v in versions if v.state == VersionState.DRAFT), None)
    adopted = [v for v in versions if v.state == VersionState.ADOPTED]
    due = timezone.localtime(adopted[0].adopted_at).date() + EVALUATION_INTERVAL if adopted else None
    return PlanState(plan, draft, adopted, not adopted and today > plan.deadline, due)


def _overdue_started_by(today):
    """An OPP without an adopted version is a task once support started on or before this
    day: its six weeks (PLAN_DEADLINE) have passed or pass within a week."""
    return today - PLAN_DEADLINE + timedelta(days=7)


def _evaluation_adopted_by():
    """An OPP is due its yearly evaluation once its last adoption was at or before this
    moment: a year ago (EVALUATION_INTERVAL) or within a month (EVALUATION_NOTICE) of it."""
    return timezone.now() - EVALUATION_INTERVAL + EVALUATION_NOTICE


# The SWV requests and referrals that are the coordinator's tasks, one kind each. A decided
# question is both a decision to open and a question to answer (two tasks on the plans page).
DECISION_UNSEEN = Q(decided_at__isnull=False, decision_seen_at__isnull=True)
QUESTION = Q(state=RequestState.QUESTION)
FLAGGED = Q(state__in=OPEN_REQUEST_STATES, flagged_at__isnull=False)  # open six weeks
DECLINE_UNSEEN = Q(state=ExternalState.DECLINED, decline_seen_at__isnull=True)


def plans_overdue(*, school, today=None):
    """OPPs without an adopted version whose six weeks have passed, or pass within a week."""
    today = today or timezone.localdate()
    return (
        Plan.objects.filter(school=school, student__left_on__isnull=True)
        .exclude(versions__state=VersionState.ADOPTED)
        .filter(support_started_on__lte=_overdue_started_by(today))
        .select_related("student", "student__school_class")
        .order_by("support_started_on", "pk")
    )


def plans_evaluation_due(*, school):
    """The yearly evaluation task: OPPs whose last adoption is a year ago or will be within
    a month (a new period adopted in time makes it go away)."""
    limit = _evaluation_adopted_by()
    return (
        Plan.objects.filter(school=school, student__left_on__isnull=True)
        .annotate(last_adopted=Max("versions__adopted_at", filter=Q(versions__state=VersionState.ADOPTED)))
        .filter(last_adopted__isnull=False, last_adopted__lte=limit)
        .select_related("student", "student__school_class")
        .order_by("last_adopted", "pk")
    )


@dataclass
class Tasks:
    overdue: list
    evaluation: list
    decided: list
    questions: list
    flagged: list
    declined: list

    @property
    def count(self):
        lists = (self.overdue, self.evaluation, self.decided, self.questions, self.flagged, self.declined)
        return sum(len(x) for x in lists)

    def students(self):
        found = [p.student for p in (*self.overdue, *self.evaluation)]
        found += [r.student for r in (*self.decided, *self.questions, *self.flagged, *self.declined)]
        return found


def coordinator_tasks(*, school, today=None) -> Tasks:
    """What the coordinator must do about OPPs, SWV requests and referrals (six queries):
    OPPs past or near their six weeks, yearly evaluations, decisions received and not yet
    opened, the SWV's open questions, requests open longer than six weeks, referrals a
    partner declined. "Mijn taken" reads the same
    tasks as plain values (`coordinator_task_rows`)."""
    requests = SupportRequest.objects.filter(school=school).select_related(
        "student", "student__school_class", "organisation"
    )
    return Tasks(
        overdue=list(plans_overdue(school=school, today=today)),
        evaluation=list(plans_evaluation_due(school=school)),
        decided=list(requests.filter(DECISION_UNSEEN).order_by("decided_at", "pk")),
        questions=list(requests.filter(QUESTION).order_by("sent_at", "pk")),
        flagged=list(requests.filter(FLAGGED).order_by("sent_at", "pk")),
        declined=list(
            ExternalReferral.objects.filter(DECLINE_UNSEEN, school=school).select_related(
                "student", "student__school_class", "organisation"
            )
        ),
    )


@dataclass
class TaskRows:
    """`coordinator_tasks` as plain values for "Mijn taken" (plans/tasklist.py), which shows
    a title, a date and the pupil's id per row: no model instances, no joined pupils."""

    overdue: list  # (plan pk, student id, support_started_on)
    evaluation: list  # (plan pk, student id, last_adopted)
    requests: list  # (request pk, student id, state, sent_at, decision waiting to be opened)
    declined: list  # (referral pk, student id)


def _plan_tasks(*, school, today):
    """The OPPs the coordinator must act on, one grouped query (no ordering): past or near
    their six weeks, or due their yearly evaluation, each annotated with its number of
    adopted versions (`adopted`, 0 for the first kind) and its last adoption. The rows of
    "Mijn taken" and the home card's count both read this one query, so the two cannot
    disagree about which OPP is a task."""
    adopted = Q(versions__state=VersionState.ADOPTED)
    return (
        Plan.objects.filter(school=school, student__left_on__isnull=True)
        .annotate(adopted=Count("versions", filter=adopted), last_adopted=Max("versions__adopted_at", filter=adopted))
        .filter(
            # plans_overdue: no adopted version, six weeks passed or passing within a week.
            Q(adopted=0, support_started_on__lte=_overdue_started_by(today))
            # plans_evaluation_due: last adoption a year ago or within a month of it. (No
            # adoption: MAX is NULL and NULL <= … is not true, as the IS NOT NULL there says;
            # each mention of an aggregate in HAVING costs Python to compile.)
            | Q(last_adopted__lte=_evaluation_adopted_by())
        )
        .order_by()
    )


def coordinator_task_rows(*, school, today=None) -> TaskRows:
    """The same tasks as `coordinator_tasks` in three queries of plain values: the OPPs (past
    or near their six weeks, or due their yearly evaluation) in one grouped query, the SWV
    requests of any of the three kinds in one, the declined referrals in one. `requests`
    rows carry whether the decision waits to be opened and whether the request is flagged,
    so the caller sorts them into kinds as `coordinator_tasks` does."""
    today = today or timezone.localdate()
    plans = _plan_tasks(school=school, today=today).values_list(
        "pk", "student_id", "support_started_on", "adopted", "last_adopted"
    )
    overdue, evaluation = [], []
    for pk, student_id, started_on, adopted_count, last_adopted in plans:
        if adopted_count:
            evaluation.append((pk, student_id, last_adopted))
        else:
            overdue.append((pk, student_id, started_on))
    requests = (
        SupportRequest.objects.filter(DECISION_UNSEEN | QUESTION | FLAGGED, school=school)
        .order_by()
        .values_list("pk", "student_id", "state", "sent_at", "decided_at", "decision_seen_at")
    )
    declined = ExternalReferral.objects.filter(DECLINE_UNSEEN, school=school).order_by().values_list("pk", "student_id")
    return TaskRows(
        overdue=overdue,
        evaluation=evaluation,
        requests=[
            (pk, student_id, state, sent_at, decided_at is not None and seen_at is None)
            for pk, student_id, state, sent_at, decided_at, seen_at in requests
        ],
        declined=list(declined),
    )


def coordinator_task_count(*, school, today=None) -> int:
    """`coordinator_tasks(...).count` without loading the rows, for the home card: three
    counting queries instead of six queries of whole rows with their pupils. The OPPs are
    counted on `coordinator_task_rows`' grouped query (one query for both kinds, which
    exclude each other: no adopted version, or one adopted a year ago) rather than on
    `plans_overdue` and `plans_evaluation_due` (two queries, one with a NOT EXISTS): the
    home page is opened often and each query costs more Python to build than SQL to run."""
    today = today or timezone.localdate()
    requests = SupportRequest.objects.filter(school=school).aggregate(
        decided=Count("pk", filter=DECISION_UNSEEN),
        questions=Count("pk", filter=QUESTION),
        flagged=Count("pk", filter=FLAGGED),
    )
    declined = ExternalReferral.objects.filter(DECLINE_UNSEEN, school=school).count()
    return _plan_tasks(school=school, today=today).count() + sum(requests.values()) + declined


def requests_for(*, user, school=None):
    """The requests the user may open: the coordinator's of `school`, an SWV user's (all
    schools their organisation works with, only those with active consent)."""
    qs = SupportRequest.objects.visible_to(user).select_related(
        "school", "student", "student__school_class", "organisation"
    )
    if school is not None:
        qs = qs.filter(school=school)
    return qs.order_by("-sent_at", "-pk")


def everything_about(*, student) -> dict:
    """Everything this app keeps about one pupil, current and historical, for the AVG
    inzage export (issue 15) and retention: querysets, no access check (the caller has one)."""
    plans = Plan.objects.filter(student=student)
    versions = PlanVersion.objects.filter(plan__student=student)
    requests = SupportRequest.objects.filter(student=student)
    messages = RequestMessage.objects.filter(request__student=student)
    return {
        "plans": plans,
        "plan_versions": versions,
        "plan_versions_history": PlanVersion.history.filter(plan__student=student),
        "support_requests": requests,
        "support_requests_history": SupportRequest.history.filter(student=student),
        "request_messages": messages,
        "external_referrals": ExternalReferral.objects.filter(student=student),
        "external_referrals_history": ExternalReferral.history.filter(student=student),
    }


def external_referrals_for(*, user, school=None):
    qs = ExternalReferral.objects.visible_to(user).select_related(
        "school", "student", "student__school_class", "organisation"
    )
    if school is not None:
        qs = qs.filter(school=school)
    return qs.order_by("-sent_at", "-pk")
