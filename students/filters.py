import django_filters
import django_filters.fields
from django import forms
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from carecoord.forms import style_selects

from .models import Level, SchoolClass, SupportStatus
from .selectors import class_options, search

NO_SUPPORT = "geen"

SORTS = {
    "naam": (Lower("last_name"), Lower("first_name"), "pk"),
    "klas": ("school_class__year", "school_class__name", Lower("last_name"), Lower("first_name"), "pk"),
    "nummer": ("student_number", "pk"),
    "geboortedatum": ("date_of_birth", "pk"),
}


class ClassChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A class drop-down's options as (id, name) rows, not model objects through a server-side
    cursor, and kept a minute (selectors.class_options) when `offer_classes` gave the field
    them. The label is the class's name, as `str(SchoolClass)`; choosing still checks the id
    against the queryset (ModelChoiceField.to_python)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        options = getattr(self.field, "options", None)
        yield from self.queryset.values_list("pk", "name") if options is None else options


class ClassChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ClassChoiceIterator


def offer_classes(field, *, school, user=None) -> None:
    """Make `field` (a ModelChoiceField) the class drop-down of `school` as `user` sees it: the
    user's own classes first, the options kept a minute (selectors.class_options). A chosen id
    is checked against the school's classes, read then; their order plays no part in that,
    so the queryset is the plain one (building class_choices' ordering query on every view
    cost more than reading the kept options). The pupil list, the concern inbox and the
    absence overview use it."""
    if not issubclass(field.iterator, ClassChoiceIterator):
        field.iterator = ClassChoiceIterator  # before the queryset sets the widget's choices
    field.options = class_options(school=school, user=user)
    field.queryset = SchoolClass.objects.filter(school=school)


class ClassFilter(django_filters.ModelChoiceFilter):
    field_class = ClassChoiceField


class StudentFilter(django_filters.FilterSet):
    """Search, filters and sort of the pupil list (combinable; all in the query string)."""

    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Zoek"),
        widget=forms.TextInput(attrs={"placeholder": _("Naam of leerlingnummer"), "type": "search"}),
    )
    school_class = ClassFilter(queryset=SchoolClass.objects.none(), label=_("Klas"), empty_label=_("alle"))
    year = django_filters.ChoiceFilter(
        field_name="school_class__year",
        choices=[(str(i), str(i)) for i in range(1, 7)],
        label=_("Leerjaar"),
        empty_label=_("alle"),
    )
    level = django_filters.ChoiceFilter(
        field_name="school_class__level", choices=Level.choices, label=_("Niveau"), empty_label=_("alle")
    )
    support = django_filters.ChoiceFilter(
        method="filter_support",
        choices=[(NO_SUPPORT, _("geen"))] + [c for c in SupportStatus.choices if c[0]],
        label=_("Ondersteuning"),
        empty_label=_("alle"),
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[("uitgeschreven", _("uitgeschreven")), ("alle", _("ingeschreven en uitgeschreven"))],
        empty_label=_("ingeschreven"),
        label=_("Inschrijving"),
    )
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        choices=[("klas", _("klas")), ("nummer", _("leerlingnummer")), ("geboortedatum", _("geboortedatum"))],
        empty_label=_("naam"),
        label=_("Sorteer op"),
    )

    def __init__(self, *args, school, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_classes(self.filters["school_class"].field, school=school, user=user)

    @property
    def form(self):
        form = super().form
        style_selects(form, "form-select form-select-sm")
        return form

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_support(self, queryset, name, value):
        return queryset.filter(support_status="" if value == NO_SUPPORT else value)

    def filter_status(self, queryset, name, value):
        if value == "uitgeschreven":
            return queryset.filter(left_on__isnull=False)
        return queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["naam"]))

    @property
    def qs(self):
        qs = super().qs
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if not data.get("status"):
            qs = qs.active()
        if not data.get("sort"):
            qs = qs.order_by(*SORTS["naam"])
        return qs
