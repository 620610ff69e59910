"""Views of the records app: notes, documents, "Geschiedenis", the file as a PDF, families.

Each view fetches the pupil through `students.selectors.student_for_file` (404 outside
scope), the entry through the reader's rules (404 when they may not read it: existence
does not leak), asks `access.can` for the action (403), writes the read log, then calls a
service or selector.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.forms import add_service_errors, posted
from students.models import Student
from students.selectors import log_read, student_for_file

from . import selectors, services
from .attachments import target_label, target_object, target_section, target_student, target_url
from .forms import DocumentForm, FamilyLinkForm, NoteForm, RemoveForm
from .history import history_model, kind_of, student_of, versions
from .models import AttachTarget, Document, FamilyLink, Note
from .services.flags import item_flag_opened


def _file(request, pk, action=None):
    """The pupil and the sections the user may see (404 outside scope, 403 without `action`)."""
    student, sections = student_for_file(user=request.user, pk=pk, log=False)
    if action and not access.can(request.user, action, student):
        raise PermissionDenied
    return student, sections


def _entry(request, entries, pk, read_action, action=None):
    """A note or a document of the file, with the pupil and the sections the user may see:
    404 when it does not exist or the user may not read it (existence does not leak), 403
    without `action`."""
    entry = entries.filter(pk=pk).first()
    if entry is None:
        raise Http404
    student, sections = _file(request, entry.student_id)
    entry.student = student
    if not access.can(request.user, read_action, entry):
        raise Http404
    if action and not access.can(request.user, action, entry):
        raise PermissionDenied
    return entry, sections


def _note(request, pk, action=None):
    return _entry(request, Note.objects.select_related("student", "author", "removed_by"), pk, "note.read", action)


def _document(request, pk, action=None):
    documents = Document.objects.select_related("student", "uploaded_by", "removed_by")
    return _entry(request, documents, pk, "document.read", action)


def _note_kwargs(form):
    data = form.cleaned_data
    return {
        "occurred_at": data["occurred_at"],
        "kind": data["kind"],
        "text": data["text"],
        "section": data["section"],
        "staff": data["staff"],
        "organisations": data["organisations"],
        "guardians": data["guardians"],
    }


# --- Notes ----------------------------------------------------------------------------------


def note_add(request, pk):
    student, _sections = _file(request, pk, "student.add_note")
    log_read(user=request.user, students=[student], section="notitie toevoegen")
    form = NoteForm(posted(request), student=student)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.note_add(student=student, actor=request.user, **_note_kwargs(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De notitie is opgeslagen."))
            return redirect(note)
    return render(
        request, "records/note_form.html", {"student": student, "form": form, "title": _("Notitie toevoegen")}
    )


def note_detail(request, pk):
    note, sections = _note(request, pk)
    log_read(user=request.user, students=[note.student], section="notitie")
    # Opened by the one it was handed to ("voor wie"): their task to read it is done.
    item_flag_opened(item=note, user=request.user)
    documents = list(
        selectors.documents_attached(
            user=request.user, student=note.student, sections=sections, target_type=AttachTarget.NOTE, target_id=note.pk
        )
    )
    context = {
        "note": note,
        "student": note.student,
        "documents": documents,
        "can_edit": access.can(request.user, "note.edit", note),
        "can_remove": access.can(request.user, "note.remove", note),
        "can_attach": note.removed_at is None and access.can(request.user, "student.add_document", note.student),
        "can_flag": access.can(request.user, "note.flag", note),
    }
    return render(request, "records/note_detail.html", context)


def note_edit(request, pk):
    note, _sections = _note(request, pk, "note.edit")
    log_read(user=request.user, students=[note.student], section="notitie")
    initial = {
        "occurred_at": note.occurred_at,
        "kind": note.kind,
        "text": note.text,
        "section": note.section,
        "staff": list(note.staff.all()),
        "organisations": list(note.organisations.all()),
        "guardians": list(note.guardians.all()),
    }
    form = NoteForm(posted(request), student=note.student, initial=initial, submit_label=_("Wijziging opslaan"))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.note_update(note=note, actor=request.user, **_note_kwargs(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("De wijziging is opgeslagen; de vorige versie staat in de geschiedenis."))
            return redirect(note)
    return render(
        request,
        "records/note_form.html",
        {"student": note.student, "form": form, "title": _("Notitie wijzigen"), "note": note},
    )


def _entry_remove(request, entry, *, section, title, remove, done):
    """Taking a note or a document out of the file: the reason asked, then `remove(reason)`
    (the service). The entry stays in "Geschiedenis": a care record is never silently
    rewritten."""
    log_read(user=request.user, students=[entry.student], section=section)
    form = RemoveForm(posted(request), submit_label=title)
    if request.method == "POST" and form.is_valid():
        try:
            remove(form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(entry.student)
    return render(
        request,
        "records/remove_form.html",
        {"student": entry.student, "form": form, "title": title, "entry": entry},
    )


def note_remove(request, pk):
    note, _sections = _note(request, pk, "note.remove")
    return _entry_remove(
        request,
        note,
        section="notitie",
        title=_("Notitie verwijderen"),
        remove=lambda reason: services.note_remove(note=note, actor=request.user, reason=reason),
        done=_("De notitie is uit het dossier gehaald. Ze blijft in de geschiedenis."),
    )


# --- Documents --------------------------------------------------------------------------------


def _target(request, student, sections):
    """The object named by ?bij=<kind>&id=<id> (or the POST), when the user may see it and it
    belongs to this pupil; None for the file itself. 404 for anything else (crafted input)."""
    source = request.POST if request.method == "POST" else request.GET
    kind, target_id = source.get("bij", ""), source.get("id", "")
    if not kind:
        return None
    from carecoord.access.records import attach_target_visible

    obj = target_object(kind, target_id)
    if obj is None or target_student(obj).pk != student.pk or not attach_target_visible(request.user, obj):
        raise Http404
    return obj


def document_add(request, pk):
    student, sections = _file(request, pk, "student.add_document")
    target = _target(request, student, sections)
    log_read(user=request.user, students=[student], section="document toevoegen")
    initial = {"section": target_section(target)}
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
        max_mb=settings.DOCUMENT_MAX_MB,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                student=student,
                actor=request.user,
                upload=data["file"],
                title=data["title"],
                kind=data["kind"],
                section=data["section"],
                target=target,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het document is toegevoegd."))
            return redirect(target_url(target) if target is not None else student.get_absolute_url())
    if form.errors and "file" not in form.errors and request.method == "POST":
        form.add_error("file", _("Kies het bestand opnieuw: een browser bewaart het niet na een foutmelding."))
    context = {
        "student": student,
        "form": form,
        "title": _("Document toevoegen"),
        "target": target,
        "target_label": target_label(target) if target is not None else "",
        "target_url": target_url(target) if target is not None else "",
        "target_kind": request.POST.get("bij", request.GET.get("bij", "")),
        "target_id": request.POST.get("id", request.GET.get("id", "")),
    }
    return render(request, "records/document_form.html", context)


def document_list(request, pk):
    student, sections = _file(request, pk)
    log_read(user=request.user, students=[student], section="documenten")
    documents = selectors.documents_for(user=request.user, student=student, sections=sections)
    return render(request, "records/document_list.html", {"student": student, "documents": documents})


def document_detail(request, pk):
    document, _sections = _document(request, pk)
    log_read(user=request.user, students=[document.student], section="document")
    # Opened by the one it was handed to ("voor wie"): their task to read it is done.
    item_flag_opened(item=document, user=request.user)
    target = target_object(document.target_type, document.target_id) if document.target_type else None
    context = {
        "document": document,
        "student": document.student,
        "target_label": target_label(target) if target is not None else "",
        "can_remove": access.can(request.user, "document.remove", document),
        "can_flag": access.can(request.user, "document.flag", document),
    }
    return render(request, "records/document_detail.html", context)


def document_download(request, pk):
    """The file itself, only through here: access checked, the read logged, never cached."""
    document, _sections = _document(request, pk)
    if document.removed_at is not None:
        raise Http404
    handle = services.document_open(document)
    log_read(user=request.user, students=[document.student], section="document gedownload")
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_remove(request, pk):
    document, _sections = _document(request, pk, "document.remove")
    return _entry_remove(
        request,
        document,
        section="document",
        title=_("Document verwijderen"),
        remove=lambda reason: services.document_remove(document=document, actor=request.user, reason=reason),
        done=_("Het document is uit het dossier gehaald. Het blijft in de geschiedenis."),
    )


# --- Geschiedenis ------------------------------------------------------------------------------


def history(request, kind, pk):
    """The versions of one object of the record, for whoever may read the object."""
    model = history_model(kind)
    if model is None:
        raise Http404
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None or not access.can(request.user, "record.view_history", obj):
        raise Http404
    student = student_of(obj)
    if student is not None:
        log_read(user=request.user, students=[student], section="geschiedenis")
    context = {
        "obj": obj,
        "kind": kind_of(obj),
        "model_name": model._meta.verbose_name,
        "student": student,
        "versions": versions(obj),
    }
    return render(request, "records/history.html", context)


# --- Families ----------------------------------------------------------------------------------


def family_link_add(request, pk):
    student, _sections = _file(request, pk, "student.manage_family")
    log_read(user=request.user, students=[student], section="gezin")
    form = FamilyLinkForm(posted(request))
    if request.method == "POST" and form.is_valid():
        other = Student.objects.filter(
            school=student.school, student_number=form.cleaned_data["student_number"].strip()
        ).first()
        if other is None:
            form.add_error("student_number", _("Er is geen leerling met dit leerlingnummer op deze school."))
        else:
            try:
                services.family_link(student=student, other=other, kind=form.cleaned_data["kind"], actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
                if "other" in getattr(exc, "error_dict", {}):
                    form.add_error("student_number", exc.error_dict["other"])
            else:
                messages.success(request, _("De leerlingen zijn als gezin gekoppeld."))
                return redirect(student)
    return render(request, "records/family_form.html", {"student": student, "form": form, "title": _("Gezin koppelen")})


@require_POST
def family_decide(request, pk):
    link = get_object_or_404(FamilyLink.objects.select_related("student_a", "student_b"), pk=pk)
    student, _sections = _file(request, link.student_a_id, "student.manage_family")
    confirm = request.POST.get("besluit") == "bevestigen"
    services.family_decide(link=link, actor=request.user, confirm=confirm, kind=request.POST.get("kind") or None)
    messages.success(request, _("De koppeling is bevestigd.") if confirm else _("De koppeling is afgewezen."))
    back = request.POST.get("terug", "")
    if back == "gezinnen":
        return redirect("records:family_suggestions")
    return redirect(link.student_b if str(link.student_b_id) == back else student)


@access.school_permission_required("school.review_families")
def family_suggestions(request):
    suggestions = list(selectors.family_suggestions(school=request.school)[:200])
    log_read(
        user=request.user,
        students=[s for link in suggestions for s in (link.student_a, link.student_b)],
        section="gezinnen",
    )
    return render(request, "records/family_suggestions.html", {"suggestions": suggestions})


def attached_documents(request, kind, target_id):
    """The documents attached to one object (an agenda item, an evaluation, ...), with the
    button to add one: for whoever may see the object."""
    from carecoord.access.records import attach_target_visible

    obj = target_object(kind, target_id)
    if obj is None or not attach_target_visible(request.user, obj):
        raise Http404
    student, sections = _file(request, target_student(obj).pk)
    log_read(user=request.user, students=[student], section="documenten")
    documents = selectors.documents_attached(
        user=request.user, student=student, sections=sections, target_type=kind, target_id=obj.pk
    )
    context = {
        "student": student,
        "documents": documents,
        "target_label": target_label(obj),
        "target_url": target_url(obj),
        "target_kind": kind,
        "target_id": obj.pk,
        "can_add": access.can(request.user, "student.add_document", student),
    }
    return render(request, "records/attached_documents.html", context)
