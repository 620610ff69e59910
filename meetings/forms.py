from datetime import date, time, timedelta

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from carecoord.access.meetings import participants_q
from carecoord.forms import DateInput, TimeInput, form_helper

from .models import HolidayPolicy, MeetingKind, MeetingSeries

WEEKDAYS = MeetingSeries._meta.get_field("weekday").choices


def end_of_school_year(today: date) -> date:
    """The last day before the summer: 31 July of the current school year."""
    return date(today.year + 1 if today.month >= 8 else today.year, 7, 31)


def participant_choices(school) -> list[tuple[int, str]]:
    """Staff and partner professionals of `school`, labelled with their role or organisation.
    Two queries."""
    users = list(User.objects.filter(participants_q(school)).distinct().select_related("organisation").order_by("name"))
    labels = dict(Role.choices)
    roles: dict[int, list[str]] = {}
    for user_id, role in Membership.objects.filter(school=school).values_list("user_id", "role"):
        roles.setdefault(user_id, []).append(str(labels.get(role, role)))
    mentor = str(labels[Role.MENTOR])

    def order(user):
        # Partners first, then staff with a care role, then those who are only mentor.
        own = roles.get(user.pk, [])
        return (0 if user.organisation_id else 2 if own == [mentor] else 1, user.name.lower())

    choices = []
    for user in sorted(users, key=order):
        what = user.organisation.name if user.organisation_id else ", ".join(sorted(roles.get(user.pk, [])))
        choices.append((user.pk, f"{user.name} — {what}" if what else user.name))
    return choices


class ParticipantsField(forms.ModelMultipleChoiceField):
    """Checkboxes for the school's staff and partners. Accepts any active user, so the
    service can name who does not belong to the school (a clear message, not "invalid choice")."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=User.objects.filter(is_active=True),
            widget=forms.CheckboxSelectMultiple,
            label=_("Deelnemers"),
            required=False,
            **kwargs,
        )

    def offer(self, school):
        self.widget.choices = participant_choices(school)


class SeriesForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=MeetingKind.choices, initial=MeetingKind.OT)
    title = forms.CharField(
        label=_("Naam"),
        max_length=200,
        initial=_("Ondersteuningsteam"),
        # The name goes into e-mails and calendars outside the school.
        help_text=_("Geen namen van leerlingen: de naam staat in e-mails en agenda's."),
    )
    interval_weeks = forms.IntegerField(label=_("Elke zoveel weken"), min_value=1, max_value=52, initial=6)
    weekday = forms.TypedChoiceField(label=_("Op"), choices=WEEKDAYS, coerce=int, initial=1)
    start_time = forms.TimeField(label=_("Van"), widget=TimeInput(), initial=time(14, 0))
    end_time = forms.TimeField(label=_("Tot"), widget=TimeInput(), initial=time(15, 30))
    starts_on = forms.DateField(label=_("Eerste datum vanaf"), widget=DateInput())
    ends_on = forms.DateField(label=_("Tot en met"), widget=DateInput())
    holiday_policy = forms.ChoiceField(
        label=_("Valt een datum in een vakantie of op een vrije dag?"),
        choices=HolidayPolicy.choices,
        initial=HolidayPolicy.SKIP,
        widget=forms.RadioSelect,
    )
    location = forms.CharField(label=_("Plaats"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    participants = ParticipantsField(help_text=_("Vaste deelnemers: zij krijgen de uitnodigingen en herinneringen."))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today + timedelta(days=1)
        self.fields["ends_on"].initial = end_of_school_year(today)
        self.fields["participants"].offer(school)
        self.helper = form_helper(_("Reeks aanmaken"), form_tag=False, extra_buttons=[("preview", _("Toon de datums"))])
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-5"), Column("title", css_class="col-md-7")),
            Row(
                Column("interval_weeks", css_class="col-md-3"),
                Column("weekday", css_class="col-md-3"),
                Column("start_time", css_class="col-md-3"),
                Column("end_time", css_class="col-md-3"),
            ),
            Row(Column("starts_on", css_class="col-md-6"), Column("ends_on", css_class="col-md-6")),
            "holiday_policy",
            Row(Column("location", css_class="col-md-6"), Column("online_link", css_class="col-md-6")),
            "participants",
        )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=MeetingKind.choices, initial=MeetingKind.OT)
    title = forms.CharField(
        label=_("Naam"),
        max_length=200,
        initial=_("Ondersteuningsteam"),
        # The name goes into e-mails and calendars outside the school.
        help_text=_("Geen namen van leerlingen: de naam staat in e-mails en agenda's."),
    )
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    start_time = forms.TimeField(label=_("Van"), widget=TimeInput(), initial=time(14, 0))
    end_time = forms.TimeField(label=_("Tot"), widget=TimeInput(), initial=time(15, 30))
    location = forms.CharField(label=_("Plaats"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    participants = ParticipantsField()

    def __init__(self, *args, school, edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if edit:
            del self.fields["kind"], self.fields["participants"]
        else:
            self.fields["participants"].offer(school)
        self.helper = form_helper(_("Opslaan") if edit else _("Overleg plannen"), form_tag=False)
        rows = [] if edit else [Row(Column("kind", css_class="col-md-5"), Column("title", css_class="col-md-7"))]
        if edit:
            rows.append("title")
        rows += [
            Row(
                Column("day", css_class="col-md-4"),
                Column("start_time", css_class="col-md-4"),
                Column("end_time", css_class="col-md-4"),
            ),
            Row(Column("location", css_class="col-md-6"), Column("online_link", css_class="col-md-6")),
        ]
        if not edit:
            rows.append("participants")
        self.helper.layout = Layout(*rows)


class ParticipantsForm(forms.Form):
    participants = ParticipantsField()

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].offer(school)
        self.helper = form_helper(_("Deelnemers opslaan"), form_tag=False)


class AgendaItemForm(forms.Form):
    """Add a pupil (from the suggestions or the search) with the question for the team."""

    student = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    question = forms.CharField(label=_("Vraag aan het team"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MinutesForm(forms.Form):
    question = forms.CharField(label=_("Vraag aan het team"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Bespreking"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.CharField(label=_("Besluit"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AgreementForm(forms.Form):
    description = forms.CharField(label=_("Wat"), max_length=500)
    owner = forms.TypedChoiceField(label=_("Wie"), coerce=int)
    due_on = forms.DateField(label=_("Uiterlijk op"), widget=DateInput(attrs={"class": "form-control form-control-sm"}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        self.fields["owner"].choices = [("", "—")] + [(p.pk, p.name) for p in people]
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=14)

    def clean_owner(self):
        return self.people[self.cleaned_data["owner"]]
