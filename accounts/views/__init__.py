"""The pages of accounts: `people` (a school's staff and settings, signing in) and `region`
(applicatiebeheer, invitations, a partner's own professionals)."""

from django.contrib.auth import views as auth_views  # noqa: F401

from .people import (  # noqa: F401
    PasswordResetConfirmView,
    PasswordResetView,
    holiday_remove,
    school_settings,
    school_switch,
    set_language,
    staff_add,
    staff_deactivate,
    staff_edit,
    staff_list,
    staff_two_factor_reset,
    two_factor_setup,
)
from .region import (  # noqa: F401
    invitation_accept,
    invitation_resend,
    invitation_revoke,
    organisation_edit,
    professional_deactivate,
    professionals,
    region_home,
    region_log,
    region_school,
    school_add,
    school_edit,
)
