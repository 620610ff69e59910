"""The groeidocument/OPP in the parents' portal: the school shares a version, the parents
(or the pupil) write "onze kijk" on it and give instemming with its handelingsdeel.

Instemming goes through the plans app's own service (`plans.services.plan_parent_agree`):
the rules (a guardian with gezag under 18, the pupil from 18, the talk first, an adopted
version frozen) live there once; this module only refuses earlier with words for a parent.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carecoord import access
from plans import services as plan_services
from plans.models import PlanVersion
from students.timeline import timeline_add

from ..models import OppView, Participant

NOT_SHARED = _("Deze versie van het plan is niet met je gedeeld.")
FROZEN_VIEW = _(
    "Deze versie van het plan is vastgesteld en verandert niet meer: je kijk kan er niet meer bij. "
    "Geef hem bij de volgende periode, of bespreek hem met de school."
)


def _actor_label(participant: Participant) -> str:
    return _("de leerling") if participant.is_pupil else _("ouder")


def _check_readable(actor, participant: Participant, version: PlanVersion) -> None:
    if version.plan.student_id != participant.student_id or not access.can(
        actor, "participant.read_opp_version", version
    ):
        raise ValidationError(NOT_SHARED)


def opp_view_save(*, participant: Participant, version: PlanVersion, text: str, actor) -> OppView:
    """ "Onze kijk" on a shared OPP version: one per participant and version; writing again
    makes a new version (history). Closed once the version is adopted (it is frozen)."""
    _check_readable(actor, participant, version)
    if not access.can(actor, "participant.write_opp_view", participant):
        raise ValidationError(NOT_SHARED)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Schrijf je kijk op het plan.")})
    with transaction.atomic():
        locked = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if not locked.is_draft:
            raise ValidationError(FROZEN_VIEW)
        view, created = OppView.objects.select_for_update().get_or_create(
            version=locked, participant=participant, defaults={"text": text}
        )
        if not created:
            view.text = text
            view.written_at = timezone.now()
            view.save(update_fields=["text", "written_at"])
        timeline_add(
            student=participant.student,
            kind="portal.opp_view_written",
            actor=actor,
            who=_actor_label(participant),
            number=locked.number,
        )
    return view


def opp_agree(*, participant: Participant, version: PlanVersion, actor) -> PlanVersion:
    """Instemming with the handelingsdeel of a shared OPP version, given online today by the
    participant: under 18 a guardian with gezag, from 18 the pupil (plans' own rule and
    service). Refused with a message otherwise; nothing is stored then."""
    _check_readable(actor, participant, version)
    student = participant.student
    if not access.can(actor, "participant.agree_plan", participant):
        if participant.is_pupil:
            raise ValidationError(_("Tot je 18 bent stemt een ouder met gezag in met het handelingsdeel."))
        raise ValidationError(
            _("%(name)s is 18 jaar of ouder en stemt zelf in met het handelingsdeel.") % {"name": student.first_name}
        )
    if not version.is_draft:
        raise ValidationError(_("Deze versie van het plan is al vastgesteld: instemmen kan niet meer."))
    if version.has_consent:
        raise ValidationError(
            _("Met dit handelingsdeel is al ingestemd op %(date)s.")
            % {"date": version.consent_given_on.strftime("%d-%m-%Y")}
        )
    if version.discussed_on is None:
        raise ValidationError(
            _("De school bespreekt het plan eerst met jullie. Daarna kun je hier instemmen met het handelingsdeel.")
        )
    # The plans service locks the version, checks gezag and age again (on the day and
    # today), refuses a frozen version, and writes the timeline (marked as given online).
    return plan_services.plan_parent_agree(
        version=version, guardian=participant.guardian, by_student=participant.is_pupil, user=actor
    )
