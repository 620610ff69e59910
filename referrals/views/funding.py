"""Views of a group arrangement's funding: the agreement, the worker's log of contacts
outside the room, and the funding report (contracted against delivered hours per month)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carecoord import exports
from carecoord.forms import add_service_errors, posted

from .. import forms, selectors, services
from ..models import GroupFunding
from ..services.funding import FUNDING_FIELDS
from .common import _facility, _facility_crumbs


def _crumbs(facility):
    from django.urls import reverse

    return [*_facility_crumbs(), (facility.name, reverse("referrals:facility_group", args=[facility.pk]))]


def facility_funding(request, pk):
    """Record or change the group's funding agreement (the latest one)."""
    facility = _facility(request, pk, "facility.manage_funding")
    funding = GroupFunding.objects.filter(facility=facility).order_by("-starts_on").first()
    initial = {}
    if funding is not None:
        initial = {f: getattr(funding, f) for f in FUNDING_FIELDS}
    form = forms.FundingForm(posted(request), facility=facility, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_save(facility=facility, actor=request.user, instance=funding, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De financiering is opgeslagen."))
            return redirect("referrals:facility_group", pk=facility.pk)
    return render(
        request,
        "referrals/referral_form.html",
        {"form": form, "title": _("Financiering van %(name)s") % {"name": facility.name}, "crumbs": _crumbs(facility)},
    )


def group_contact_add(request, pk):
    """The worker logs time with a family, the parents or the teacher (delivered hours)."""
    facility = _facility(request, pk, "facility.log_group_contact")
    form = forms.GroupContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.group_contact_log(facility=facility, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het contact is vastgelegd."))
            return redirect("referrals:facility_group", pk=facility.pk)
    return render(
        request,
        "referrals/referral_form.html",
        {"form": form, "title": _("Contact buiten de groep vastleggen"), "crumbs": _crumbs(facility)},
    )


FUNDING_COLUMNS = [
    exports.Column("groep"),
    exports.Column("financier"),
    exports.Column("maand", text=True),
    exports.Column("schooldagen"),
    exports.Column("gecontracteerd (uren)"),
    exports.Column("in de groep (uren)"),
    exports.Column("contacten buiten de groep (uren)"),
    exports.Column("geleverd (uren)"),
    exports.Column("verschil (uren)"),
]


def facility_funding_export(request, pk, fmt=exports.CSV):
    """The funding report for the funder: per month, contracted against delivered hours.
    Figures of the group only, no pupils (so no read log)."""
    facility = _facility(request, pk, "facility.view_funding")
    report = selectors.funding_report(facility=facility)
    xlsx = fmt == exports.XLSX

    def number(value):
        if value is None:
            return ""
        return round(value, 2) if xlsx else f"{value:.2f}".replace(".", ",")

    funder = ""
    if report.funding is not None:
        funder = report.funding.funder_name or report.funding.get_funder_display()
    rows = [
        [
            facility.name,
            funder,
            f"{m.month:%m-%Y}",
            m.school_days,
            number(m.contracted),
            number(m.board),
            number(m.contacts),
            number(m.delivered),
            number(m.difference),
        ]
        for m in report.months
    ]
    return exports.export_response(
        fmt, filename=f"financiering-{facility.pk}", columns=FUNDING_COLUMNS, rows=rows, sheet_title="Financiering"
    )
