"""Access rules of the daily point card (Check-In/Check-Out): the cico app, issue 20.

| who | what |
|---|---|
| any staff member of the school | the scoring screen of a pupil with an active card: name, class and the expectations, never the file; scores the lessons of today and earlier days until the day is checked out |
| coach of the facility, zorgcoördinator | sets up the card; checks in and out, writes the day's conclusion, scores and corrects every period (also after check-out), enters a paper card; proposes continue / adjust / fade out / end for the evaluation |
| whoever may see the placement (coordinator, its coach, a partner with consent: carecoord/access/placements.py) | the card's graphs and tables, on the placement and its own page |

A staff member of another school, and a partner, get a 404 on the scoring screen.
"""

from django.db.models import Q

from accounts.models import Role

from .core import has_role, permission, school_ids_with_role
from .placements import is_facility_coach
from .students import NOTHING


def cards_q(user) -> Q:
    """Cards whose scoring screen the user may open: every staff role of the card's school
    (the teacher of any lesson scores), active placements only."""
    ids = school_ids_with_role(user, *Role.values)
    return Q(school_id__in=ids, placement__ended_on__isnull=True) if ids else NOTHING


def _coach_or_coordinator(user, placement) -> bool:
    return has_role(user, placement.school_id, Role.ZORGCOORDINATOR) or is_facility_coach(user, placement.facility)


@permission("card.manage")
def _manage_card(user, placement):
    # The card belongs to the plan; the coach works with it every day, so both set it up.
    return placement.ended_on is None and _coach_or_coordinator(user, placement)


@permission("card.score")
def _score(user, card):
    # Any teacher of the pupil's lessons: staff of the school, while the placement runs.
    return card.placement.ended_on is None and bool(school_ids_with_role(user, *Role.values) & {card.school_id})


@permission("card.correct")
def _correct(user, card):
    # Check in and out, the day's conclusion, a score after check-out, a paper card.
    return _coach_or_coordinator(user, card.placement)


@permission("facility.cico_day")
def _cico_day(user, facility):
    return has_role(user, facility.school_id, Role.ZORGCOORDINATOR) or is_facility_coach(user, facility)


@permission("school.score_cards")
def _score_cards(user, school):
    # The list of pupils with a card (name and class): every staff member of the school.
    return bool(school_ids_with_role(user, *Role.values) & {school.pk})
