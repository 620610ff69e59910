"""Who may see or do what: the one access module (AVG art. 9, need to know).

A privacy review reads this package and nothing else:

- `core`      roles per school, the `can(user, action, obj)` registry
- `sections`  the parts of a pupil file (dossier) a rule can open
- `accounts`  schools, users and roles (functional administrator)
- `region`    the installation: schools and partner organisations (applicatiebeheer)
- `imports`   who sees an uploaded LVS file (its uploader)
- `students`  which pupils a user may see, and which parts of their file
- `concerns` (the concerns app), `placements` (the referrals app), `meetings`, `absence`,
  `records` (notes, documents, version history, the file as a PDF, families), `cico`
  (the daily point card), `plans` (the OPP and the requests to the samenwerkingsverband),
  `coaching` (the kansencoach), `handovers`, `portal`, `todo`, `privacy` (retention terms, the inzage export, AVG
  requests) and `outcomes` (figures for leaders and the samenwerkingsverband):
  each adds its own rules through the same registries without editing the others.

Views fetch objects through `Model.objects.visible_to(user)` (outsiders get 404, so
existence does not leak) and then ask `can(...)` for the action (403). The README's
access table lists every rule.
"""

# Rule modules register themselves on import; keep this list explicit and reviewable.
from . import absence as _absence  # noqa: E402, F401
from . import accounts as _accounts  # noqa: E402, F401
from . import cico as _cico  # noqa: E402, F401
from . import coaching as _coaching  # noqa: E402, F401
from . import concerns as _concerns  # noqa: E402, F401
from . import handovers as _handovers  # noqa: E402, F401
from . import imports as _imports  # noqa: E402, F401
from . import meetings as _meetings  # noqa: E402, F401
from . import notifications as _notifications  # noqa: E402, F401
from . import outcomes as _outcomes  # noqa: E402, F401
from . import placements as _placements  # noqa: E402, F401
from . import plans as _plans  # noqa: E402, F401
from . import portal as _portal  # noqa: E402, F401
from . import privacy as _privacy  # noqa: E402, F401
from . import records as _records  # noqa: E402, F401
from . import region as _region  # noqa: E402, F401
from . import students as _students  # noqa: E402, F401
from . import todo as _todo  # noqa: E402, F401
from .concerns import read_log_section  # noqa: E402, F401
from .core import (  # noqa: F401
    PARTNER,
    acts_as_partner,
    can,
    forget,
    has_role,
    home_school,
    people_with_role,
    permission,
    role_permission,
    roles_at,
    school_ids,
    school_ids_with_role,
    school_permission_required,
    school_q,
    schools_of,
)
from .sections import ALL_SECTIONS, Section  # noqa: E402, F401
from .students import directory_q, file_sections, file_student, students_q  # noqa: E402, F401
