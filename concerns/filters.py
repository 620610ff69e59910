"""The inbox filters of the zorgroute (django-filter)."""

from datetime import timedelta

import django_filters
from django.core.validators import EMPTY_VALUES
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role, User
from carecoord.forms import style_selects
from carecoord.kept import kept
from students.filters import ClassFilter, offer_classes
from students.models import SchoolClass

from .models import ConcernCategory, ConcernStatus, Urgency

OPEN = "open"
ALL = _("alle")
AGES = [("7", _("ouder dan een week")), ("14", _("ouder dan twee weken")), ("28", _("ouder dan vier weken"))]


class CategoryChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The category drop-down's options as (id, name) rows, not model objects with the
    guidance texts of every category (the label is the name, as `str(ConcernCategory)`);
    choosing still checks the id against the queryset (ModelChoiceField.to_python)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class CategoryChoiceField(django_filters.fields.ModelChoiceField):
    iterator = CategoryChoiceIterator


class CategoryFilter(django_filters.ModelChoiceFilter):
    field_class = CategoryChoiceField


# How long the handler drop-down's people and organisations of a school are kept. A person
# who handles a concern here for the first time appears in the filter up to a minute late.
HANDLER_CHOICES_SECONDS = 60


def _handler_choices(school) -> tuple[list, list]:
    # Only people who handle (or handled) a concern here: a school has hundreds of staff.
    people = User.objects.filter(handled_concerns__school=school).distinct().order_by("name")
    organisations = Organisation.objects.filter(schools=school).order_by("name")
    return list(people.values_list("pk", "name")), list(organisations.values_list("pk", "name"))


def handler_choices(school) -> tuple[list, list]:
    """The (id, name) pairs of the people and the partner organisations in the handler
    drop-down at `school`, kept HANDLER_CHOICES_SECONDS per school: the same for every reader
    there, and two queries on every view of the inbox (carecoord.kept: read as before when
    the cache is down)."""
    return kept(f"concern-inbox-handlers:{school.pk}", HANDLER_CHOICES_SECONDS, lambda: _handler_choices(school))


class ConcernFilter(django_filters.FilterSet):
    """The inbox filters; they combine, and all sit in the query string."""

    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[(OPEN, _("open")), *ConcernStatus.choices],
        empty_label=None,
        label=_("Status"),
    )
    category = CategoryFilter(queryset=ConcernCategory.objects.none(), label=_("Categorie"), empty_label=ALL)
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgentie"), empty_label=ALL)
    school_class = ClassFilter(
        field_name="student__school_class", queryset=SchoolClass.objects.none(), label=_("Klas"), empty_label=ALL
    )
    handler = django_filters.ChoiceFilter(method="filter_handler", label=_("Behandelaar"), empty_label=ALL)
    age = django_filters.ChoiceFilter(method="filter_age", choices=AGES, label=_("Leeftijd"), empty_label=ALL)

    def __init__(self, data=None, *args, school, staff=True, user=None, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", OPEN)
        super().__init__(data, *args, **kwargs)
        self.filters["category"].queryset = ConcernCategory.objects.filter(school=school)
        offer_classes(self.filters["school_class"].field, school=school, user=user)
        if not staff:
            del self.filters["handler"]  # partners do not need the school's list of handlers
            return
        people, organisations = handler_choices(school)
        self.filters["handler"].extra["choices"] = [
            (_("Rol op school"), [(f"role:{value}", label) for value, label in Role.choices]),
            (_("Persoon"), [(f"user:{pk}", name) for pk, name in people]),
            (_("Partnerorganisatie"), [(f"org:{pk}", name) for pk, name in organisations]),
        ]

    @property
    def form(self):
        form = super().form
        style_selects(form)
        return form

    def status_alone(self):
        """The status chosen when nothing else filters the list, else None (also for a
        form that does not validate): the inbox's counts then say how many rows there are."""
        if not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        if any(data.get(name) not in EMPTY_VALUES for name in self.filters if name != "status"):
            return None
        return data.get("status")

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.exclude(status=ConcernStatus.CLOSED)
        return queryset.filter(status=value)

    def filter_handler(self, queryset, name, value):
        kind, _sep, ident = value.partition(":")
        field = {"role": "handler_role", "user": "handler_id", "org": "handler_organisation_id"}.get(kind)
        return queryset.filter(**{field: ident}) if field else queryset

    def filter_age(self, queryset, name, value):
        return queryset.filter(created_at__lt=timezone.now() - timedelta(days=int(value)))

    @property
    def qs(self):
        qs = super().qs
        if self.form.is_valid() and self.form.cleaned_data.get("status") == ConcernStatus.CLOSED:
            return qs.order_by("-closed_at", "-pk")
        # Most urgent first, and within the same urgency the one waiting longest.
        return qs.order_by("-urgency", "created_at", "pk")
