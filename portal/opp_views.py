"""The groeidocument/OPP in the parents' portal: a shared version, "onze kijk" on it and the
instemming with its handelingsdeel. Same door as the other participant pages: the
participant through `selectors.participant_for` (404), the version through the rule
`participant.read_opp_version` (404: another child's OPP or an unshared version never
shows), the read log with the parent as reader, then a service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carecoord import access
from carecoord.forms import add_service_errors, posted
from plans.models import PlanVersion
from students.selectors import log_read

from . import selectors, services
from .forms import OppViewForm
from .views import participant_required


def _shared_version(request, pk, version_pk):
    participant = selectors.participant_for(user=request.user, student_id=pk)
    version = PlanVersion.objects.select_related("plan", "consent_by_guardian").filter(pk=version_pk).first()
    if (
        version is None
        or not access.can(request.user, "participant.read_opp_version", version)
        or version.plan.student_id != participant.student_id
    ):
        raise Http404
    version.plan.student = participant.student
    return participant, version


@participant_required
def opp_version(request, pk, version_pk):
    participant, version = _shared_version(request, pk, version_pk)
    log_read(user=request.user, students=[participant.student], section="ouderportaal opp")
    own = selectors.own_opp_views(participant, [version]).get(version.pk)
    form = OppViewForm(posted(request), initial={"text": own.text if own else ""})
    if request.method == "POST" and version.is_draft and form.is_valid():
        try:
            services.opp_view_save(
                participant=participant, version=version, text=form.cleaned_data["text"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Je kijk op het plan is opgeslagen. De school ziet hem bij het OPP."))
            return redirect("portal:opp_version", pk, version.pk)
    return render(
        request,
        "portal/opp.html",
        {
            "participant": participant,
            "student": participant.student,
            "version": version,
            "form": form,
            "own": own,
            "can_agree": access.can(request.user, "participant.agree_plan", participant),
        },
    )


@require_POST
@participant_required
def opp_agree(request, pk, version_pk):
    participant, version = _shared_version(request, pk, version_pk)
    try:
        services.opp_agree(participant=participant, version=version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Je instemming met het handelingsdeel is vastgelegd. De school ziet het."))
    return redirect("portal:opp_version", pk, version.pk)
