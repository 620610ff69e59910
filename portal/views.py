"""Views of the parents' portal and the school's side of it.

Participant pages fetch the participant through `selectors.participant_for` (404 for
another child, a revoked access, a guardian without gezag, a pupil who left), ask
`access.can` for the action, write the read log with the parent as reader, then call a
service. Staff pages fetch the pupil through `students.selectors.student_for_file`.
"""

from functools import wraps

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from carecoord import access
from carecoord.access.portal import is_participant
from carecoord.forms import add_service_errors, posted
from carecoord.links import REOPEN_LINK, secret_from_link
from meetings.models import AgendaItem
from plans.models import PlanVersion
from records.models import Document
from records.services import document_open
from referrals.models import Placement
from students.models import Consent
from students.selectors import log_read, student_for_file

from . import selectors, services
from .forms import APP_BUTTON, AppCodeForm, CodeForm, EmailForm, InviteForm, ParentViewForm, PlanAnswerForm
from .models import Participant

SESSION_EMAIL = "portal_code_email"
# The secret of an app being added, until its first code confirms it (then removed).
SESSION_APP_SECRET = "portal_app_secret"
# The token of the invitation link opened in this browser (carecoord.links).
SESSION_INVITATION = "portal_invitation_token"
BACKEND = "accounts.backends.AuthenticationBackend"


def participant_required(view):
    """Signed in as a participant: else to the portal's sign-in (anonymous) or 404 (staff)."""

    @login_not_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:signin')}?{urlencode({'next': request.get_full_path()})}")
        if not is_participant(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# --- Signing in --------------------------------------------------------------------------------------


@never_cache  # the portal's pages are never stored, signed in or not (a parent's shared computer)
@login_not_required
def signin(request):
    if request.user.is_authenticated and is_participant(request.user):
        return redirect("portal:home")
    form = EmailForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        app_code = form.cleaned_data["app_code"].strip()
        ip = get_client_ip_address(request) or ""
        if app_code or APP_BUTTON in request.POST:
            # The code from the participant's authenticator app instead of a mailed one.
            try:
                if not app_code:
                    raise ValidationError({"app_code": _("Vul de code uit je app in.")})
                user = services.login_app_verify(email=email, code=app_code, ip=ip)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                login(request, user, backend=BACKEND)
                request.session.pop(SESSION_EMAIL, None)
                return redirect("portal:home")
        else:
            try:
                services.login_code_request(email=email, ip=ip)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session[SESSION_EMAIL] = email.strip().lower()
                return redirect("portal:code")
    return render(request, "portal/signin.html", {"form": form})


@never_cache  # the portal's pages are never stored, signed in or not (a parent's shared computer)
@login_not_required
def code(request):
    email = request.session.get(SESSION_EMAIL)
    if not email:
        return redirect("portal:signin")
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_code_verify(email=email, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend=BACKEND)
            request.session.pop(SESSION_EMAIL, None)
            return redirect("portal:home")
    return render(request, "portal/code.html", {"form": form, "email": email})


@never_cache  # the portal's pages are never stored, signed in or not (a parent's shared computer)
@login_not_required
@secret_from_link(SESSION_INVITATION)
def invitation(request, token):
    """GET shows a button (mail scanners open links; only the person's click uses it),
    POST uses the link once and signs in as the invited participant (whoever was signed in)."""
    if not token:
        return render(request, "portal/invitation.html", {"error": REOPEN_LINK}, status=410)
    open_invitation = services.invitation_check(token=token)
    if request.method == "POST":
        if open_invitation is not None and request.POST.get("invitation") != str(open_invitation.pk):
            # The page was of an invitation whose token another one opened since replaced.
            return render(request, "portal/invitation.html", {"error": REOPEN_LINK}, status=410)
        try:
            participant = services.invitation_accept(token=token)
        except ValidationError as exc:
            return render(request, "portal/invitation.html", {"error": exc.messages[0]}, status=410)
        request.session.pop(SESSION_INVITATION, None)
        login(request, participant.user, backend=BACKEND)
        messages.success(request, _("Welkom. Voortaan log je in met je e-mailadres en een code die we je mailen."))
        return redirect("portal:child", participant.student_id)
    if open_invitation is None:
        return render(request, "portal/invitation.html", {"error": services.INVALID_INVITATION}, status=410)
    return render(request, "portal/invitation.html", {"invitation": open_invitation})


@participant_required
def app(request):
    """ "Inloggen met een app": add an authenticator app (secret as text and QR code, confirmed
    by a current code) or remove it. Shows no pupil (not in the read log); the timeline of
    each child gets the change."""
    if not access.can(request.user, "participant.manage_app", request.user):
        raise PermissionDenied
    current = services.app_of(request.user)
    if current is not None:
        if request.method == "POST" and "remove" in request.POST:
            services.app_remove(user=request.user)
            messages.success(request, _("De app is verwijderd. Je logt weer in met een code per e-mail."))
            return redirect("portal:app")
        return render(request, "portal/app.html", {"current": current})
    secret = request.session.get(SESSION_APP_SECRET) or services.app_secret_new()
    request.session[SESSION_APP_SECRET] = secret
    form = AppCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.app_add(user=request.user, secret=secret, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session.pop(SESSION_APP_SECRET, None)
            messages.success(request, _("De app is gekoppeld. Voortaan kun je inloggen met de code uit de app."))
            return redirect("portal:app")
    return render(
        request,
        "portal/app.html",
        {"form": form, "secret": secret, "secret_groups": _groups(secret), "qr": _qr_data_uri(request.user, secret)},
    )


def _groups(secret: str) -> str:
    # Blocks of four are easier to type over; authenticator apps ignore the spaces.
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_data_uri(user, secret: str) -> str:
    """The QR code as the staff page makes it (allauth's MFA adapter), as an image source:
    no inline SVG or script (CSP)."""
    import base64

    from allauth.mfa.adapter import get_adapter

    adapter = get_adapter()
    svg = adapter.build_totp_svg(adapter.build_totp_url(user, secret))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# --- The participant's pages -------------------------------------------------------------------------------


@participant_required
def home(request):
    children = selectors.children_of(request.user)
    if len(children) == 1:
        return redirect("portal:child", children[0].student_id)
    return render(request, "portal/home.html", {"children": children})


@participant_required
def child(request, pk):
    participant = selectors.participant_for(user=request.user, student_id=pk)
    student = participant.student
    choices, ended = selectors.consent_overview(student)
    items = list(selectors.shared_items(student))
    plans = list(selectors.shared_plans(student))
    log_read(user=request.user, students=[student], section="ouderportaal")
    now = timezone.now()
    return render(
        request,
        "portal/child.html",
        {
            "participant": participant,
            "student": student,
            "choices": choices,
            "ended": ended,
            "can_change_consent": access.can(request.user, "participant.change_consent", participant),
            "documents": selectors.shared_documents(student),
            "upcoming": [i for i in items if i.meeting.starts_at > now],
            "past": [i for i in items if i.meeting.starts_at <= now],
            "views": selectors.own_views(participant, items),
            "plans": plans,
            "answers": selectors.plan_answers(participant, plans),
            "opp_versions": selectors.shared_opp_versions(request.user, student),
            "professionals": selectors.professionals(student),
        },
    )


def _back(pk, anchor):
    return redirect(reverse("portal:child", args=[pk]) + anchor)


@require_POST
@participant_required
def consent_give(request, pk):
    participant = selectors.participant_for(user=request.user, student_id=pk)
    if not access.can(request.user, "participant.change_consent", participant):
        raise PermissionDenied
    organisation = None
    if request.POST.get("organisation"):
        organisation = Organisation.objects.filter(
            pk=request.POST["organisation"], schools=participant.student.school_id
        ).first()
        if organisation is None:
            raise Http404
    try:
        services.portal_consent_give(
            participant=participant,
            actor=request.user,
            organisation=organisation,
            purpose="" if organisation else request.POST.get("purpose", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Je toestemming is vastgelegd. Dank je wel."))
    return _back(pk, "#toestemming")


@require_POST
@participant_required
def consent_withdraw(request, pk, consent_pk):
    participant = selectors.participant_for(user=request.user, student_id=pk)
    if not access.can(request.user, "participant.change_consent", participant):
        raise PermissionDenied
    consent = get_object_or_404(Consent, pk=consent_pk, student_id=participant.student_id)
    try:
        services.portal_consent_withdraw(
            participant=participant, consent=consent, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Je toestemming is ingetrokken. Dat geldt vanaf nu."))
    return _back(pk, "#toestemming")


@participant_required
def item_view(request, pk, item_pk):
    participant = selectors.participant_for(user=request.user, student_id=pk)
    item = selectors.shared_items(participant.student).filter(pk=item_pk).first()
    if item is None:
        raise Http404
    log_read(user=request.user, students=[participant.student], section="ouderportaal overleg")
    own = selectors.own_views(participant, [item]).get(item.pk)
    closed = item.discussed_at is not None or item.meeting.starts_at <= timezone.now()
    form = ParentViewForm(posted(request), initial={"text": own.text if own else ""})
    if request.method == "POST" and not closed and form.is_valid():
        try:
            services.parent_view_save(
                participant=participant, item=item, text=form.cleaned_data["text"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Je kijk is opgeslagen. Het team leest hem voor het overleg."))
            return _back(pk, "#overleggen")
    return render(
        request,
        "portal/item.html",
        {
            "participant": participant,
            "student": participant.student,
            "item": item,
            "form": form,
            "own": own,
            "closed": closed,
        },
    )


@participant_required
def plan(request, pk, plan_pk):
    participant = selectors.participant_for(user=request.user, student_id=pk)
    placement = selectors.shared_plans(participant.student).filter(pk=plan_pk).first()
    if placement is None:
        raise Http404
    log_read(user=request.user, students=[participant.student], section="ouderportaal plan")
    can_answer = access.can(request.user, "participant.agree_plan", participant)
    answer = selectors.plan_answers(participant, [placement]).get(placement.pk)
    current = answer is not None and answer.plan_version == services.plan_version(placement)
    form = PlanAnswerForm(posted(request))
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.plan_answer(
                    participant=participant,
                    plan=placement,
                    agreed=form.cleaned_data["agreed"],
                    comment=form.cleaned_data["comment"],
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Je antwoord is vastgelegd en de school ziet het."))
                return _back(pk, "#plan")
    return render(
        request,
        "portal/plan.html",
        {
            "participant": participant,
            "student": participant.student,
            "placement": placement,
            "form": form,
            "can_answer": can_answer,
            "answer": answer,
            "answer_is_current": current,
        },
    )


@participant_required
def document_download(request, pk, document_pk):
    participant = selectors.participant_for(user=request.user, student_id=pk)
    document = selectors.shared_documents(participant.student).filter(pk=document_pk).first()
    if document is None:
        raise Http404
    handle = document_open(document)
    log_read(user=request.user, students=[participant.student], section="ouderportaal document")
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@participant_required
def access_log(request, pk):
    participant = selectors.participant_for(user=request.user, student_id=pk)
    log_read(user=request.user, students=[participant.student], section="ouderportaal inzage")
    return render(
        request,
        "portal/access_log.html",
        {"participant": participant, "student": participant.student, "lines": selectors.read_log(participant.student)},
    )


# --- The school's side ---------------------------------------------------------------------------------


def _staff_student(request, pk, action):
    student, _sections = student_for_file(user=request.user, pk=pk, log=False)
    if not access.can(request.user, action, student):
        raise PermissionDenied
    return student


def manage(request, pk):
    """The coordinator's page: who has access, invite, revoke, and what is shared."""
    student = _staff_student(request, pk, "student.invite_participant")
    log_read(user=request.user, students=[student], section="ouderportaal beheer")
    form = InviteForm(posted(request), student=student)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_invite(
                student=student, actor=request.user, guardian=form.guardian(), email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("De uitnodiging is verstuurd naar %(email)s.") % {"email": participant.user.email}
            )
            return redirect("portal:manage", student.pk)
    return render(
        request,
        "portal/manage.html",
        {
            "student": student,
            "form": form,
            "participants": selectors.participants_of(student),
            "shareables": selectors.shareables(student),
            "views": selectors.views_for_staff(student),
            "answers": selectors.answers_for_staff(student),
            "opp_views": selectors.opp_views_of(student),
        },
    )


@require_POST
def revoke(request, pk):
    participant = get_object_or_404(Participant.objects.select_related("student"), pk=pk)
    student, _sections = student_for_file(user=request.user, pk=participant.student_id, log=False)
    if not access.can(request.user, "participant.revoke", participant):
        raise PermissionDenied
    services.participant_revoke(participant=participant, actor=request.user)
    messages.success(request, _("De toegang is ingetrokken."))
    return redirect("portal:manage", student.pk)


# kind in the URL -> (model, the field that names the pupil)
SHAREABLE = {
    "document": (Document, "student"),
    "overleg": (AgendaItem, "student"),
    "plan": (Placement, "student"),
    "opp": (PlanVersion, "plan__student"),
}


@require_POST
def share(request, pk, kind, item_pk):
    student = _staff_student(request, pk, "student.share_with_participants")
    model, pupil_field = SHAREABLE.get(kind, (None, None))
    if model is None:
        raise Http404
    item = get_object_or_404(model, pk=item_pk, **{pupil_field: student})
    try:
        services.share_set(
            item=item,
            student=student,
            section=getattr(item, "section", ""),
            shared=request.POST.get("shared") == "1",
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    # The OPP version page shares its version in place (and comes back to it).
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(reverse("portal:manage", args=[student.pk]) + "#delen")
