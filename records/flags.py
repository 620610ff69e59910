"""The "Voor wie" part of a note's or a document's page: hand it to a colleague, who finds it
in "Mijn taken" (a stored task, todo.Task of kind "Notitie voor jou" or "Document voor
jou", done in place there or when they open it). The page loads this part on its own
(htmx), so the note's and document's views stay as they are.

Refused with the reason when the colleague does not work at the school, may not see the
pupil, or may not read the item's section (carecoord/access/records.py `flag_refusal`).
"""

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import User
from carecoord import access
from carecoord.forms import DateInput, add_service_errors, form_helper

from .models import Document, Note
from .selectors import item_flags
from .services.flags import item_flag

# A note or document handed over is read within a few days; the one who hands it may choose.
DEFAULT_DAYS = 3


class FlagForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("Voor wie"), queryset=User.objects.none())
    due_on = forms.DateField(label=gettext_lazy("Uiterlijk gelezen op"), widget=DateInput())

    def __init__(self, *args, item, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.filter(memberships__school=item.school_id, is_active=True)
            .exclude(pk=actor.pk)
            .distinct()
            .order_by("name")
        )
        if not self.is_bound:
            self.initial["due_on"] = timezone.localdate() + timedelta(days=DEFAULT_DAYS)
        self.helper = form_helper(gettext_lazy("Doorgeven"))


def _item(request, model, pk, kind: str):
    # The same door as the item's page: another school's note or document, or one the user
    # may not read, is a 404; one they read but may not hand on a 403.
    item = get_object_or_404(
        model.objects.select_related("student__school").filter(school_id__in=access.school_ids(request.user)), pk=pk
    )
    if not access.can(request.user, f"{kind}.read", item):
        raise Http404
    if not access.can(request.user, f"{kind}.flag", item):
        raise PermissionDenied
    return item


def _flag_part(request, item, kind: str):
    form = FlagForm(request.POST or None, item=item, actor=request.user)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = item_flag(
                item=item, person=form.cleaned_data["person"], actor=request.user, due_on=form.cleaned_data["due_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = FlagForm(item=item, actor=request.user)
    context = {
        "item": item,
        "kind": kind,
        "part_url": reverse(f"records:{kind}_flags", args=[item.pk]),
        "form": form,
        "flags": item_flags(item=item),
        "done": done,
    }
    return render(request, "records/_flags.html", context)


@require_http_methods(["GET", "POST"])
def note_flag_part(request, pk):
    """The "Voor wie" part of a note's page (htmx): who it was handed to, and the form."""
    return _flag_part(request, _item(request, Note, pk, "note"), "note")


@require_http_methods(["GET", "POST"])
def document_flag_part(request, pk):
    """The "Voor wie" part of a document's page (htmx): who it was handed to, and the form."""
    return _flag_part(request, _item(request, Document, pk, "document"), "document")
