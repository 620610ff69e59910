"""LVS imports (the imports app): who sees an uploaded batch.

Who may upload and confirm is the kind's own action (`school.import_students`,
`school.import_absence`, `school.import_staff`); this module holds the one rule the pipeline
adds: a batch's preview holds rows from outside the app's rules (names, numbers, classes of a
whole school), so only the person who uploaded it sees it, at the school they work in.
"""

from django.db.models import Q


def batches_q(user, school) -> Q:
    """The batches `user` may see at `school`: their own uploads there (nothing for an outsider)."""
    if school is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(school=school, uploaded_by=user)
