"""`{% opp_parents version %}`: the parents' side of one OPP version on the school's version
page: whether it is shared with the parents (the zorgcoördinator switches it there) and
what the parents or the pupil wrote on it ("onze kijk"). The plans app shows it through
this tag and never imports the portal. The page that includes it fetched the version
through its own rule (`plan.read`) and logged the read; three queries."""

from django import template
from django.contrib.contenttypes.models import ContentType

from carecoord import access

from .. import selectors
from ..models import Share

register = template.Library()


@register.inclusion_tag("portal/_opp_parents.html", takes_context=True)
def opp_parents(context, version, student):
    request = context["request"]
    shared = Share.objects.filter(
        content_type=ContentType.objects.get_for_model(version), object_id=version.pk
    ).exists()
    return {
        "version": version,
        "student": student,
        "shared": shared,
        "can_share": access.can(request.user, "student.share_with_participants", student),
        "views": list(selectors.opp_views_for_staff(version)),
        "here": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
