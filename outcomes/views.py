"""The outcome figures: the school leader's dashboard and its export, a pupil's before /
during / after on the placement, the school-year funnel and the region view for the
samenwerkingsverband. Figures views read from the replica (carecoord/dbrouter.py)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord import access, exports
from carecoord.access import outcomes as outcome_access
from carecoord.dbrouter import figures_from_replica
from referrals.models import Facility, Placement
from students.selectors import log_read

from .selectors import funding, funnel, leader, pupil, region

DASHBOARD_COLUMNS = [exports.Column(_("Onderdeel")), exports.Column(_("Omschrijving")), exports.Column(_("Waarde"))]


@access.school_permission_required("school.view_outcomes")
@figures_from_replica
def dashboard(request):
    """Where the school stands this school year: figures without names, small numbers "< 5"."""
    dash = leader.leader_dashboard(school=request.school)
    can_compare = access.can(request.user, "school.compare_with_region", request.school)
    return render(request, "outcomes/dashboard.html", {"dash": dash, "can_compare": can_compare})


@access.school_permission_required("school.view_outcomes")
@figures_from_replica
def dashboard_export(request):
    """The dashboard's figures as a workbook: the same suppressed figures, no names (no read log)."""
    dash = leader.leader_dashboard(school=request.school)
    return exports.export_response(
        exports.XLSX,
        filename=f"cijfers-{timezone.localdate():%Y-%m-%d}",
        columns=[exports.Column(str(c.title)) for c in DASHBOARD_COLUMNS],
        rows=list(dash.export_rows()),
        sheet_title="Cijfers",
    )


@access.school_permission_required("school.view_outcomes")
@figures_from_replica
def school_year_funnel(request):
    """The school year in steps, beside the previous one: figures without names."""
    result = funnel.school_funnel(school=request.school, today=timezone.localdate())
    rows = [
        (this, previous, difference)
        for this, previous, difference in zip(result.this.steps, result.previous.steps, result.differences, strict=True)
    ]
    outcomes = list(zip(result.this.outcomes, result.previous.outcomes, strict=True))
    times = list(zip(result.this.times, result.previous.times, strict=True))
    return render(
        request,
        "outcomes/funnel.html",
        {"funnel": result, "rows": rows, "outcomes": outcomes, "times": times, "computed_at": timezone.now()},
    )


@figures_from_replica
def placement_outcome(request, pk):
    """Did it help this pupil? Absence per school week before, during and after the
    placement, concerns per month, the point card, with the placement's events and the OT
    decisions the viewer may see marked. The pupil's own figures: read-logged."""
    placement = get_object_or_404(
        Placement.objects.visible_to(request.user).select_related("student__school", "facility"), pk=pk
    )
    if not access.can(request.user, "placement.view_outcome", placement):
        raise PermissionDenied
    outcome = pupil.pupil_outcome(placement=placement, viewer=request.user)
    log_read(user=request.user, students=[placement.student], section="plaatsing voor-tijdens-na")
    return render(request, "outcomes/placement_outcome.html", {"placement": placement, "out": outcome})


def _swv_organisation(request):
    organisation = request.user.organisation if request.user.organisation_id else None
    if not access.can(request.user, "organisation.view_region_outcomes", organisation):
        raise PermissionDenied
    return organisation


@figures_from_replica
def region_view(request):
    """For the samenwerkingsverband: its schools side by side, in total and the median
    school. No names, small numbers suppressed."""
    organisation = _swv_organisation(request)
    figures = region.region_figures(organisation=organisation, schools=outcome_access.region_schools(organisation))
    return render(request, "outcomes/region.html", {"figures": figures})


@figures_from_replica
def region_export(request):
    organisation = _swv_organisation(request)
    figures = region.region_figures(organisation=organisation, schools=outcome_access.region_schools(organisation))

    def v(cell):
        return str(cell) if cell.suppressed or cell.value is None else cell.value

    rows = [[row.label, *[v(c) for c in row.cells]] for row in figures.schools]
    rows.append([str(_("Totaal")), *[v(c) for c in figures.total]])
    rows.append([str(_("Mediaan van de scholen")), *[v(c) for c in figures.median]])
    return exports.export_response(
        exports.XLSX,
        filename=f"regiocijfers-{timezone.localdate():%Y-%m-%d}",
        columns=[exports.Column(str(_("School"))), *[exports.Column(c) for c in figures.columns]],
        rows=rows,
        sheet_title="Regio",
    )


@access.school_permission_required("school.compare_with_region")
@figures_from_replica
def region_compare(request):
    """The school's own row against the region's median (never another school's row)."""
    organisation = outcome_access.region_of(request.school)
    comparison = region.school_against_region(school=request.school, organisation=organisation)
    return render(request, "outcomes/region_compare.html", {"comparison": comparison})


def _group(request, pk):
    facility = get_object_or_404(Facility.objects.visible_to(request.user).select_related("school"), pk=pk)
    if not access.can(request.user, "facility.view_funding", facility):
        raise PermissionDenied
    return facility


FUNDING_COLUMNS = [
    _("Maand"),
    _("Schooldagen"),
    _("Uren gecontracteerd"),
    _("Uren geleverd"),
    _("Verschil"),
    _("Leerlingen in de groep"),
]


@figures_from_replica
def group_funding(request, pk):
    """The funding report of a group arrangement: hours, pupils, outcomes per month (no names)."""
    facility = _group(request, pk)
    report = funding.group_funding_report(facility=facility)
    return render(request, "outcomes/group_funding.html", {"report": report, "facility": facility})


@figures_from_replica
def group_funding_export(request, pk, fmt):
    """The same report as XLSX or as a PDF for the funder."""
    facility = _group(request, pk)
    report = funding.group_funding_report(facility=facility)
    name = f"financiering-{facility.pk}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "pdf":
        from django.http import HttpResponse

        response = HttpResponse(funding.report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
    columns = [exports.Column(str(c)) for c in FUNDING_COLUMNS] + [exports.Column(c) for c in report.outcome_labels]
    return exports.export_response(
        exports.XLSX, filename=name, columns=columns, rows=list(funding.export_rows(report)), sheet_title="Financiering"
    )
