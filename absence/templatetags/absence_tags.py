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


@register.inclusion_tag("absence/_mas_deadlines_form.html", takes_context=True)
def mas_deadlines_form(context, school):
    """The school's MAS step deadlines as a form, for the school settings page (accounts),
    which knows nothing of absence; the form posts to absence:mas_deadlines."""
    from absence.forms import MasDeadlinesForm
    from absence.models import MasDeadlines

    return {"form": MasDeadlinesForm(instance=MasDeadlines.for_school(school)), "csrf_token": context.get("csrf_token")}
