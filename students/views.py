from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access, exports
from carecoord.access.sections import Section
from carecoord.forms import add_service_errors, posted

from . import selectors, services
from .filters import StudentFilter
from .forms import (
    ConsentForm,
    ConsentWithdrawForm,
    GuardianForm,
    LeaveForm,
    PartnerLinkForm,
    SchoolClassForm,
    StudentForm,
    SupportStatusForm,
)
from .models import Consent, FileAccess, Guardian, PartnerLink, SchoolClass, Student
from .panels import panels_for
from .rows import student_rows
from .timeline import timeline_page

PER_PAGE = 50


def _student(request, pk, action=None, section="dossier", log=True):
    """The pupil for this request: 404 outside scope; 403 without `action` (no read logged
    for refused requests). Writes the read log, unless `log` is False because the view still
    looks up a part of the file (it logs once that part was found)."""
    student, sections = selectors.student_for_file(user=request.user, pk=pk, log=False)
    if action and not access.can(request.user, action, student):
        raise PermissionDenied
    if log:
        selectors.log_read(user=request.user, students=[student], section=section)
    return student, sections


@access.school_permission_required("school.list_students")
def student_list(request):
    """Pupils of this school the user may see: search, filters, sort, 50 per page."""
    filterset = StudentFilter(
        request.GET,
        queryset=selectors.student_list(user=request.user, school=request.school),
        school=request.school,
        user=request.user,
    )
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    pupils = selectors.list_rows(page.object_list)
    # The list shows each pupil's support status (care context): the pupils on this page are
    # in the read log, also when htmx redraws only the results.
    selectors.log_read(user=request.user, students=pupils, section="leerlingenlijst")
    context = {
        "filter": filterset,
        "page": page,
        "rows": student_rows(pupils),
        "can_export": access.can(request.user, "school.export_students", request.school),
        "can_import": access.can(request.user, "school.import_students", request.school),
    }
    if request.htmx and request.htmx.target == "student-results":
        return render(request, "students/_student_results.html", context)
    return render(request, "students/student_list.html", context)


EXPORT_COLUMNS = [
    exports.Column("leerlingnummer", text=True),
    exports.Column("voornaam"),
    exports.Column("tussenvoegsel"),
    exports.Column("achternaam"),
    exports.Column("geboortedatum"),
    exports.Column("klas"),
    exports.Column("niveau"),
    exports.Column("leerjaar"),
    exports.Column("ondersteuning"),
    exports.Column("uitgeschreven"),
]


@access.school_permission_required("school.export_students")
def student_export(request, fmt=exports.CSV):
    """The filtered list as CSV or Excel (administrative data). Every exported pupil is logged."""
    filterset = StudentFilter(
        request.GET,
        queryset=selectors.student_list(user=request.user, school=request.school),
        school=request.school,
        user=request.user,
    )
    students = list(filterset.qs)
    selectors.log_read(user=request.user, students=students, section="export")
    rows = []
    for s in students:
        klas = s.school_class
        rows.append(
            [
                s.student_number,
                s.first_name,
                s.tussenvoegsel,
                s.last_name,
                s.date_of_birth,
                klas.name if klas else "",
                klas.level if klas else "",
                klas.year if klas else "",
                s.get_support_status_display() if s.support_status else "",
                s.left_on,
            ]
        )
    return exports.export_response(
        fmt,
        filename=f"leerlingen-{timezone.localdate():%Y%m%d}",
        columns=EXPORT_COLUMNS,
        rows=rows,
        sheet_title=_("Leerlingen"),
    )


def student_autocomplete(request):
    """Type-ahead for picking a pupil (name and class only), e.g. when raising a concern."""
    if request.school is None:
        raise Http404
    query = request.GET.get("q", "").strip()
    results = (
        selectors.student_directory(user=request.user, school=request.school, query=query) if len(query) >= 2 else []
    )
    return render(request, "students/_autocomplete.html", {"results": results, "query": query})


def student_file(request, pk):
    """The pupil file (dossier): header, the panels of other apps, one timeline."""
    student, sections = selectors.student_for_file(user=request.user, pk=pk)
    page = timeline_page(
        student=student,
        sections=sections,
        before=request.GET.get("voor"),
        after=request.GET.get("na"),
        user=request.user,
    )
    if request.htmx and request.htmx.target == "timeline":
        # "Ouder" / "Nieuwer" swap only the timeline: no header, no panels to read.
        return render(request, "students/_timeline.html", {"student": student, "timeline": page})
    context = {
        "student": student,
        "header": selectors.file_header(student=student, sections=sections),
        "sections": sections,
        "timeline": page,
        "panels": panels_for(request, student, sections),
        "today": timezone.localdate(),
        "show_consents": Section.TOESTEMMING in sections,
        "show_partners": Section.NETWERK in sections,
        "can_edit": access.can(request.user, "student.edit", student),
        "can_manage_consent": access.can(request.user, "student.manage_consent", student),
        "can_give_consent": access.can(request.user, "student.give_consent", student),
        # Closed after a handover: read-only here (carecoord/access/handovers.py).
        "file_closed": student.file_closed,
        "can_manage_partners": access.can(request.user, "student.manage_partners", student),
        "can_view_access_log": access.can(request.user, "student.view_access_log", student),
        "can_set_support": access.can(request.user, "student.set_support_status", student),
    }
    return render(request, "students/student_file.html", context)


def student_edit(request, pk):
    student, _sections = _student(request, pk, "student.edit", section="gegevens wijzigen")
    # The form works on a copy, so the service can see what changed.
    form = StudentForm(posted(request), instance=Student.objects.get(pk=student.pk), school=student.school)
    if request.method == "POST" and form.is_valid():
        try:
            services.student_update(student=student, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect(student)
    return render(request, "students/form.html", {"student": student, "form": form, "title": _("Gegevens wijzigen")})


def student_leave(request, pk):
    student, _sections = _student(request, pk, "student.edit", section="uitschrijven")
    if not student.is_active:
        if request.method == "POST":
            services.student_return(student=student, actor=request.user)
            messages.success(request, _("De leerling is weer ingeschreven."))
        return redirect(student)
    form = LeaveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.student_leave(student=student, on=form.cleaned_data["left_on"], actor=request.user)
        messages.success(request, _("De leerling is uitgeschreven."))
        return redirect(student)
    return render(request, "students/form.html", {"student": student, "form": form, "title": _("Uitschrijven")})


def support_status_set(request, pk):
    student, _sections = _student(request, pk, "student.set_support_status", section="ondersteuning")
    form = SupportStatusForm(posted(request), initial={"status": student.support_status})
    if request.method == "POST" and form.is_valid():
        services.student_set_support_status(student=student, status=form.cleaned_data["status"], actor=request.user)
        messages.success(request, _("De ondersteuning is opgeslagen."))
        return redirect(student)
    return render(request, "students/form.html", {"student": student, "form": form, "title": _("Ondersteuning")})


def guardian_add(request, pk):
    student, _sections = _student(request, pk, "student.edit", section="ouders")
    form = GuardianForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.guardian_add(student=student, actor=request.user, **form.cleaned_data)
        messages.success(request, _("De ouder/verzorger is toegevoegd."))
        return redirect(student)
    return render(
        request, "students/form.html", {"student": student, "form": form, "title": _("Ouder/verzorger toevoegen")}
    )


def guardian_edit(request, pk, guardian_pk):
    student, _sections = _student(request, pk, "student.edit", log=False)
    guardian = get_object_or_404(Guardian, pk=guardian_pk, student=student)
    selectors.log_read(user=request.user, students=[student], section="ouders")
    form = GuardianForm(posted(request), instance=guardian)
    if request.method == "POST" and form.is_valid():
        services.guardian_update(guardian=guardian, actor=request.user, **form.cleaned_data)
        messages.success(request, _("De ouder/verzorger is opgeslagen."))
        return redirect(student)
    return render(
        request, "students/form.html", {"student": student, "form": form, "title": _("Ouder/verzorger wijzigen")}
    )


def consent_add(request, pk):
    student, _sections = _student(request, pk, "student.give_consent", section="toestemming")
    form = ConsentForm(posted(request), request.FILES or None, student=student)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_give(student=student, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
            return redirect(student)
    return render(
        request,
        "students/consent_form.html",
        {"student": student, "form": form, "title": _("Toestemming vastleggen"), "is_16": student.is_16_or_older()},
    )


def consent_withdraw(request, pk, consent_pk):
    student, _sections = _student(request, pk, "student.manage_consent", log=False)
    consent = get_object_or_404(
        Consent.objects.visible_to(request.user).select_related("organisation"), pk=consent_pk, student=student
    )
    selectors.log_read(user=request.user, students=[student], section="toestemming")
    form = ConsentWithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(consent=consent, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("De toestemming is ingetrokken. Dit geldt meteen."))
        return redirect(student)
    return render(
        request,
        "students/form.html",
        {
            "student": student,
            "form": form,
            "title": _("Toestemming intrekken: %(scope)s") % {"scope": consent.scope_label},
        },
    )


def partner_link_add(request, pk):
    student, _sections = _student(request, pk, "student.manage_partners", section="partners")
    form = PartnerLinkForm(posted(request), student=student)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_link(student=student, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De partner is gekoppeld."))
            return redirect(student)
    return render(
        request, "students/partner_form.html", {"student": student, "form": form, "title": _("Partner koppelen")}
    )


@require_POST
def partner_link_end(request, pk, link_pk):
    student, _sections = _student(request, pk, "student.manage_partners", log=False)
    link = get_object_or_404(PartnerLink.objects.visible_to(request.user).active(), pk=link_pk, student=student)
    selectors.log_read(user=request.user, students=[student], section="partners")
    services.partner_unlink(link=link, actor=request.user)
    messages.success(request, _("De partner is niet meer betrokken."))
    return redirect(student)


def student_access_log(request, pk):
    """Wie heeft dit dossier ingezien? (coordinator and functional administrator)."""
    student, _sections = _student(request, pk, "student.view_access_log", section="leesregistratie")
    rows = FileAccess.objects.visible_to(request.user).filter(student=student).select_related("user")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    selectors.read_log_label(user=request.user, school=student.school_id, rows=page)
    return render(request, "students/access_log.html", {"student": student, "page": page})


@access.school_permission_required("school.view_access_log")
def school_access_log(request):
    """The school's read log, filterable by person, leerlingnummer, part and dates."""
    rows = FileAccess.objects.visible_to(request.user).filter(school=request.school).select_related("user", "student")
    filters = {key: request.GET.get(key, "").strip() for key in ("user", "student", "section", "from", "to")}
    if filters["user"]:
        rows = rows.filter(Q(user__name__icontains=filters["user"]) | Q(user__email__icontains=filters["user"]))
    if filters["student"]:
        rows = rows.filter(student__student_number=filters["student"])
    # A part is filtered and shown as the user may see it (a Meldcode read is "zorgmelding"
    # for whoever may not know of the Meldcode: carecoord/access/concerns.py).
    shown = selectors.read_log_sections(user=request.user, school=request.school)
    if filters["section"]:
        rows = rows.filter(section__in=shown.get(filters["section"], []))
    for key, lookup in (("from", "accessed_at__date__gte"), ("to", "accessed_at__date__lte")):
        if filters[key]:
            try:
                rows = rows.filter(**{lookup: timezone.datetime.fromisoformat(filters[key]).date()})
            except ValueError:
                messages.error(request, _("Deze datum klopt niet: %(value)s") % {"value": filters[key]})
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    # Which part of whose file was read says something about the pupil (a Meldcode read):
    # reading the read log is itself logged, for the pupils on this page.
    selectors.log_read(user=request.user, students=[row.student for row in page], section="leesregistratie")
    selectors.read_log_label(user=request.user, school=request.school, rows=page)
    return render(
        request, "students/school_access_log.html", {"page": page, "filters": filters, "sections": sorted(shown)}
    )


@access.school_permission_required("school.manage_classes")
def class_list(request):
    return render(request, "students/class_list.html", {"classes": selectors.school_classes(school=request.school)})


@access.school_permission_required("school.manage_classes")
def class_edit(request, pk=None):
    school_class = get_object_or_404(SchoolClass, pk=pk, school=request.school) if pk else None
    form = SchoolClassForm(posted(request), instance=school_class, school=request.school)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        mentors = data.pop("mentors")
        services.school_class_save(
            school=request.school, actor=request.user, instance=school_class, mentors=mentors, **data
        )
        messages.success(request, _("De klas is opgeslagen."))
        return redirect("students:class_list")
    return render(
        request,
        "students/class_form.html",
        {"form": form, "title": _("Klas %(name)s") % {"name": school_class.name} if school_class else _("Nieuwe klas")},
    )
