"""Widgets every app's forms share."""

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
