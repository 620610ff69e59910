"""Writes of the parents' portal. Each service owns its transaction and writes the pupil's
timeline in it; consent goes through the students app's own services (the 16-year rule
lives there once)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from carecoord import access
from carecoord.access.portal import is_participant, is_school_account, may_be_shared
from carecoord.links import link_path
from students import services as student_services
from students.models import Consent, ConsentPurpose
from students.timeline import timeline_add

from ..models import Invitation, LoginCode, ParentView, Participant, PlanAgreement, Share

INVITATION_DAYS = 7
CODE_MINUTES = 10
CODE_TRIES = 5
# Code requests: per address and per IP address, within CODE_REQUEST_WINDOW.
CODE_REQUESTS_PER_ADDRESS = 3
CODE_REQUESTS_PER_IP = 10
CODE_REQUEST_WINDOW = timedelta(minutes=15)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(salt: str, code: str) -> str:
    return salted_hmac("portal.login_code", f"{salt}:{code}", algorithm="sha256").hexdigest()


def _actor_label(participant: Participant) -> str:
    return _("de leerling") if participant.is_pupil else _("ouder")


# --- Invitations ------------------------------------------------------------------------------


def participant_invite(*, student, actor, guardian=None, email: str = "") -> Participant:
    """Invite a guardian with gezag (or, without `guardian`, the pupil of 16 or older) to
    the portal: an account without a school role, a Participant row and a single-use link
    by e-mail (valid INVITATION_DAYS). Inviting again sends a new link; earlier links of
    this participant stop working."""
    email = (email or (guardian.email if guardian else "")).strip().lower()
    if not email:
        raise ValidationError({"email": _("Vul het e-mailadres in waarop de uitnodiging moet aankomen.")})
    if not student.is_active:
        raise ValidationError(_("Deze leerling staat niet meer ingeschreven."))
    if guardian is not None:
        if guardian.student_id != student.pk:
            raise ValidationError({"guardian": _("Deze ouder/verzorger hoort niet bij deze leerling.")})
        if not guardian.has_authority:
            raise ValidationError(
                {
                    "guardian": _("%(name)s heeft geen gezag en kan daarom niet worden uitgenodigd.")
                    % {"name": guardian.name}
                }
            )
    elif not student.is_16_or_older():
        raise ValidationError(
            {
                "guardian": _("%(name)s is jonger dan 16: nodig een ouder of verzorger met gezag uit.")
                % {"name": student.first_name}
            }
        )
    # A pupil's account carries their first name only: the e-mail delivery log (read by the
    # functioneel beheerder) lists recipients and must not name pupils (docs/read-log.md).
    name = guardian.name if guardian else student.first_name
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, name=name)
        elif is_school_account(user):
            # Staff and partners sign in with a password and a second factor; one account
            # cannot be both (the portal gate would shut them out of their work).
            raise ValidationError(
                {"email": _("Dit adres hoort bij een medewerker of partner. Gebruik een ander adres.")}
            )
        participant = Participant.objects.filter(user=user, student=student, revoked_at__isnull=True).first()
        if participant is None:
            participant = Participant.objects.create(user=user, student=student, guardian=guardian, invited_by=actor)
        elif participant.guardian_id != getattr(guardian, "pk", None):
            raise ValidationError(
                {"email": _("Dit adres heeft al toegang voor deze leerling als %(who)s.") % {"who": participant.label}}
            )
        now = timezone.now()
        participant.invitations.filter(used_at__isnull=True).update(expires_at=now)
        token = secrets.token_urlsafe(32)
        Invitation.objects.create(
            participant=participant,
            token_hash=_hash_token(token),
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        _mail(
            key=f"portal.invitation:{participant.pk}:{now.timestamp()}",
            user=user,
            kind="portal.invitation",
            template="portal/email/invitation",
            context={
                "school": student.school,
                "link": settings.SITE_URL + link_path("portal:invitation", token),
                "days": INVITATION_DAYS,
            },
            school=student.school,
        )
        timeline_add(student=student, kind="portal.invited", actor=actor, who=participant.label)
    return participant


def _mail(**kwargs):
    from notifications.services import notification_queue

    return notification_queue(
        key=kwargs["key"],
        recipient=kwargs["user"],
        kind=kwargs["kind"],
        template=kwargs["template"],
        context=kwargs["context"],
        school=kwargs.get("school"),
    )


INVALID_INVITATION = _(
    "Deze uitnodiging werkt niet (meer): ze is al gebruikt, verlopen of vervangen door een nieuwere. "
    "Heb je al eerder ingelogd? Log dan in met je e-mailadres en een code."
)


def invitation_accept(*, token: str) -> Participant:
    """Use an invitation link, once: returns the participant (whose user is then signed in)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("participant__user", "participant__student")
            .filter(token_hash=_hash_token(token))
            .first()
        )
        now = timezone.now()
        if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
            raise ValidationError(INVALID_INVITATION)
        participant = invitation.participant
        if not Participant.objects.active().filter(pk=participant.pk).exists() or not participant.user.is_active:
            raise ValidationError(INVALID_INVITATION)
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        if participant.activated_at is None:
            participant.activated_at = now
            participant.save(update_fields=["activated_at"])
        timeline_add(student=participant.student, kind="portal.signed_in", actor=participant.user, how="uitnodiging")
    return participant


def invitation_check(*, token: str) -> Invitation | None:
    """The open invitation behind a link, or None (for the page before accepting)."""
    invitation = Invitation.objects.filter(token_hash=_hash_token(token)).select_related("participant").first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= timezone.now():
        return None
    return invitation


def participant_revoke(*, participant: Participant, actor) -> None:
    """End a participant's access at once (their open links stop working too)."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.revoked_at is not None:
            return
        participant.revoked_at = timezone.now()
        participant.revoked_by = actor
        participant.save(update_fields=["revoked_at", "revoked_by"])
        participant.invitations.filter(used_at__isnull=True).update(expires_at=participant.revoked_at)
        timeline_add(student=participant.student, kind="portal.revoked", actor=actor, who=participant.label)


# --- Sign-in by e-mail code ----------------------------------------------------------------------

TOO_MANY = _("Je hebt te vaak een code aangevraagd. Wacht een kwartier en probeer het dan opnieuw.")
WRONG_CODE = _("Deze code klopt niet of is verlopen. Vraag een nieuwe code aan als je er geen meer hebt.")
LOCKED = _("Te vaak een verkeerde code. Deze code werkt niet meer: vraag een nieuwe aan.")


def _count_in_window(key: str) -> int:
    """Count one event under `key` in the cache; the count within CODE_REQUEST_WINDOW."""
    window = int(CODE_REQUEST_WINDOW.total_seconds())
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def _rate_limited(key: str, limit: int) -> bool:
    """Count one request under `key` in the cache; True when over `limit` in the window."""
    return _count_in_window(key) > limit


# The mail with a code stays in the outbox (notifications) after sending; once the code is
# used, locked or replaced, its text is blanked there, so the code is in the database no
# longer than it can work (the portal's own table holds its salted hash only).
CODE_MAIL_REDACTED = "[code verwijderd na gebruik]"


def _redact_sent_codes(user) -> None:
    from notifications.models import DeliveryState, Notification

    Notification.objects.filter(recipient=user, kind="portal.code", state=DeliveryState.SENT).exclude(
        body=CODE_MAIL_REDACTED
    ).update(body=CODE_MAIL_REDACTED)


def login_code_request(*, email: str, ip: str) -> None:
    """Mail a sign-in code to `email` when it belongs to a participant with access.

    Says nothing about whether the address is known (the page shows the same message
    either way); counts requests per address and per IP (both also for unknown addresses,
    so the limit does not tell them apart). Raises ValidationError when over a limit."""
    email = email.strip().lower()
    address_key = "portal.code.addr:" + hashlib.sha256(email.encode()).hexdigest()
    over_address = _rate_limited(address_key, CODE_REQUESTS_PER_ADDRESS)
    over_ip = _rate_limited(f"portal.code.ip:{ip}", CODE_REQUESTS_PER_IP)
    if over_address or over_ip:
        raise ValidationError(TOO_MANY)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or not is_participant(user) or not Participant.objects.active().filter(user=user).exists():
        return
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    now = timezone.now()
    with transaction.atomic():
        # A new code replaces the ones before it.
        LoginCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        _redact_sent_codes(user)
        login_code = LoginCode.objects.create(
            user=user,
            salt=salt,
            code_hash=_code_hash(salt, code),
            created_at=now,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        _mail(
            key=f"portal.code:{login_code.pk}",
            user=user,
            kind="portal.code",
            template="portal/email/code",
            context={"code": code, "minutes": CODE_MINUTES},
        )


def login_code_verify(*, email: str, code: str):
    """The user behind `email` when `code` is their latest code, unused, within
    CODE_MINUTES and CODE_TRIES. Raises ValidationError otherwise (the same message for
    an unknown address, a wrong code and an expired one)."""
    email = email.strip().lower()
    code = "".join(code.split())
    with transaction.atomic():
        login_code = (
            LoginCode.objects.select_for_update()
            .filter(user__email__iexact=email, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        now = timezone.now()
        if login_code is None or login_code.expires_at <= now:
            raise ValidationError({"code": WRONG_CODE})
        if not constant_time_compare(login_code.code_hash, _code_hash(login_code.salt, code)):
            login_code.failed_tries += 1
            locked = login_code.failed_tries >= CODE_TRIES
            if locked:
                login_code.used_at = now
                _redact_sent_codes(login_code.user)
            login_code.save(update_fields=["failed_tries", "used_at"])
            error = LOCKED if locked else WRONG_CODE
        else:
            login_code.used_at = now
            login_code.save(update_fields=["used_at"])
            _redact_sent_codes(login_code.user)
            error = None
    if error:
        raise ValidationError({"code": error})
    user = login_code.user
    participants = list(Participant.objects.active().filter(user=user).select_related("student"))
    if not participants or not is_participant(user):
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        for participant in participants:
            timeline_add(student=participant.student, kind="portal.signed_in", actor=user, how="code")
    return user


# --- Consent by the participant ----------------------------------------------------------------------


def portal_consent_give(*, participant: Participant, actor, organisation=None, purpose: str = "") -> Consent:
    """Consent given online by the participant, through the students app's own service
    (the 16-year rule, the scope checks and the timeline are there)."""
    if not access.can(actor, "participant.change_consent", participant):
        raise ValidationError(_("Je kunt deze toestemming niet wijzigen."))
    if purpose and purpose not in ConsentPurpose.values:
        raise ValidationError({"scope": _("Kies een partnerorganisatie of een doel.")})
    existing = Consent.objects.active().filter(student=participant.student)
    existing = existing.filter(organisation=organisation) if organisation else existing.filter(purpose=purpose)
    if existing.exists():
        raise ValidationError(_("Deze toestemming is al gegeven."))
    return student_services.consent_give(
        student=participant.student,
        actor=actor,
        given_on=timezone.localdate(),
        organisation=organisation,
        purpose=purpose,
        given_by_guardian=participant.guardian,
        given_by_student=participant.is_pupil,
        note=_("Gegeven via het ouderportaal."),
    )


def portal_consent_withdraw(*, participant: Participant, consent: Consent, actor, reason: str = "") -> Consent:
    """Withdrawn online: counts for partners from the next request (students.services)."""
    if not access.can(actor, "participant.change_consent", participant) or consent.student_id != participant.student_id:
        raise ValidationError(_("Je kunt deze toestemming niet wijzigen."))
    who = participant.student.full_name if participant.is_pupil else participant.guardian.name
    return student_services.consent_withdraw(
        consent=consent,
        withdrawn_by=f"{who} ({_actor_label(participant)}, via het ouderportaal)",
        reason=reason.strip(),
        actor=actor,
    )


# --- What the school shares ----------------------------------------------------------------------------


def share_set(*, item, student, section: str, shared: bool, actor) -> bool:
    """Share one item (document, plan, agenda item) of `student` with their participants,
    or stop sharing it. Items of the Meldcode or *vertrouwelijk* sections never are.
    Returns whether it is shared now."""
    if shared and not may_be_shared(section):
        raise ValidationError(_("Meldcode en vertrouwelijke stukken worden nooit met ouders gedeeld."))
    content_type = ContentType.objects.get_for_model(item)
    with transaction.atomic():
        current = Share.objects.filter(content_type=content_type, object_id=item.pk).first()
        if shared and current is None:
            Share.objects.create(student=student, content_type=content_type, object_id=item.pk, shared_by=actor)
            timeline_add(student=student, kind="portal.shared", actor=actor, what=str(item._meta.verbose_name))
        elif not shared and current is not None:
            current._change_reason = "niet meer gedeeld"
            current.delete()
            timeline_add(student=student, kind="portal.unshared", actor=actor, what=str(item._meta.verbose_name))
    return shared


# --- The participant's own contributions -------------------------------------------------------------


def parent_view_save(*, participant: Participant, item, text: str, actor) -> ParentView:
    """ "Onze kijk" before the meeting: one per participant and agenda item; writing again
    makes a new version. Closed once the item was discussed."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Schrijf je kijk op de situatie, of laat het veld leeg en ga terug.")})
    if item.discussed_at is not None or item.meeting.starts_at <= timezone.now():
        raise ValidationError(_("Dit overleg is al geweest: je kijk kan niet meer worden aangepast."))
    with transaction.atomic():
        view, created = ParentView.objects.select_for_update().get_or_create(
            item=item, participant=participant, defaults={"text": text}
        )
        if not created:
            view.text = text
            view.written_at = timezone.now()
            view.save(update_fields=["text", "written_at"])
        timeline_add(
            student=participant.student,
            kind="portal.view_written",
            actor=actor,
            who=_actor_label(participant),
            meeting=item.meeting.title,
        )
    return view


def plan_version(plan) -> int:
    """The id of the plan's latest version (simple_history): a changed plan is a new version."""
    latest = plan.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return latest or 0


def plan_answer(*, participant: Participant, plan, agreed: bool, comment: str, actor) -> PlanAgreement:
    """Instemming (or not) with the plan as it is now. Generic: any plan model with
    `history` (the placement plan now, the OPP when it exists)."""
    if not access.can(actor, "participant.agree_plan", participant):
        raise ValidationError(
            _("Instemmen met het plan doet %(who)s.")
            % {"who": _("de leerling zelf") if not participant.is_pupil else _("de ouder")}
        )
    if not agreed and not comment.strip():
        raise ValidationError(
            {"comment": _("Schrijf kort waarmee je het niet eens bent, zodat de school erop kan reageren.")}
        )
    content_type = ContentType.objects.get_for_model(plan)
    version = plan_version(plan)
    with transaction.atomic():
        answer, created = PlanAgreement.objects.get_or_create(
            participant=participant,
            content_type=content_type,
            object_id=plan.pk,
            plan_version=version,
            defaults={"agreed": agreed, "comment": comment.strip()},
        )
        if not created:
            answer.agreed = agreed
            answer.comment = comment.strip()
            answer.answered_at = timezone.now()
            answer.save(update_fields=["agreed", "comment", "answered_at"])
        timeline_add(
            student=participant.student,
            kind="portal.plan_agreed" if agreed else "portal.plan_disagreed",
            actor=actor,
            who=_actor_label(participant),
        )
    return answer


# Signing in with an authenticator app instead of a mailed code (app), and the
# groeidocument/OPP in the portal (opp; issue 19 on top of issue 18).
from .app import app_add, app_of, app_remove, app_secret_new, login_app_verify  # noqa: E402, F401
from .opp import opp_agree, opp_view_save  # noqa: E402, F401
