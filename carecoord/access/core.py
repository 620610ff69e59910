"""Roles per school and the action registry behind `can(user, action, obj)`.

Reads the user's memberships once per request (cached on the user object, which lives
for one request) and never caches anything about pupils: consent can change between two
requests and must count at once.
"""

from collections.abc import Callable, Iterable

from django.db.models import Q

from accounts.models import PRIMARY_TYPES, Membership, Role

# Partners have no Membership; they act at the schools their organisation works with.
PARTNER = "partner"

# The intern begeleider (IB'er) is the zorgcoördinator of a primary or special school (seed
# 004: the IB'er sits in the 1-2-3-4-overleg and owns the care files). Every rule that names
# the zorgcoördinator holds for the IB'er at a PO/SO school; at a VO/VSO school the role
# opens nothing (it cannot be given there either: accounts.services).
COUNTS_AS = {Role.INTERN_BEGELEIDER: Role.ZORGCOORDINATOR}


def with_roles_counting_as(roles) -> set[str]:
    """`roles` plus the roles that count as one of them (the IB'er for the zorgcoördinator)."""
    roles = set(roles)
    roles |= {own for own, counted in COUNTS_AS.items() if counted in roles}
    return roles


def role_counts_at(role: str, school) -> bool:
    """Does `role` open anything at `school`? The IB'er only at a PO/SO school."""
    return role != Role.INTERN_BEGELEIDER or school.school_type in PRIMARY_TYPES


def _memberships(user) -> list[tuple[int, str]]:
    """(school id, role) pairs of the user's staff roles; the schools are kept too. A role
    that counts for nothing at its school (an IB'er at a VO school) is left out."""
    cached = getattr(user, "_access_memberships", None)
    if cached is None:
        remember_memberships(user, list(memberships_with_schools(user.pk)))
        cached = user._access_memberships
    return cached


def memberships_with_schools(user_id):
    """The rows `_memberships` reads: a user's roles with their schools, in the order given."""
    return Membership.objects.filter(user_id=user_id).select_related("school").order_by("pk")


def remember_memberships(user, rows) -> None:
    """Keep `rows` (from `memberships_with_schools`, perhaps read together with the user at
    sign-in of a request: accounts.backends) as the user's roles for this request."""
    # Applicatiebeheer holds no role at a school (accounts.may_hold_school_roles); a row
    # that says otherwise (made outside the services) opens nothing.
    if getattr(user, "is_application_admin", False):
        rows = []
    user._access_memberships = [(m.school_id, m.role) for m in rows if role_counts_at(m.role, m.school)]
    user._access_staff_schools = {m.school_id: m.school for m in rows}


def remember_roles_of(users) -> None:
    """Read the roles of many people at once, for a list that asks a rule about each of them
    (the senders of a page of invitations): one query for their school roles and, when some
    are partners, one for their organisations' schools, whatever their number. After it,
    `roles_at` asks nothing more for any of `users` (objects of one person may repeat)."""
    from collections import defaultdict

    from accounts.models import Organisation

    users = [user for user in users if user is not None]
    # Someone already read in this request (the signed-in person) keeps what was read.
    unread = [user for user in users if getattr(user, "_access_memberships", None) is None]
    if unread:
        rows = defaultdict(list)
        ids = {user.pk for user in unread}
        for membership in Membership.objects.filter(user_id__in=ids).select_related("school").order_by("pk"):
            rows[membership.user_id].append(membership)
        for user in unread:
            remember_memberships(user, rows[user.pk])
    partners = [user for user in users if user.organisation_id and not hasattr(user, "_access_partner_schools")]
    if partners:
        schools = defaultdict(dict)
        links = Organisation.schools.through.objects.filter(organisation_id__in={u.organisation_id for u in partners})
        for link in links.select_related("school"):
            schools[link.organisation_id][link.school_id] = link.school
        for user in partners:
            user._access_partner_schools = dict(schools[user.organisation_id])


def _partner_schools(user) -> dict:
    cached = getattr(user, "_access_partner_schools", None)
    if cached is None:
        from accounts.models import School

        cached = {}
        if user.organisation_id:
            cached = {s.pk: s for s in School.objects.filter(partner_organisations=user.organisation_id)}
        user._access_partner_schools = cached
    return cached


def _partner_school_ids(user) -> frozenset[int]:
    return frozenset(_partner_schools(user))


def home_school(user):
    """The school a user starts in: that of their first role, else their organisation's first."""
    if not _active(user):
        return None
    _memberships(user)
    if user._access_staff_schools:
        return next(iter(user._access_staff_schools.values()))
    partner_schools = sorted(_partner_schools(user).values(), key=lambda s: s.name.lower())
    return partner_schools[0] if partner_schools else None


def schools_of(user) -> list:
    """The schools where the user has any role, by name (no query after the first call)."""
    if not _active(user):
        return []
    _memberships(user)
    schools = {**user._access_staff_schools, **_partner_schools(user)}
    return sorted(schools.values(), key=lambda s: s.name.lower())


def forget(user) -> None:
    """Drop the per-request cache (after a membership change within one request)."""
    for attr in ("_access_memberships", "_access_staff_schools", "_access_partner_schools", "_access_writes_in_file"):
        if hasattr(user, attr):
            delattr(user, attr)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def roles_at(user, school) -> frozenset[str]:
    """The roles `user` holds at `school` (a School or its id); PARTNER for partners."""
    if not _active(user) or school is None:
        return frozenset()
    school_id = getattr(school, "pk", school)
    roles = {role for sid, role in _memberships(user) if sid == school_id}
    if school_id in _partner_school_ids(user):
        roles.add(PARTNER)
    return frozenset(roles)


def has_role(user, school, *roles: str) -> bool:
    return bool(roles_at(user, school) & with_roles_counting_as(roles))


def acts_as_partner(user, school) -> bool:
    """Does `user` work at `school` as a partner professional (through their organisation)?"""
    return PARTNER in roles_at(user, school)


def people_with_role(school, *roles: str):
    """The active people holding one of `roles` at `school` (a School or its id), by id."""
    from accounts.models import User

    school_id = getattr(school, "pk", school)
    roles = with_roles_counting_as(roles)
    counting = Q(memberships__role__in=roles - {Role.INTERN_BEGELEIDER})
    if Role.INTERN_BEGELEIDER in roles:
        counting |= Q(
            memberships__role=Role.INTERN_BEGELEIDER, memberships__school__school_type__in=list(PRIMARY_TYPES)
        )
    return User.objects.filter(counting, memberships__school_id=school_id, is_active=True).distinct().order_by("pk")


def school_ids(user) -> frozenset[int]:
    """Every school where the user has any role (staff or partner)."""
    if not _active(user):
        return frozenset()
    return frozenset(sid for sid, _ in _memberships(user)) | _partner_school_ids(user)


def school_ids_with_role(user, *roles: str) -> frozenset[int]:
    if not _active(user):
        return frozenset()
    expanded = with_roles_counting_as(roles)
    ids = {sid for sid, role in _memberships(user) if role in expanded}
    if PARTNER in roles:
        ids |= _partner_school_ids(user)
    return frozenset(ids)


def school_q(user, *roles: str, field: str = "school") -> Q:
    """Q for rows whose `field` is a school where the user holds one of `roles`
    (any role when none are given). Matches nothing for an outsider."""
    ids = school_ids_with_role(user, *roles) if roles else school_ids(user)
    return Q(**{f"{field}__in": ids}) if ids else Q(pk__in=[])


# --- Actions -----------------------------------------------------------------------------

_PERMISSIONS: dict[str, Callable[[object, object], bool]] = {}


def permission(action: str):
    """Register the predicate that decides `action`. One predicate per action."""

    def register(predicate):
        if action in _PERMISSIONS:
            raise RuntimeError(f"Permission {action!r} is registered twice")
        _PERMISSIONS[action] = predicate
        return predicate

    return register


def can(user, action: str, obj=None) -> bool:
    """May `user` do `action` on `obj`? Unknown actions are a programming error."""
    predicate = _PERMISSIONS[action]
    if not _active(user):
        return False
    return bool(predicate(user, obj))


def actions() -> Iterable[str]:
    return sorted(_PERMISSIONS)


def role_permission(action: str, *roles: str, school_of=lambda obj: obj.school_id):
    """Register `action` as: the user holds one of `roles` at the object's school."""

    def predicate(user, obj):
        return has_role(user, school_of(obj), *roles)

    predicate.__name__ = f"role_permission_{action.replace('.', '_')}"
    permission(action)(predicate)
    return predicate


def school_permission_required(action: str):
    """View decorator: the user may do `action` at the school they work in (403 if not).

    For views on a school's lists and settings; views on one object fetch it through
    `visible_to` and ask `can(...)` themselves.
    """
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.school is None or not can(request.user, action, request.school):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
