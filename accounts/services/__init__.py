"""Writes for schools, users and roles: one module per topic, re-exported here.

- `people`       roles at a school, school settings and days off, second-factor resets
- `invitations`  inviting staff and partner professionals, resend, revoke, accept
- `region`       applicatiebeheer: schools, partner organisations; deactivating a leaver (staff, partner)
"""

from .invitations import (  # noqa: F401
    INVITATION_DAYS,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from .people import (  # noqa: F401
    HOLIDAY_FIELDS,
    holiday_add,
    holiday_remove,
    mfa_reset,
    password_set_link,
    school_switch,
    school_update,
    staff_add,
    staff_roles_set,
)
from .region import (  # noqa: F401
    organisation_contact_invite,
    organisation_save,
    professional_deactivate,
    school_create,
    school_edit,
    staff_deactivate,
)
