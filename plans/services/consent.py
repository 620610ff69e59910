"""The consent a referral or a request to a partner rests on (AVG: the school shares a
pupil's data with an organisation only while parents, or the pupil from 16, agree)."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from students.models import Consent


def sharing_consent(*, student, organisation, refused: str):
    """The consent on record today that covers sharing `student`'s data with
    `organisation`, the most recently given. None on record: a ValidationError on the
    organisation field with `refused` (which may name %(org)s), so nothing is sent."""
    consent = (
        Consent.objects.active(timezone.localdate())
        .filter(student=student, organisation=organisation)
        .order_by("-given_on", "-pk")
        .first()
    )
    if consent is None:
        raise ValidationError({"organisation": refused % {"org": organisation.name}})
    return consent
