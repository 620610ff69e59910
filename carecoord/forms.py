"""What every app's forms share: widgets, the crispy helper, binding and service errors."""

import functools
import html

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    """A native date picker; the browser shows it in the user's locale (dd-mm-jjjj in
    Dutch). Typed dd-mm-jjjj is accepted too (DATE_INPUT_FORMATS)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def add_service_errors(form, exc) -> None:
    """Show a service's ValidationError on the form: under the field it names, else on top.
    What the user typed stays in the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def posted(request):
    """The POST data to bind a form to, or None on GET. (An empty POST is still a POST:
    `request.POST or None` would leave a submitted empty form unbound.)"""
    return request.POST if request.method == "POST" else None


class SecondarySubmit(Submit):
    field_classes = "btn btn-outline-primary"


def form_helper(submit_label=None, *, form_tag: bool = False, extra_buttons=()) -> FormHelper:
    """A crispy FormHelper with one primary submit button and optional secondary ones
    (`extra_buttons`: (name, label) pairs). The template writes the <form> itself
    (`<form method="post" novalidate>{% csrf_token %}{% crispy form %}</form>`), so by default
    crispy adds none: a form inside a form is invalid HTML (docs/accessibility.md).
    `form_tag=True` only for a template that renders `{% crispy form %}` alone."""
    helper = FormHelper()
    helper.form_tag = form_tag
    buttons = [Submit("submit", submit_label)] if submit_label else []
    buttons += [SecondarySubmit(name, label) for name, label in extra_buttons]
    for button in buttons:
        # No made-up id ("submit-id-submit"): two forms on one page would repeat it (invalid
        # HTML); templates/bootstrap5/layout/baseinput.html writes an id only when there is one.
        button.id = ""
        helper.add_input(button)
    return helper


def _attrs(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them (in order; True bare, False left out)."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return mark_safe("".join(parts))  # noqa: S308 (each part escaped by format_html)


def _escape(value) -> str:
    """conditional_escape without its lazy-text wrapper: a filter bar escapes some 240 values
    per page. The same result: text already marked safe as is, anything else as Django's
    escape writes it (html.escape of its text)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class FastSelect(forms.Select):
    """A drop-down written in Python, with the same HTML as Django's templates.

    Django renders every <option> through a template include; a filter bar with the classes
    of a school (80 or more) spent most of the pupil list's server time on that at region
    scale (bench/region.py, docs/performance.md)."""

    def render(self, name, value, attrs=None, renderer=None):
        # Django's Select.get_context would build a dict of attributes per option (optgroups);
        # the options are written straight from the choices, with Django's rules: the first
        # option whose value matches is selected, a None value is "".
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        values = widget["value"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped:
                parts.append(f'<optgroup label="{_escape(option_value)}">')
            for subvalue, sublabel in option_label if grouped else ((option_value, option_label),):
                selected = not has_selected and str(subvalue) in values
                has_selected |= selected
                shown = "" if subvalue is None else str(subvalue)
                parts.append(
                    f'<option value="{_escape(shown)}"{" selected" if selected else ""}>{_escape(sublabel)}</option>'
                )
            if grouped:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every value and label is escaped)


class ListedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a drop-down read with one plain query. Django's iterator() opens a
    server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE: three round trips) to save
    memory that a list of a school's classes or categories does not need."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


@functools.cache
def _listed(iterator: type) -> type:
    """`iterator` reading its rows as ListedModelChoiceIterator does (a subclass, such as
    django-filter's with its "no value" choice, keeps what it adds)."""
    if iterator is forms.models.ModelChoiceIterator:
        return ListedModelChoiceIterator
    return type(f"Listed{iterator.__name__}", (iterator, ListedModelChoiceIterator), {})


def style_selects(form, css: str = "form-select") -> None:
    """Bootstrap's class on every drop-down of a form rendered field by field (the search
    and filter bars), set here rather than by a script (no inline scripts: CSP). Each plain
    drop-down is rendered by FastSelect."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = FastSelect
        if isinstance(field, forms.ModelChoiceField) and not issubclass(field.iterator, ListedModelChoiceIterator):
            field.iterator = _listed(field.iterator)
            field.widget.choices = field.choices
        if isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.SelectMultiple):
            classes = field.widget.attrs.get("class", "").split()
            for name in css.split():
                if name not in classes:
                    classes.append(name)
            field.widget.attrs["class"] = " ".join(classes)
