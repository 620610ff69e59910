"""Template helpers for accessible, valid pages (issue 17, docs/accessibility.md). Built in
to every template (settings.TEMPLATES "builtins"), so no `{% load %}` is needed.

- `{% error_summary form %}`: the error summary at the top of a form after a failed submit
  (GOV.UK / NL Design System): a heading, each error a link to its field; `static/js/app.js`
  moves the focus to it and puts "Fout:" before the page title. Crispy forms get it by
  themselves (templates/bootstrap5/errors.html); forms written field by field include it.
- `{{ value|html_datetime }}`: a `datetime` attribute value without microseconds
  (`2026-11-27T21:57:05+01:00`); Django's `date:"c"` keeps microseconds, which HTML refuses.
"""

from django import forms, template
from django.utils import timezone

register = template.Library()


def _target_id(bound_field) -> str:
    """The id an error links to: the field's own input, or the first option of a group."""
    widget = bound_field.field.widget
    auto_id = bound_field.auto_id
    if not auto_id:
        return ""
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.MultiWidget):
        return f"{auto_id}_0"
    return auto_id


def summary_errors(form) -> list[tuple[str, str]]:
    """(target id or "", message) for every error of a bound form, in field order."""
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return []
    found = [("", str(e)) for e in form.non_field_errors()]
    for bound_field in form:
        for error in bound_field.errors:
            found.append(
                (_target_id(bound_field), f"{bound_field.label}: {error}" if bound_field.label else str(error))
            )
    return found


@register.inclusion_tag("partials/_error_summary.html")
def error_summary(*forms_):
    errors = [e for form in forms_ for e in summary_errors(form)]
    return {"errors": errors}


@register.filter
def html_datetime(value) -> str:
    """An aware datetime as a valid HTML `datetime` value, in Amsterdam time, whole seconds."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()
