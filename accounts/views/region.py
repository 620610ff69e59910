"""Applicatiebeheer (schools, partner organisations, the onboarding log), invitations
(resend, revoke, accept) and a partner contact person's own professionals (invite, switch
off a leaver)."""

from functools import wraps
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import values_of
from carecoord import access
from carecoord.access import accounts as account_access
from carecoord.access import region as region_access
from carecoord.forms import add_service_errors, posted
from carecoord.links import REOPEN_LINK, secret_from_link

from .. import selectors, services
from ..forms import InvitationAcceptForm, OrganisationForm, PersonInviteForm, SchoolForm
from ..models import Invitation, Organisation, School, User
from ..region_log import log_rows
from ..services.invitations import invitation_closed_message, invitation_for_token, roles_left_out_message
from ..services.region import SCHOOL_FIELDS
from .people import warn_roles_that_do_not_count

PER_PAGE = 50


def region_required(view):
    """Applicatiebeheer only (403 for everyone else)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.can(request.user, "region.manage"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@region_required
def region_home(request):
    return render(
        request,
        "accounts/region/home.html",
        {"schools": selectors.region_schools(), "organisations": selectors.region_organisations()},
    )


@region_required
def school_add(request):
    form = SchoolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is toegevoegd. Nodig nu de functioneel beheerder uit.") % {"name": school.name}
            )
            return redirect("accounts:region_school", pk=school.pk)
    return render(request, "accounts/region/form.html", {"form": form, "title": _("School toevoegen")})


def school_edit(request, pk):
    """Applicatiebeheer corrects a school it added (name, type, BRIN code, region, holiday
    region) with the checks of adding one. After a change of type it hears what the school's
    beheerder hears: who holds a role that no longer counts there."""
    school = School.objects.filter(pk=pk).first()
    # Asked before a missing school is a 404: someone refused learns nothing of which ids exist.
    if not access.can(request.user, "region.edit_school", school):
        raise PermissionDenied
    if school is None:
        raise Http404
    # Bound to the stored values, not to `school`: a refused post leaves the page's title and
    # breadcrumb with the school's name as stored, and the form with what was typed.
    form = SchoolForm(posted(request), initial=values_of(school, SCHOOL_FIELDS), submit=_("Opslaan"))
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_edit(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": school.name})
            if warn_roles_that_do_not_count(request, school):
                messages.info(
                    request,
                    _(
                        "Geef dit door aan de functioneel beheerder van %(school)s: alleen die kan de rollen en "
                        "uitnodigingen daar aanpassen."
                    )
                    % {"school": school.name},
                )
            return redirect("accounts:region_school", pk=school.pk)
    return render(
        request,
        "accounts/region/form.html",
        {
            "form": form,
            "title": _("Gegevens van %(name)s wijzigen") % {"name": school.name},
            "parent": (school.name, reverse("accounts:region_school", args=[school.pk])),
        },
    )


@region_required
def region_school(request, pk):
    """A school as applicatiebeheer sees it: its functioneel beheerders and their invitations
    (no pupils, no other staff), and the form to invite its (first) functioneel beheerder."""
    school = get_object_or_404(School, pk=pk)
    form = PersonInviteForm(posted(request), submit=_("Functioneel beheerder uitnodigen"))
    if request.method == "POST" and form.is_valid():
        try:
            user, invitation = services.invitation_create(
                actor=request.user, school=school, roles=region_access.first_administrator_roles(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _invited_message(request, user, invitation)
            return redirect("accounts:region_school", pk=school.pk)
    return render(
        request,
        "accounts/region/school.html",
        {
            "school": school,
            "form": form,
            "can_edit": access.can(request.user, "region.edit_school", school),
            "administrators": selectors.school_administrators(school=school),
            "invitations": _marked(selectors.administrator_invitations(school=school)),
        },
    )


def _invited_message(request, user, invitation):
    if invitation is None and user.reactivated:
        messages.success(
            request,
            _(
                "%(email)s had een uitgeschakeld account. Het is weer ingeschakeld en heeft de rol gekregen; er is "
                "een link verstuurd om een nieuw wachtwoord te kiezen (het oude werkt niet meer)."
            )
            % {"email": user.email},
        )
    elif invitation is not None and not user.is_active:
        messages.success(
            request,
            _(
                "%(email)s was uitgeschakeld en is opnieuw uitgenodigd; de link werkt zeven dagen. Na het aannemen "
                "(met een nieuw wachtwoord) kan %(email)s weer inloggen, met de eigen tweestapsverificatie."
            )
            % {"email": user.email},
        )
    elif invitation is None:
        messages.success(
            request, _("%(email)s had al een account en heeft de rol nu gekregen.") % {"email": user.email}
        )
    else:
        messages.success(request, _("De uitnodiging is verstuurd naar %(email)s.") % {"email": user.email})


@region_required
def organisation_edit(request, pk=None):
    organisation = get_object_or_404(Organisation, pk=pk) if pk else None
    form = OrganisationForm(posted(request), instance=organisation or Organisation())
    invite_form = PersonInviteForm(prefix="contact", submit=_("Contactpersoon uitnodigen"))
    if request.method == "POST" and "contact-email" in request.POST and organisation is not None:
        invite_form = PersonInviteForm(request.POST, prefix="contact", submit=_("Contactpersoon uitnodigen"))
        form = OrganisationForm(instance=organisation)
        if invite_form.is_valid():
            try:
                services.organisation_contact_invite(
                    actor=request.user, organisation=organisation, **invite_form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(invite_form, exc)
            else:
                messages.success(request, _("De contactpersoon is uitgenodigd."))
                return redirect("accounts:region_organisation", pk=organisation.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_save(
                actor=request.user,
                organisation=organisation,
                name=data["name"],
                kind=data["kind"],
                schools=data["schools"],
                contact=data.get("contact"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De partnerorganisatie is opgeslagen."))
            for school in organisation.schools_left:
                messages.info(
                    request,
                    _(
                        "%(organisation)s werkt niet meer met %(school)s: het open werk van haar professionals daar "
                        "(taken, afspraken, acties) staat nu bij de zorgcoördinator van %(school)s."
                    )
                    % {"organisation": organisation.name, "school": school.name},
                )
            return redirect("accounts:region_organisation", pk=organisation.pk)
    invitations = _marked(selectors.organisation_invitations(organisation=organisation)) if organisation else []
    return render(
        request,
        "accounts/region/organisation.html",
        {
            "organisation": organisation,
            "form": form,
            "invite_form": invite_form,
            "title": organisation.name if organisation else _("Partnerorganisatie toevoegen"),
            "invitations": invitations,
            "people": _professional_rows(request, organisation, invitations) if organisation else [],
        },
    )


@region_required
def region_log(request):
    """Who changed which school, partner organisation, role or invitation, and when."""
    page = Paginator(selectors.onboarding_log(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/region/log.html", {"page": page, "rows": log_rows(page.object_list)})


# --- Invitations -----------------------------------------------------------------------------


def _marked(invitations) -> list:
    """`invitations` as a list, each open one whose sender may no longer send it marked
    (`sender_cannot_invite`: the page says to send it again). No query per row."""
    invitations = list(invitations)
    account_access.mark_invitations_not_backed(invitations)
    return invitations


def _invitation(request, pk):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user).select_related("user"), pk=pk)
    if not access.can(request.user, "invitation.manage", invitation):
        raise PermissionDenied
    return invitation


def _back(request, fallback):
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(fallback)


@require_POST
def invitation_resend(request, pk):
    invitation = _invitation(request, pk)
    try:
        services.invitation_resend(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("De uitnodiging is opnieuw verstuurd naar %(email)s.") % {"email": invitation.user.email}
        )
    return _back(request, "accounts:staff_list")


@require_POST
def invitation_revoke(request, pk):
    invitation = _invitation(request, pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De uitnodiging aan %(email)s is ingetrokken.") % {"email": invitation.user.email})
    return _back(request, "accounts:staff_list")


# The secret of the invitation link opened in this browser (carecoord.links).
SESSION_INVITATION = "invitation_token"


@login_not_required
@secret_from_link(SESSION_INVITATION)
def invitation_accept(request, token):
    """The link in the invitation: choose a password; then sign in as usual (second step
    included). A used, revoked or expired link says so (410) and sets nothing. The password is
    always that of the invited account, also when someone else is signed in here. An open
    invitation whose sender may no longer send it says so before a password is typed (403),
    naming whom to ask: it works again once someone who may sends it again."""
    if not token:
        return _invitation_closed(request, REOPEN_LINK)
    invitation = invitation_for_token(token)
    if invitation is None or invitation.state != "open":
        return _invitation_closed(request, invitation_closed_message(invitation))
    if refusal := account_access.invitation_sender_refusal(invitation):
        return _invitation_closed(request, refusal, status=403)
    if request.method == "POST" and request.POST.get("invitation") != str(invitation.pk):
        # The page was of an invitation whose secret another one opened since replaced.
        return _invitation_closed(request, REOPEN_LINK)
    form = InvitationAcceptForm(invitation.user, posted(request), initial={"invitation": invitation.pk})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session.pop(SESSION_INVITATION, None)
            messages.success(request, _("Je account is klaar. Log in met je e-mailadres en je nieuwe wachtwoord."))
            if user.roles_left_out:
                messages.warning(request, roles_left_out_message(invitation, user.roles_left_out))
            return redirect("account_login")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


def _invitation_closed(request, message, status=410):
    return render(request, "accounts/invitation_closed.html", {"message": message}, status=status)


# --- A partner organisation's contact person -----------------------------------------------------


def professionals(request):
    """The contact person of a partner organisation invites its own professionals; they work
    at the schools the organisation works with (set by applicatiebeheer). Inviting the address
    of a switched-off professional of the organisation invites them back."""
    organisation = request.user.organisation
    if organisation is None or not access.can(request.user, "organisation.invite_professionals", organisation):
        raise PermissionDenied
    form = PersonInviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user, invitation = services.invitation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _invited_message(request, user, invitation)
            return redirect("accounts:professionals")
    invitations = _marked(selectors.organisation_invitations(organisation=organisation))
    return render(
        request,
        "accounts/professionals.html",
        {
            "organisation": organisation,
            "form": form,
            "people": _professional_rows(request, organisation, invitations),
            "invitations": invitations,
        },
    )


class ProfessionalRow(NamedTuple):
    person: User
    can_deactivate: bool  # switch off a leaver (not oneself)
    invited: bool  # an open invitation: new, or a switched-off professional invited back
    invitation_not_backed: bool  # that invitation's sender may no longer send it: send it again
    can_reinvite: bool  # switched off, not invited: one click sends the invitation form here


def _professional_rows(request, organisation, invitations):
    """The organisation's professionals, each with what the user may do with them.
    `invitations` are the organisation's (already fetched for the page): no extra query."""
    invited = {invitation.user_id for invitation in invitations if invitation.state == "open"}
    # Marked by the caller (`_marked`): an open invitation whose sender may no longer send it.
    not_backed = {invitation.user_id for invitation in invitations if invitation.sender_cannot_invite}
    # The one-click invitation posts the contact person's own invite form (the professionals
    # page); applicatiebeheer invites back through the organisation's contact person.
    own_page = request.user.organisation_id == organisation.pk and access.can(
        request.user, "organisation.invite_professionals", organisation
    )
    return [
        ProfessionalRow(
            person,
            person.is_active and access.can(request.user, "organisation.deactivate_professional", person),
            person.pk in invited,
            person.pk in not_backed,
            own_page and not person.is_active and person.pk not in invited,
        )
        for person in selectors.organisation_professionals(organisation=organisation)
    ]


@require_POST
def professional_deactivate(request, user_id):
    """A partner professional who leaves (the confirmation is asked on the button). Someone of
    another organisation does not exist here (404); oneself is refused (403)."""
    person = get_object_or_404(
        User.objects.filter(region_access.professionals_q(request.user)).select_related("organisation"), pk=user_id
    )
    if not access.can(request.user, "organisation.deactivate_professional", person):
        raise PermissionDenied
    fallback = (
        "accounts:professionals"
        if request.user.organisation_id == person.organisation_id
        else reverse("accounts:region_organisation", args=[person.organisation_id])
    )
    try:
        services.professional_deactivate(user=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "%(name)s is uitgeschakeld: inloggen kan niet meer. Open taken en afspraken gaan naar de "
                "zorgcoördinator van de school; meldingen die de organisatie behandelt, blijven bij de organisatie."
            )
            % {"name": person.name},
        )
    return _back(request, fallback)
