"""The care that follows a concern: referrals (aanmeldingen) to in-school facilities,
placements with a plan, and the visits a coach checks in and out. One module per topic;
everything is re-exported here, so callers import from `referrals.models`.

Every model holding pupil data has a `visible_to(user)` QuerySet method that asks the
access module (carecoord/access/); views start from it.
"""

from .coaching import (
    CoachingConversation,
    CoachingNomination,
    ConversationKind,
    NominationState,
)
from .facilities import DEFAULT_CAPACITY, Facility, FacilityKind, LessonHour
from .funding import ContactKind, Funder, GroupContact, GroupFunding
from .placements import (
    EVALUATION_WEEKS,
    WEEKDAYS,
    EvaluationDecision,
    GoalProgress,
    Outcome,
    Placement,
    PlacementEvaluation,
    PlacementGoal,
    PlacementGoalResult,
    PlacementKind,
    PlacementSlot,
)
from .referrals import (
    DECISION_STATES,
    OPEN_STATES,
    TRANSITIONS,
    IntakeParticipant,
    Referral,
    ReferralState,
    ReferralTransition,
)
from .visits import Visit, VisitReason

__all__ = [
    "DECISION_STATES",
    "DEFAULT_CAPACITY",
    "EVALUATION_WEEKS",
    "OPEN_STATES",
    "TRANSITIONS",
    "WEEKDAYS",
    "CoachingConversation",
    "CoachingNomination",
    "ContactKind",
    "ConversationKind",
    "EvaluationDecision",
    "Facility",
    "FacilityKind",
    "Funder",
    "GroupContact",
    "GroupFunding",
    "GoalProgress",
    "IntakeParticipant",
    "LessonHour",
    "NominationState",
    "Outcome",
    "Placement",
    "PlacementEvaluation",
    "PlacementGoal",
    "PlacementGoalResult",
    "PlacementKind",
    "PlacementSlot",
    "Referral",
    "ReferralState",
    "ReferralTransition",
    "Visit",
    "VisitReason",
]
