"""Views of the referrals to external partners (doorverwijzingen).

Fetched through `ExternalReferral.objects.visible_to(user)`: a partner outside their
referrals, or without active consent, gets 404, as does another school's coordinator.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.access import plans as plan_access
from carecoord.forms import posted
from students.selectors import log_read, student_for_file

from . import selectors, services
from .forms import AcceptForm, DeclineForm, EndForm, ExternalReferralForm
from .models import ExternalReferral, ExternalState
from .view_common import fetch, form_saved


def referral_list(request):
    if request.school is None or not access.can(request.user, "school.list_external_referrals", request.school):
        raise PermissionDenied
    coordinator = access.can(request.user, "school.plan_tasks", request.school)
    rows = list(selectors.external_referrals_for(user=request.user, school=request.school))
    log_read(user=request.user, students=[r.student for r in rows], section="doorverwijzingen")
    return render(request, "plans/referral_list.html", {"referrals": rows, "coordinator": coordinator})


def referral_add(request, pk):
    student, _sections = student_for_file(user=request.user, pk=pk, log=False)
    if not access.can(request.user, "student.refer_external", student):
        raise PermissionDenied
    log_read(user=request.user, students=[student], section="doorverwijzing")
    form = ExternalReferralForm(posted(request), organisations=plan_access.external_organisations(student.school))
    done = form_saved(
        request,
        form,
        lambda: services.external_referral_send(student=student, actor=request.user, **form.cleaned_data),
        success=_("De doorverwijzing is verstuurd."),
    )
    if done is not None:
        return done
    title = _("Doorverwijzen naar een externe partner")
    return render(request, "plans/form.html", {"student": student, "form": form, "title": title})


def _referral(request, pk, action="external_referral.read"):
    referrals = ExternalReferral.objects.visible_to(request.user).select_related(
        "school", "student", "student__school_class", "organisation", "sent_by", "answered_by"
    )
    return fetch(request, referrals, pk, action)


def referral_detail(request, pk, forms=None):
    found = _referral(request, pk)
    log_read(user=request.user, students=[found.student], section="doorverwijzing")
    partner_side = access.can(request.user, "external_referral.respond", found)
    if not partner_side and found.state == ExternalState.DECLINED and not found.decline_seen_at:
        services.external_referral_decline_seen(referral=found)
    forms = forms or {}
    sent = found.state == ExternalState.SENT
    context = {
        "ref": found,
        "partner_side": partner_side,
        "accept_form": forms.get("accept") or (AcceptForm() if partner_side and sent else None),
        "decline_form": forms.get("decline") or (DeclineForm() if partner_side and sent else None),
        "end_form": forms.get("end") or (EndForm() if partner_side and found.state == ExternalState.ACCEPTED else None),
    }
    return render(request, "plans/referral_detail.html", context, status=400 if forms else 200)


def _respond(request, pk, form_class, call, success, key):
    found = _referral(request, pk, "external_referral.respond")
    form = form_class(request.POST)
    done = form_saved(request, form, lambda: call(found, form), success=success, then=found)
    return done if done is not None else referral_detail(request, pk, forms={key: form})


@require_POST
def referral_accept(request, pk):
    return _respond(
        request,
        pk,
        AcceptForm,
        lambda ref, form: services.external_referral_accept(referral=ref, actor=request.user, **form.cleaned_data),
        _("De doorverwijzing is geaccepteerd."),
        "accept",
    )


@require_POST
def referral_decline(request, pk):
    return _respond(
        request,
        pk,
        DeclineForm,
        lambda ref, form: services.external_referral_decline(referral=ref, actor=request.user, **form.cleaned_data),
        _("De doorverwijzing is afgewezen; de school ziet de reden."),
        "decline",
    )


@require_POST
def referral_end(request, pk):
    return _respond(
        request,
        pk,
        EndForm,
        lambda ref, form: services.external_referral_end(referral=ref, actor=request.user, **form.cleaned_data),
        _("De hulp is afgerond."),
        "end",
    )
