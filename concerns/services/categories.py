"""The school's zorgroute: its categories, and where a category routes a new concern."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Role

from ..models import HANDLER_ROLES, MELDCODE_ROLES, ConcernCategory, HandlerKind
from .common import _has_staff_role


def category_save(*, school, actor, instance: ConcernCategory | None = None, **fields) -> ConcernCategory:
    """Create or change a category of the school's zorgroute. The handler must fit the
    kind chosen; a Meldcode category goes to the coordinator or the aandachtsfunctionaris."""
    category = instance or ConcernCategory(school=school)
    for name, value in fields.items():
        setattr(category, name, value)
    kind = category.handler_kind
    if kind != HandlerKind.ROLE:
        category.handler_role = ""
    if kind != HandlerKind.PERSON:
        category.handler_user = None
    if kind != HandlerKind.ORGANISATION:
        category.handler_organisation = None
    if kind == HandlerKind.ROLE and category.handler_role not in HANDLER_ROLES:
        raise ValidationError({"handler_role": _("Kies de rol die deze meldingen behandelt.")})
    if kind == HandlerKind.PERSON:
        if category.handler_user is None:
            raise ValidationError({"handler_user": _("Kies de persoon die deze meldingen behandelt.")})
        if not _has_staff_role(category.handler_user, school.pk):
            raise ValidationError({"handler_user": _("Deze persoon heeft geen rol op deze school.")})
    if kind == HandlerKind.ORGANISATION:
        organisation = category.handler_organisation
        if organisation is None:
            raise ValidationError({"handler_organisation": _("Kies de partnerorganisatie.")})
        if not organisation.schools.filter(pk=school.pk).exists():
            raise ValidationError({"handler_organisation": _("Deze partner werkt niet met deze school.")})
    if category.follows_meldcode:
        # Meldcode: only the coordinator and the aandachtsfunctionaris may see the case.
        if kind == HandlerKind.ORGANISATION:
            raise ValidationError(
                {"handler_kind": _("Een Meldcode-categorie gaat naar de aandachtsfunctionaris, niet naar een partner.")}
            )
        if kind == HandlerKind.ROLE and category.handler_role not in MELDCODE_ROLES:
            raise ValidationError(
                {"handler_role": _("Kies voor de Meldcode de aandachtsfunctionaris of de zorgcoördinator.")}
            )
        if kind == HandlerKind.PERSON and not _has_staff_role(category.handler_user, school.pk, *MELDCODE_ROLES):
            raise ValidationError(
                {"handler_user": _("Voor de Meldcode: kies de aandachtsfunctionaris of een zorgcoördinator.")}
            )
    clash = ConcernCategory.objects.filter(school=school, name__iexact=category.name.strip()).exclude(pk=category.pk)
    if clash.exists():
        raise ValidationError({"name": _("Deze zorgroute heeft al een categorie met deze naam.")})
    category.name = category.name.strip()
    category.full_clean()
    category.save()
    return category


def concern_route(category: ConcernCategory) -> dict:
    """The handler a new concern of `category` gets: the category's role, person or
    partner. When the person no longer works at the school, the coordinators take it;
    a Meldcode case never goes to anyone but the coordinator or the aandachtsfunctionaris."""
    route = {"handler_role": "", "handler": None, "handler_organisation": None}
    kind = category.handler_kind
    if kind == HandlerKind.PERSON and category.handler_user_id:
        roles = MELDCODE_ROLES if category.follows_meldcode else ()
        if _has_staff_role(category.handler_user, category.school_id, *roles):
            return {**route, "handler": category.handler_user}
    elif kind == HandlerKind.ORGANISATION and category.handler_organisation_id and not category.follows_meldcode:
        return {**route, "handler_organisation": category.handler_organisation}
    elif kind == HandlerKind.ROLE and category.handler_role:
        allowed = MELDCODE_ROLES if category.follows_meldcode else HANDLER_ROLES
        if category.handler_role in allowed:
            return {**route, "handler_role": category.handler_role}
    fallback = Role.AANDACHTSFUNCTIONARIS if category.follows_meldcode else Role.ZORGCOORDINATOR
    return {**route, "handler_role": fallback}
