"""Access rules of the privacy app (issue 15): retention and AVG rights.

| who | what |
|---|---|
| functioneel beheerder | sets the school's retention terms (bewaartermijnen), sees the dry-run report and the counts of what was removed (numbers only, never pupils), starts a dry run |
| zorgcoördinator | makes an inzage export of a pupil of their school (everything kept about them) and downloads it (any zorgcoördinator of the school: a colleague may handle the request); records AVG requests (inzage, correction, removal) and their handling |
| everyone else | none of it (a pupil of another school is a 404, as everywhere) |

The inzage export holds every section, *vertrouwelijk* included: it answers the pupil's or
parents' right of access (AVG art. 15), which the zorgcoördinator handles for the school.
"""

from accounts.models import Role

from .core import role_permission

role_permission("school.manage_retention", Role.BEHEERDER, school_of=lambda school: school.pk)
role_permission("student.inzage_export", Role.ZORGCOORDINATOR, school_of=lambda student: student.school_id)
role_permission("student.rights_requests", Role.ZORGCOORDINATOR, school_of=lambda student: student.school_id)
