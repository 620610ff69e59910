from django import template

from absence.models import MasStep

register = template.Library()


@register.filter
def step_label(value) -> str:
    """The label of a MAS step number (an annotated value has no get_..._display)."""
    try:
        return MasStep(int(value)).label
    except (TypeError, ValueError):
        return ""
