"""Writes of the plans app, one transaction each (see the modules)."""

from .external import (  # noqa: F401
    external_referral_accept,
    external_referral_decline,
    external_referral_decline_seen,
    external_referral_end,
    external_referral_send,
)
from .plans import (  # noqa: F401
    plan_adopt,
    plan_consent_record,
    plan_discussion_record,
    plan_new_draft,
    plan_parent_agree,
    plan_start,
    plan_update,
)
from .requests import (  # noqa: F401
    request_decide,
    request_decision_seen,
    request_meeting_plan,
    request_message_add,
    request_send,
    request_withdraw,
    requests_flag_overdue,
)
