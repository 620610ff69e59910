"""E-mail to the handler and the raiser of a concern, exactly once."""

from django.conf import settings
from django.urls import reverse

from carecoord import access
from carecoord.access import concerns as concern_access
from notifications.services import notification_queue
from students.models import Consent

from ..models import Concern


def concern_recipients(concern: Concern) -> list:
    """Who handles the concern now, as people to e-mail. A partner organisation's people
    only when consent covers them (else they could not open the link)."""
    if concern.handler_id:
        return [concern.handler] if concern.handler.is_active else []
    if concern.handler_role:
        return list(access.people_with_role(concern.school_id, concern.handler_role))
    if concern.handler_organisation_id and not concern.is_meldcode:
        organisation = concern.handler_organisation
        consented = Consent.objects.active().filter(organisation=organisation, student_id=concern.student_id).exists()
        if consented and organisation.schools.filter(pk=concern.school_id).exists():
            return list(organisation.users.filter(is_active=True).order_by("pk"))
    return []


def _link(concern: Concern) -> str:
    return settings.SITE_URL + reverse("concerns:concern_detail", args=[concern.pk])


def concern_notify(*, concern_id: int, event: str, actor_id: int | None = None) -> int:
    """E-mail the people an event concerns; exactly once per (concern, event, person),
    however often this runs. The mails name no pupil and no care detail: only a link.

    Called inside the caller's transaction: the messages are stored with the concern (an
    outbox row with a unique key) and `notifications.tasks.notification_send` is queued on
    commit, so a rolled-back concern mails nobody and a lost broker message is re-sent by
    the notifications sweeper.

    - "routed" / "assigned": the handler(s); when nobody can be reached (a partner without
      consent, an empty role), the school's coordinators instead.
    - "feedback": whoever raised the concern.
    Returns the number of messages queued now.
    """
    concern = (
        Concern.objects.select_related("school", "raised_by", "handler", "handler_organisation")
        .filter(pk=concern_id)
        .first()
    )
    if concern is None:
        return 0
    template = "concerns/email/concern_routed"
    if event == "feedback":
        recipients, template = [concern.raised_by], "concerns/email/concern_feedback"
    else:
        recipients = concern_recipients(concern)
        if not recipients:
            event, template = "unreachable", "concerns/email/concern_unreachable"
            recipients = list(concern_access.unreachable_recipients(concern.school_id))
    queued = 0
    for user in recipients:
        if user.pk == actor_id:
            continue  # nobody needs an e-mail about what they just did themselves
        message = notification_queue(
            key=f"concern:{concern.pk}:{event}:{user.pk}",
            recipient=user,
            kind=f"concerns.concern_{event}",
            template=template,
            context={"school": concern.school, "link": _link(concern)},
            school=concern.school,
        )
        queued += message is not None
    return queued
