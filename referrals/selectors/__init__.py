"""Reads of the referrals app, one module per topic: the timetable, the coach's board, the
lists (waiting list, referrals, placements, facilities, the pupil file) and the figures.
Each selector makes a fixed number of queries, whatever the number of pupils or visits.
Everything public is re-exported here: callers use `referrals.selectors.X`."""

from .board import DONE, EXPECTED, LATE, MISSED, Board, BoardRow, board_present, facility_board
from .figures import facility_figures, group_hours_per_month, group_view, suppress_facility_figures
from .funding import FundingMonth, FundingReport, funding_report
from .lists import facility_overview, placement_list, recent_visits, referral_list, student_placements, waiting_list
from .timetable import Block, day_bounds, expected_blocks, lesson_hours

__all__ = [
    "DONE",
    "EXPECTED",
    "LATE",
    "MISSED",
    "Block",
    "Board",
    "BoardRow",
    "board_present",
    "day_bounds",
    "expected_blocks",
    "facility_board",
    "facility_figures",
    "suppress_facility_figures",
    "facility_overview",
    "funding_report",
    "FundingMonth",
    "FundingReport",
    "group_hours_per_month",
    "group_view",
    "lesson_hours",
    "placement_list",
    "recent_visits",
    "referral_list",
    "student_placements",
    "waiting_list",
]
