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
