"""Access rules of the outcome figures: the outcomes app, issue 21.

| who | what |
|---|---|
| schoolleider, zorgcoördinator | the school's dashboard and school-year funnel: figures only, never a name, small numbers shown as "< 5"; the XLSX of the same figures; the school's row against the region's median |
| zorgcoördinator | a pupil's before / during / after on the placement (absence per school week, concerns, point card): the pupil's own figures, read-logged |
| user of a samenwerkingsverband (partner organisation of kind SWV) | the region view over the schools their organisation works with: per school and in total, no names, small numbers suppressed. Nothing of one pupil |
| zorgcoördinator only | the zorgroute's figures page with its small numbers; for the school leader the same page suppressed |
| others (mentor, coach, beheerder, aandachtsfunctionaris, verzuimcoördinator, other partners) | none |

Figures for the leader and the SWV go through carecoord/suppression.py; the pupil's own
figures are care data and follow the placement's rule (the coordinator).
"""

from accounts.models import OrganisationKind, Role

from .core import has_role, permission, role_permission

_school_pk = lambda school: school.pk  # noqa: E731

# The dashboard and the funnel hold no names: the school leader sees where the school stands.
role_permission("school.view_outcomes", Role.SCHOOLLEIDER, Role.ZORGCOORDINATOR, school_of=_school_pk)
role_permission("placement.view_outcome", Role.ZORGCOORDINATOR)
# Figures with their small numbers: only who sees every concern and file of the school
# anyway. The school leader sees the same pages with counts under 5 as "< 5".
role_permission("school.view_unsuppressed_figures", Role.ZORGCOORDINATOR, school_of=_school_pk)


def is_swv_user(user) -> bool:
    organisation = getattr(user, "organisation", None) if getattr(user, "organisation_id", None) else None
    return organisation is not None and organisation.kind == OrganisationKind.SWV


@permission("organisation.view_region_outcomes")
def _view_region(user, organisation):
    # The SWV's own professionals, for their own organisation: the figures of the schools
    # it works with. Another SWV, a jeugdteam or a school's staff see nothing.
    # (obj: the user's own organisation, None for a user without one.)
    return organisation is not None and is_swv_user(user) and user.organisation_id == organisation.pk


def region_of(school):
    """The samenwerkingsverband a school belongs to (the first by name), or None."""
    from accounts.models import Organisation

    return Organisation.objects.filter(schools=school, kind=OrganisationKind.SWV).order_by("name").first()


@permission("school.compare_with_region")
def _compare_with_region(user, school):
    # The school's own row against the region's median: who sees the dashboard, at a
    # school that belongs to a samenwerkingsverband. Only the median, never another
    # school's row.
    return has_role(user, school.pk, Role.SCHOOLLEIDER, Role.ZORGCOORDINATOR) and region_of(school) is not None


def region_schools(organisation):
    """The schools whose figures the SWV view shows: those the organisation works with."""
    return list(organisation.schools.order_by("name"))
