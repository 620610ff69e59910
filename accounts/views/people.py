from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from carecoord import access
from carecoord.access import accounts as account_access
from carecoord.access import concerns as concern_access
from carecoord.forms import add_service_errors, posted

from .. import selectors, services, twofactor
from ..forms import HolidayForm, NewPasswordForm, ResetForm, SchoolSettingsForm, StaffAddForm, StaffRolesForm
from ..models import HolidayPeriod, Membership, School, User
from ..tokens import password_link_tokens
from ..words import role_label


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    token_generator = password_link_tokens  # a reset link, or a returning colleague's
    success_url = reverse_lazy("password_reset_complete")


def two_factor_setup(request):
    """Enrol a second factor: forced at first sign-in for the roles that need it
    (TwoFactorRequiredMiddleware sends them here), open to everyone else too."""
    from allauth.mfa.models import Authenticator

    from carecoord.access.twofactor import two_factor_required

    if twofactor.second_factor_passed(request) and twofactor.has_second_factor(request.user):
        return redirect("mfa_index")
    if Authenticator.objects.filter(user=request.user).exclude(type=Authenticator.Type.RECOVERY_CODES).exists():
        # A device exists but this session has not used it: ask for the code instead.
        return redirect("mfa_reauthenticate")
    return render(request, "accounts/two_factor_setup.html", {"required": two_factor_required(request.user)})


@require_POST
def school_switch(request):
    """Work in another of your schools. A school that is not yours does not exist (404)."""
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        raise Http404 from None
    if school_id not in access.school_ids(request.user):
        raise Http404
    services.school_switch(request=request, school=get_object_or_404(School, pk=school_id))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "home"
    return redirect(next_url)


@login_not_required
def set_language(request):
    """Django's language switch, remembered on the account for e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in {"nl", "en"} and request.user.language != language:
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


@access.school_permission_required("school.manage_users")
def staff_list(request):
    staff = list(selectors.school_staff(school=request.school))
    invitations = list(selectors.school_invitations(school=request.school))
    # Roles held here that open nothing since the school's type changed (an IB'er at a VO
    # school) are marked, so the beheerder sees whom to give another role.
    account_access.mark_what_does_not_count(
        request.school,
        memberships=[membership for person in staff for membership in person.school_memberships],
        invitations=invitations,
    )
    # An open invitation whose sender may no longer invite (left, or no longer beheerder) is
    # marked: sending it again puts it on the beheerder's name and makes it work.
    account_access.mark_invitations_not_backed(invitations)
    return render(
        request,
        "accounts/staff_list.html",
        {
            "staff": staff,
            "partners": request.school.partner_organisations.all(),
            "invitations": invitations,
        },
    )


@access.school_permission_required("school.manage_users")
def staff_add(request):
    form = StaffAddForm(posted(request), school=request.school)
    if request.method == "POST" and form.is_valid():
        try:
            user, invitation = services.invitation_create(
                school=request.school, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if invitation is None and user.reactivated:
                messages.success(
                    request,
                    _(
                        "%(name)s had een uitgeschakeld account. Het is weer ingeschakeld en heeft de rollen "
                        "gekregen; %(name)s krijgt een e-mail met een link om een nieuw wachtwoord te kiezen "
                        "(het oude werkt niet meer)."
                    )
                    % {"name": user.name},
                )
            elif invitation is None:
                messages.success(
                    request, _("%(name)s had al een account en heeft de rollen nu gekregen.") % {"name": user.name}
                )
            else:
                messages.success(
                    request, _("%(name)s is uitgenodigd; de link werkt zeven dagen.") % {"name": user.name}
                )
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "title": _("Medewerker uitnodigen")})


@require_POST
def staff_deactivate(request, user_id):
    """A leaver: their roles at the school where you are functioneel beheerder end at once."""
    membership = (
        Membership.objects.visible_to(request.user)
        .filter(user_id=user_id, school=request.school)
        .select_related("user", "school")
        .first()
    )
    if membership is None:
        # Clicked again (without JavaScript nothing stops a second click; or the back
        # button): the first click was saved, so the staff list says so, not an error page.
        return _already_left(request, user_id)
    person = membership.user
    if not access.can(request.user, "user.deactivate", person):
        raise PermissionDenied
    try:
        switched_off = services.staff_deactivate(school=membership.school, user=person, actor=request.user)
    except ValidationError:
        # The other click of a double click took the roles away while this one waited.
        return _already_left(request, user_id)
    messages.success(request, _left_school_message(person, switched_off, membership.school))
    return redirect("accounts:staff_list")


def _already_left(request, user_id, school=None):
    """The answer to "Uitschakelen" (or to saving no role at all) for someone who has already
    left `school` (the school you work in unless given). Only a former colleague of that
    school is named (`leavers_q`); any other id stays a 404."""
    person = _leaver(request, user_id, request.school if school is None else school)
    if person is None:
        raise Http404
    if person.is_active:  # still working at another school
        text = _("%(name)s heeft al geen rol meer op deze school.")
    else:
        text = _("%(name)s is al uitgeschakeld.")
    messages.info(request, text % {"name": person.name})
    return redirect("accounts:staff_list")


def _leaver(request, user_id, school):
    """The former colleague `user_id` of `school` whom `request.user` may still find, or None."""
    return User.objects.filter(account_access.leavers_q(request.user, school), pk=user_id).first()


def _posted_school_id(request) -> int | None:
    """The school whose roles page was saved (its hidden field), None for a GET or a post
    without it."""
    if request.method != "POST":
        return None
    try:
        return int(request.POST.get("school", ""))
    except ValueError:
        return None


def _left_school_message(person, switched_off: bool, school) -> str:
    if not concern_access.unreachable_recipients(school).exists():
        # Nobody to hand the work to: it waits for the next zorgcoördinator (work_waiting_handed_on).
        if switched_off:
            text = _(
                "%(name)s is uitgeschakeld: inloggen kan niet meer. Deze school heeft geen zorgcoördinator: open "
                "taken, afspraken en acties van %(name)s wachten tot iemand die rol krijgt en gaan dan naar die persoon."
            )
        else:
            text = _(
                "%(name)s heeft geen rol meer op deze school. Deze school heeft geen zorgcoördinator: open taken, "
                "afspraken en acties van %(name)s wachten tot iemand die rol krijgt en gaan dan naar die persoon."
            )
    elif switched_off:
        text = _("%(name)s is uitgeschakeld: inloggen kan niet meer, open taken gaan naar de zorgcoördinator.")
    else:
        text = _("%(name)s heeft geen rol meer op deze school; open taken gaan naar de zorgcoördinator.")
    return text % {"name": person.name}


def staff_edit(request, user_id):
    """Set someone's roles at one school. Only people with a role at a school where you
    are functional administrator exist here; the roles shown are those at that school."""
    memberships = (
        Membership.objects.visible_to(request.user)
        .filter(user_id=user_id)
        .select_related("user", "school")
        .order_by("school__name")
    )
    posted_school = _posted_school_id(request)
    if posted_school is not None:
        # Saved from the roles page of one school: it is that school's roles, never another's.
        membership = memberships.filter(school_id=posted_school).first()
        if membership is None:
            # Saved again (a double click without JavaScript, or the back button) after
            # nothing ticked took the person off that school: the first save was done.
            return _already_left(request, user_id, school=posted_school)
    else:
        membership = memberships.filter(school=request.school).first() or memberships.first()
    if membership is None and request.method == "POST":
        return _already_left(request, user_id)  # a page from before the hidden field
    if membership is None:
        raise Http404
    school, person = membership.school, membership.user
    current = list(Membership.objects.filter(user=person, school=school).values_list("role", flat=True))
    form = StaffRolesForm(posted(request), initial={"roles": current}, school=school)
    if request.method == "POST" and form.is_valid():
        roles = form.cleaned_data["roles"]
        try:
            if not roles and not access.can(request.user, "user.deactivate", person):
                # No role left is leaving the school (the leaver's steps): the same right.
                raise ValidationError(_("Je kunt %(name)s niet van deze school halen.") % {"name": person.name})
            saved = services.staff_roles_set(school=school, user=person, roles=roles, actor=request.user)
        except ValidationError as exc:
            if not roles and _leaver(request, person.pk, school) is not None:
                # The other save of a double click took the roles away while this one waited.
                return _already_left(request, user_id, school=school.pk)
            form.add_error(None, exc)
        else:
            if not roles:
                messages.success(request, _left_school_message(person, saved.switched_off, school))
            else:
                messages.success(request, _("De rollen van %(name)s zijn opgeslagen.") % {"name": person.name})
            if saved.handed_on:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s open taak of actie die %(name)s met deze rollen niet meer kan openen, is "
                        "doorgegeven aan de zorgcoördinator (een Meldcode-casus aan de aandachtsfunctionaris).",
                        "%(count)s open taken en acties die %(name)s met deze rollen niet meer kan openen, zijn "
                        "doorgegeven aan de zorgcoördinator (een Meldcode-casus aan de aandachtsfunctionaris).",
                        saved.handed_on,
                    )
                    % {"count": saved.handed_on, "name": person.name},
                )
            return redirect("accounts:staff_list")
    return render(
        request,
        "accounts/staff_form.html",
        {
            "form": form,
            "title": _("Rollen van %(name)s") % {"name": person.name},
            "person": person,
            "school": school,
            "two_factor": selectors.two_factor_status(user=person),
            "can_reset_two_factor": access.can(request.user, "user.reset_two_factor", person),
            "can_deactivate": school == request.school and access.can(request.user, "user.deactivate", person),
        },
    )


@require_POST
def staff_two_factor_reset(request, user_id):
    """Lost phone or key: remove the person's second factor so they enrol again (recorded)."""
    membership = Membership.objects.visible_to(request.user).filter(user_id=user_id).select_related("user").first()
    if membership is None:
        raise Http404
    person = membership.user
    if not access.can(request.user, "user.reset_two_factor", person):
        raise PermissionDenied
    services.mfa_reset(user=person, actor=request.user)
    messages.success(
        request,
        _(
            "De tweestapsverificatie van %(name)s is gereset. Bij de volgende keer inloggen stelt %(name)s hem opnieuw in."
        )
        % {"name": person.name},
    )
    return redirect("accounts:staff_edit", user_id=person.pk)


@access.school_permission_required("school.manage_settings")
def school_settings(request):
    school = request.school
    form = SchoolSettingsForm(request.POST or None, instance=school, prefix="school")
    holiday_form = HolidayForm(prefix="holiday", instance=HolidayPeriod(school=school))
    if request.method == "POST" and "holiday-name" in request.POST:
        holiday_form = HolidayForm(request.POST, prefix="holiday", instance=HolidayPeriod(school=school))
        form = SchoolSettingsForm(instance=school, prefix="school")
        if holiday_form.is_valid():
            services.holiday_add(school=school, actor=request.user, **holiday_form.cleaned_data)
            messages.success(request, _("De vrije dag is toegevoegd."))
            return redirect("accounts:school_settings")
    elif request.method == "POST" and form.is_valid():
        services.school_update(school=school, actor=request.user, **form.cleaned_data)
        messages.success(request, _("De instellingen zijn opgeslagen."))
        warn_roles_that_do_not_count(request, school)
        return redirect("accounts:school_settings")
    return render(
        request,
        "accounts/school_settings.html",
        {"form": form, "holiday_form": holiday_form, "holidays": selectors.school_calendar(school=school)},
    )


def warn_roles_that_do_not_count(request, school) -> bool:
    """After the school's type changed: who holds a role that opens nothing there now (an
    IB'er at a school that became VO), and which open invitations name one. Nobody's roles
    are taken away: the beheerder decides (another role; withdraw and invite again). Also
    said to applicatiebeheer after it changes the type (region.school_edit). Returns whether
    there was anything to say."""
    people, invitations = selectors.roles_that_do_not_count(school=school)
    if people:
        names = "; ".join(
            f"{person.name} ({person.email}: {', '.join(role_label(role, school) for role in roles)})"
            for person, roles in people
        )
        messages.warning(
            request,
            ngettext(
                "%(count)s medewerker heeft een rol die bij %(school)s niet past en daar niets opent: %(people)s. "
                "Geef een andere rol op de pagina van de medewerker.",
                "%(count)s medewerkers hebben een rol die bij %(school)s niet past en daar niets opent: %(people)s. "
                "Geef een andere rol op de pagina van de medewerker.",
                len(people),
            )
            % {"count": len(people), "school": school.name, "people": names},
        )
    if invitations:
        addresses = "; ".join(
            f"{invitation.user.email} ({', '.join(role_label(role, school) for role in invitation.invited_roles)})"
            for invitation in invitations
        )
        messages.warning(
            request,
            ngettext(
                "%(count)s open uitnodiging noemt een rol die bij %(school)s niet past: %(invitations)s. Trek de "
                "uitnodiging in en nodig opnieuw uit met een andere rol.",
                "%(count)s open uitnodigingen noemen een rol die bij %(school)s niet past: %(invitations)s. Trek de "
                "uitnodigingen in en nodig opnieuw uit met een andere rol.",
                len(invitations),
            )
            % {"count": len(invitations), "school": school.name, "invitations": addresses},
        )
    return bool(people or invitations)


@require_POST
def holiday_remove(request, pk):
    holiday = get_object_or_404(HolidayPeriod.objects.visible_to(request.user), pk=pk)
    services.holiday_remove(holiday=holiday, actor=request.user)
    messages.success(request, _("De vrije dag is verwijderd."))
    return redirect("accounts:school_settings")
