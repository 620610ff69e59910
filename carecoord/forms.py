"""What every app's forms share: widgets, the crispy helper, binding and service errors."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


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


def form_helper(submit_label=None, *, form_tag: bool = True, extra_buttons=()) -> FormHelper:
    """A crispy FormHelper with one primary submit button and optional secondary ones
    (`extra_buttons`: (name, label) pairs). `form_tag=False` when the template writes
    the <form> itself (e.g. for htmx attributes)."""
    helper = FormHelper()
    helper.form_tag = form_tag
    if submit_label:
        helper.add_input(Submit("submit", submit_label))
    for name, label in extra_buttons:
        helper.add_input(SecondarySubmit(name, label))
    return helper


def style_selects(form, css: str = "form-select") -> None:
    """Bootstrap's class on every drop-down of a form rendered field by field (the search
    and filter bars), set here rather than by a script (no inline scripts: CSP)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.SelectMultiple):
            classes = field.widget.attrs.get("class", "").split()
            for name in css.split():
                if name not in classes:
                    classes.append(name)
            field.widget.attrs["class"] = " ".join(classes)
