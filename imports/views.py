"""The pages of every LVS import: upload, preview and confirm, done. Each app routes its
own URLs here with its kind (`{"kind": "students"}`); the kind's access action decides
who may use them."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carecoord import access
from carecoord.forms import posted

from . import kinds, selectors, services
from .forms import UploadForm
from .models import ImportBatch
from .reading import ImportFileError


def _import_view(view):
    """Resolve the kind named in the URL and require its access action at the user's school."""

    @wraps(view)
    def wrapped(request, *args, kind, **kwargs):
        the_kind = kinds.get(kind)
        guarded = access.school_permission_required(the_kind.permission)(view)
        return guarded(request, *args, kind=the_kind, **kwargs)

    return wrapped


def _urls(kind, batch=None):
    urls = {"upload": reverse(f"{kind.url_namespace}:import_upload"), "back": reverse(kind.back_url)}
    if batch is not None:
        urls["batch"] = reverse(f"{kind.url_namespace}:import_confirm", args=[batch.pk])
    return urls


@_import_view
def upload(request, *, kind):
    form = UploadForm(posted(request), request.FILES or None, kind=kind)
    errors, checked = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch, checked = services.import_check(
                kind=kind, school=request.school, data=upload.read(), filename=upload.name, actor=request.user
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if batch is not None:
                return redirect(f"{kind.url_namespace}:import_confirm", pk=batch.pk)
            errors = checked.errors
    return render(
        request,
        "imports/upload.html",
        {
            "kind": kind,
            "form": form,
            "errors": errors,
            "columns": [c.name for c in kind.columns],
            "required": [c.name for c in kind.columns if c.required],
            "urls": _urls(kind),
        },
    )


@_import_view
def batch(request, pk, *, kind):
    batch = selectors.batch_of_uploader(request=request, kind=kind, pk=pk)
    context = {"kind": kind, "batch": batch, "urls": _urls(kind, batch)}
    if batch.status == ImportBatch.Status.APPLIED:
        messages.info(request, _("Dit bestand is al ingelezen."))
        return render(request, kind.done_template, context)
    form = kind.confirm_form(posted(request), batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_confirm(kind=kind, batch=batch, actor=request.user, options=form.options())
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(f"{kind.url_namespace}:import_upload")
        batch.refresh_from_db()
        messages.success(request, kind.done_message)
        return render(request, kind.done_template, context)
    context.update(form=form, summary=batch.summary, **kind.preview_context(batch=batch))
    return render(request, kind.preview_template, context)
