"""Writes of the referrals app, one module per topic: facilities and the timetable,
the kansencoach (coaching), referrals (aanmeldingen), placements, visits. Each service owns its transaction, checks
the rules itself (not only the form) and writes the pupil's timeline event in that
transaction. Everything public is re-exported here: callers use `referrals.services.X`."""

from .coaching import (
    MAX_CONVERSATION_MINUTES,
    coaching_conversation_add,
    coaching_end,
    coaching_nominate,
    coaching_start,
    nomination_consent_ok,
    nomination_withdraw,
)
from .common import DEFAULT_DAY_END, DEFAULT_LESSON_HOURS, SUPPORT_AFTER_OUTCOME
from .facilities import facility_save, lesson_hours_save
from .funding import funding_save, group_contact_log
from .noshows import no_show_mark, no_shows_record
from .placements import (
    placement_consent_ok,
    placement_end,
    placement_evaluate,
    placement_goal_add,
    placement_update_plan,
)
from .referrals import (
    referral_create,
    referral_decline,
    referral_place,
    referral_plan_intake,
    referral_record_intake,
    referral_send_elsewhere,
    referral_waitlist,
    referral_withdraw,
)
from .visits import (
    school_day_end,
    visit_check_in,
    visit_check_out,
    visit_correct,
    visit_set_note,
    visits_close_open,
    visits_end_of_day,
    visits_summarise_day,
)

__all__ = [
    "MAX_CONVERSATION_MINUTES",
    "coaching_conversation_add",
    "coaching_end",
    "coaching_nominate",
    "coaching_start",
    "nomination_consent_ok",
    "nomination_withdraw",
    "no_show_mark",
    "no_shows_record",
    "DEFAULT_DAY_END",
    "DEFAULT_LESSON_HOURS",
    "SUPPORT_AFTER_OUTCOME",
    "facility_save",
    "funding_save",
    "group_contact_log",
    "lesson_hours_save",
    "placement_consent_ok",
    "placement_end",
    "placement_evaluate",
    "placement_goal_add",
    "placement_update_plan",
    "referral_create",
    "referral_decline",
    "referral_place",
    "referral_plan_intake",
    "referral_record_intake",
    "referral_send_elsewhere",
    "referral_waitlist",
    "referral_withdraw",
    "school_day_end",
    "visit_check_in",
    "visit_check_out",
    "visit_correct",
    "visit_set_note",
    "visits_close_open",
    "visits_end_of_day",
    "visits_summarise_day",
]
