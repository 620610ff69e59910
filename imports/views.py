"""The pages of every LVS import: upload, column mapping, preview and confirm, the job's
progress, the result. Each app routes its own URLs here with its kind (`import_urls`);
the kind's access action decides who may use them, and a batch is seen by its uploader
only."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from carecoord import access
from carecoord.forms import add_service_errors, posted

from . import kinds, reading, selectors, services
from .columns import resolve
from .forms import ColumnMappingForm, UploadForm
from .models import ImportBatch
from .reading import ImportFileError

Status = ImportBatch.Status


def _import_view(view):
    """Resolve the kind named in the URL and require its access action at the user's school."""

    @wraps(view)
    def wrapped(request, *args, kind, **kwargs):
        the_kind = kinds.get(kind)
        guarded = access.school_permission_required(the_kind.permission)(view)
        return guarded(request, *args, kind=the_kind, **kwargs)

    return wrapped


def _urls(kind, batch=None) -> dict:
    ns = kind.url_namespace
    urls = {"upload": reverse(f"{ns}:import_upload"), "back": reverse(kind.back_url)}
    if batch is not None:
        for name in ("confirm", "columns", "progress"):
            urls["batch" if name == "confirm" else name] = reverse(f"{ns}:import_{name}", args=[batch.pk])
        urls.update(kind.extra_urls(batch))
    return urls


def _upload_page(request, kind, form, errors=()):
    return render(
        request,
        "imports/upload.html",
        {
            "kind": kind,
            "form": form,
            "errors": errors,
            "columns": [c.name for c in kind.columns],
            "required": [c.name for c in kind.columns if c.required],
            "recent": selectors.recent_batches(request=request, kind=kind),
            "urls": _urls(kind),
        },
    )


def _columns_page(request, kind, batch, form=None):
    if batch.status == Status.MAPPING:
        header, sample, found = batch.preview["header"], batch.preview["sample"], batch.preview["found"]
        missing = batch.preview["missing"]
    else:  # mapping again from the preview
        table = reading.read_table(bytes(batch.content), filename=batch.filename)
        found = resolve(table.header, kind.columns, batch.columns or None).index
        header, sample, missing = table.header, [cells for _n, cells in table.rows[:3]], []
    form = form or ColumnMappingForm(kind=kind, school=request.school, header=header, sample=sample, found=found)
    return render(
        request,
        "imports/columns.html",
        {
            "kind": kind,
            "batch": batch,
            "form": form,
            "header": header,
            "sample": sample,
            "missing": missing,
            "urls": _urls(kind, batch),
        },
    )


@_import_view
def upload(request, *, kind):
    form = UploadForm(posted(request), request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_check(
                kind=kind, school=request.school, data=upload.read(), filename=upload.name, actor=request.user
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.batch is None:
                return _upload_page(request, kind, form, result.errors)
            if result.batch.status == Status.MAPPING:
                return _columns_page(request, kind, result.batch)
            return redirect(f"{kind.url_namespace}:import_confirm", pk=result.batch.pk)
    return _upload_page(request, kind, form)


@_import_view
def columns(request, pk, *, kind):
    batch = selectors.batch_of_uploader(request=request, kind=kind, pk=pk)
    if batch.status not in (Status.MAPPING, Status.PREVIEW):
        return redirect(f"{kind.url_namespace}:import_confirm", pk=batch.pk)
    if request.method != "POST":
        return _columns_page(request, kind, batch)
    header = batch.preview["header"] if batch.status == Status.MAPPING else None
    if header is None:
        header = reading.read_table(bytes(batch.content), filename=batch.filename).header
    form = ColumnMappingForm(request.POST, kind=kind, school=request.school, header=header, sample=[], found={})
    if form.is_valid():
        try:
            result = services.import_map_columns(kind=kind, batch=batch, actor=request.user, positions=form.positions())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if result.batch is None:
                return _upload_page(request, kind, UploadForm(kind=kind), result.errors)
            messages.success(request, _("De kolommen zijn gekoppeld; bij een volgende export herkennen we ze."))
            return redirect(f"{kind.url_namespace}:import_confirm", pk=batch.pk)
    return _columns_page(request, kind, batch, form)


@_import_view
def batch(request, pk, *, kind):
    batch = selectors.batch_of_uploader(request=request, kind=kind, pk=pk)
    context = {"kind": kind, "batch": batch, "urls": _urls(kind, batch)}
    if batch.status == Status.MAPPING:
        return _columns_page(request, kind, batch)
    if batch.status == Status.APPLIED:
        if request.method == "POST":
            messages.info(request, _("Dit bestand is al ingelezen."))
        return render(request, kind.done_template, context)
    if batch.is_job:
        if request.method == "POST":
            messages.info(request, _("Dit bestand wordt al ingelezen."))
        return render(request, "imports/progress.html", {**context, **selectors.job_progress(batch)})
    if batch.status in (Status.FAILED, Status.EXPIRED):
        return render(request, "imports/ended.html", context)
    form = kind.confirm_form(posted(request), batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_confirm(batch=batch, actor=request.user, options=form.options())
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(f"{kind.url_namespace}:import_upload")
        if batch.status == Status.APPLIED:
            messages.success(request, kind.done_message)
            return render(request, kind.done_template, {**context, "batch": batch})
        if batch.status == Status.FAILED:
            for message in batch.errors:
                messages.error(request, message)
            return redirect(f"{kind.url_namespace}:import_upload")
        return redirect(f"{kind.url_namespace}:import_confirm", pk=batch.pk)  # the progress page
    context.update(form=form, summary=batch.summary, **kind.preview_context(batch=batch))
    return render(request, kind.preview_template, context)


@_import_view
def progress(request, pk, *, kind):
    """The progress bar, polled by htmx every second; a finished job sends the page to its result."""
    batch = selectors.batch_of_uploader(request=request, kind=kind, pk=pk)
    target = reverse(f"{kind.url_namespace}:import_confirm", args=[batch.pk])
    if not batch.is_job:
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    context = {"kind": kind, "batch": batch, "urls": _urls(kind, batch), **selectors.job_progress(batch)}
    return render(request, "imports/_progress.html", context)
