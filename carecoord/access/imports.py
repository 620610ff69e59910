"""LVS imports (the imports app): who sees an uploaded batch.

Who may upload and confirm is the kind's own action (`school.import_students`,
`school.import_absence`, `school.import_staff`); this module holds the rules the pipeline
adds: a batch's preview holds rows from outside the app's rules (names, numbers, classes of a
whole school), so only the person who uploaded it sees it, at the school they work in; and a
confirmed job is written only while its confirmer still holds that right.
"""

from django.db.models import Q


def batches_q(user, school) -> Q:
    """The batches `user` may see at `school`: their own uploads there (nothing for an outsider)."""
    if school is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(school=school, uploaded_by=user)


def may_still_apply(user, *, permission: str, school) -> bool:
    """May a confirmed import be written in `user`'s name now? A job runs after the
    confirmation (minutes later, or hours when the worker was down and the sweep picks it
    up): by then its confirmer must still be switched on and hold the kind's own right
    (`permission`, e.g. `school.import_staff`) at the batch's school. Otherwise a leaver's
    queued import would still invite people, or change pupils, in their name. `user` is read
    fresh from the database (no cached roles of an earlier request)."""
    from .core import can

    return bool(user is not None and user.is_active) and can(user, permission, school)
