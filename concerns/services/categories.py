"""The school's zorgroute: its categories, and where a category routes a new concern."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import change_record, stored_values, values_of
from carecoord.access import concerns as concern_access

from ..models import ConcernCategory, HandlerKind

# What the change log keeps of a category (its guidance texts are the school's own words,
# not pupil data).
CATEGORY_FIELDS = (
    "name",
    "guidance_when",
    "guidance_what",
    "guidance_first",
    "handler_kind",
    "handler_role",
    "handler_user",
    "handler_organisation",
    "default_urgency",
    "follows_meldcode",
    "home_situation",
    "position",
    "is_active",
)


def category_save(*, school, actor, instance: ConcernCategory | None = None, **fields) -> ConcernCategory:
    """Create or change a category of the school's zorgroute. The handler must fit the
    kind chosen; a Meldcode category goes to the coordinator or the aandachtsfunctionaris."""
    category = instance or ConcernCategory(school=school)
    before = stored_values(category, CATEGORY_FIELDS)
    for name, value in fields.items():
        setattr(category, name, value)
    kind = category.handler_kind
    if kind != HandlerKind.ROLE:
        category.handler_role = ""
    if kind != HandlerKind.PERSON:
        category.handler_user = None
    if kind != HandlerKind.ORGANISATION:
        category.handler_organisation = None
    if kind == HandlerKind.ROLE and category.handler_role not in concern_access.handler_roles(meldcode=False):
        raise ValidationError({"handler_role": _("Kies de rol die deze meldingen behandelt.")})
    if kind == HandlerKind.PERSON:
        if category.handler_user is None:
            raise ValidationError({"handler_user": _("Kies de persoon die deze meldingen behandelt.")})
        if not concern_access.may_handle(category.handler_user, school, meldcode=False):
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
        if kind == HandlerKind.ROLE and category.handler_role not in concern_access.handler_roles(meldcode=True):
            raise ValidationError(
                {"handler_role": _("Kies voor de Meldcode de aandachtsfunctionaris of de zorgcoördinator.")}
            )
        if kind == HandlerKind.PERSON and not concern_access.may_handle(category.handler_user, school, meldcode=True):
            raise ValidationError(
                {"handler_user": _("Voor de Meldcode: kies de aandachtsfunctionaris of een zorgcoördinator.")}
            )
    clash = ConcernCategory.objects.filter(school=school, name__iexact=category.name.strip()).exclude(pk=category.pk)
    if clash.exists():
        raise ValidationError({"name": _("Deze zorgroute heeft al een categorie met deze naam.")})
    category.name = category.name.strip()
    category.full_clean()
    with transaction.atomic():
        category.save()
        after = values_of(category, CATEGORY_FIELDS)
        change_record(
            school=school, actor=actor, kind="concerns.category_saved", obj=category, before=before, after=after
        )
    return category


def concern_route(category: ConcernCategory) -> dict:
    """The handler a new concern of `category` gets: the category's role, person or
    partner. When the person no longer works at the school, the coordinators take it;
    a Meldcode case never goes to anyone but the coordinator or the aandachtsfunctionaris."""
    route = {"handler_role": "", "handler": None, "handler_organisation": None}
    kind, meldcode = category.handler_kind, category.follows_meldcode
    if kind == HandlerKind.PERSON and category.handler_user_id:
        if concern_access.may_handle(category.handler_user, category.school_id, meldcode=meldcode):
            return {**route, "handler": category.handler_user}
    elif kind == HandlerKind.ORGANISATION and category.handler_organisation_id and not meldcode:
        return {**route, "handler_organisation": category.handler_organisation}
    elif kind == HandlerKind.ROLE and category.handler_role in concern_access.handler_roles(meldcode=meldcode):
        return {**route, "handler_role": category.handler_role}
    return {**route, "handler_role": concern_access.default_handler_role(meldcode=meldcode)}
