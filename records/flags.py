"""The "Voor wie" part of a note's page: hand a journal note to a colleague, who finds it in
"Mijn taken" (a stored task, todo.Task of kind "Notitie voor jou", done in place there). The
note's page loads this part on its own (htmx), so the note's views stay as they are.

Refused with the reason when the colleague does not work at the school, may not see the
pupil, or may not read the note's section (carecoord/access/records.py `note_flag_refusal`).
"""

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import User
from carecoord import access
from carecoord.forms import DateInput, add_service_errors, form_helper

from .models import Note
from .selectors import note_flags
from .services.flags import note_flag

# A note handed over is read within a few days; the one who hands it may choose.
DEFAULT_DAYS = 3


class NoteFlagForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("Voor wie"), queryset=User.objects.none())
    due_on = forms.DateField(label=gettext_lazy("Uiterlijk gelezen op"), widget=DateInput())

    def __init__(self, *args, note, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.filter(memberships__school=note.school_id, is_active=True)
            .exclude(pk=actor.pk)
            .distinct()
            .order_by("name")
        )
        if not self.is_bound:
            self.initial["due_on"] = timezone.localdate() + timedelta(days=DEFAULT_DAYS)
        self.helper = form_helper(gettext_lazy("Doorgeven"))


def _note(request, pk) -> Note:
    # The same door as the note's page: another school's note or one the user may not
    # read is a 404; one they read but may not hand on a 403.
    note = get_object_or_404(
        Note.objects.select_related("student__school").filter(school_id__in=access.school_ids(request.user)), pk=pk
    )
    if not access.can(request.user, "note.read", note):
        raise Http404
    if not access.can(request.user, "note.flag", note):
        raise PermissionDenied
    return note


@require_http_methods(["GET", "POST"])
def note_flag_part(request, pk):
    """The "Voor wie" part of a note's page (htmx): who it was handed to, and the form."""
    note = _note(request, pk)
    form = NoteFlagForm(request.POST or None, note=note, actor=request.user)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = note_flag(
                note=note, person=form.cleaned_data["person"], actor=request.user, due_on=form.cleaned_data["due_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = NoteFlagForm(note=note, actor=request.user)
    return render(
        request, "records/_note_flags.html", {"note": note, "form": form, "flags": note_flags(note=note), "done": done}
    )
