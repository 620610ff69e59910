"""`{% placement_card placement %}`: the point card on a placement's page and on its
evaluation form (expectations, average and trend since the last evaluation, the coach's
proposal, the daily graph with its table). The referrals app shows it through this tag and
never imports this app (.importlinter). The page that includes it fetched the placement
through its own rule and logged the read; three to five queries."""

from django import template

from carecoord import access

from .. import selectors
from ..models import Card
from ..services import CARD_KINDS

register = template.Library()


@register.inclusion_tag("cico/_placement_card.html", takes_context=True)
def placement_card(context, placement):
    request = context["request"]
    card = Card.objects.filter(placement=placement).first()
    can_manage = access.can(request.user, "card.manage", placement)
    shown = card is not None or (can_manage and placement.kind in CARD_KINDS)
    if not shown:
        return {"hidden": True}
    result = {"placement": placement, "card": card, "can_manage": can_manage, "hidden": False}
    if card is not None:
        card.placement = placement
        since, summary = selectors.since_last_evaluation(card)
        result.update(
            {
                "since": since,
                "summary": summary,
                "expectations": [e for e in card.expectations.all() if e.retired_on is None],
                "proposal": card.proposals.select_related("by").first(),
                "chart": selectors.daily_chart(card, summary.days, title=selectors.since_title(since)),
            }
        )
    return result


@register.inclusion_tag("cico/_board_button.html")
def cico_day_button(facility):
    """On the coach's board: the way to the day's point cards (check-in with yesterday's
    result, check-out against the goal), when the facility has any. One query."""
    return {"facility": facility, "shown": Card.objects.active().filter(placement__facility=facility).exists()}
