"""Writes for pupils, guardians, consent and partner links. Each service owns its
transaction and writes the pupil's timeline event in it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import change_record, stored_values, values_of
from carecoord import access
from carecoord.access.handovers import check_file_open

from .models import Consent, Guardian, PartnerLink, SchoolClass, Student, SupportStatus
from .timeline import timeline_add


def _field_label(name):
    return str(Student._meta.get_field(name).verbose_name)


def student_update(*, student: Student, actor, **fields) -> list[str]:
    """Change the pupil's details; returns the labels of what changed (also on the timeline)."""
    changed = [name for name, value in fields.items() if getattr(student, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(student, name, fields[name])
        student.full_clean()
        student.save()
        labels = [_field_label(name) for name in changed]
        timeline_add(student=student, kind="students.updated", actor=actor, fields=labels)
    return labels


def student_leave(*, student: Student, on: date, actor) -> None:
    """Uitschrijven: the pupil stays (history, retention) but leaves every active list."""
    with transaction.atomic():
        student.left_on = on
        student.save(update_fields=["left_on", "updated_at"])
        timeline_add(student=student, kind="students.left", actor=actor, date=on)


def student_return(*, student: Student, actor) -> None:
    with transaction.atomic():
        student.left_on = None
        student.save(update_fields=["left_on", "updated_at"])
        timeline_add(student=student, kind="students.returned", actor=actor)


def student_set_support_status(*, student: Student, status: str, actor) -> bool:
    """Set what a mentor sees about the pupil's support. Other apps call this when a
    referral or placement changes the stage. Returns False when nothing changed."""
    status = SupportStatus(status)
    if student.support_status == status:
        return False
    with transaction.atomic():
        student.support_status = status
        student.save(update_fields=["support_status", "updated_at"])
        timeline_add(student=student, kind="students.support_status", actor=actor, status=status.value)
    return True


def guardian_add(*, student: Student, actor, **fields) -> Guardian:
    with transaction.atomic():
        guardian = Guardian(student=student, **fields)
        guardian.full_clean()
        guardian.save()
        timeline_add(student=student, kind="students.guardian_added", actor=actor, name=guardian.name)
    return guardian


def guardian_update(*, guardian: Guardian, actor, **fields) -> Guardian:
    """Change a guardian's details. The change log keeps who changed which field, not the
    values (a parent's name, phone and e-mail stay in the file only)."""
    before = stored_values(guardian, fields)
    for name, value in fields.items():
        setattr(guardian, name, value)
    guardian.full_clean()
    with transaction.atomic():
        guardian.save()
        change_record(
            school=guardian.student.school_id,
            student=guardian.student,
            actor=actor,
            kind="students.guardian_updated",
            obj=guardian,
            before=before,
            after=fields,
            hidden=fields,
        )
    return guardian


# Consent dated further back than this needs a reason and the signed form (issue 15).
BACKDATE_DAYS = 30

# The signed consent form is a document of the pupil file, which the records app keeps; this
# app never imports records (.importlinter), so records registers how a form is stored at
# start-up (records/consent_forms.py): `store(consent=, upload=, actor=)`, inside the
# consent's transaction, raising ValidationError({"signed_form": ...}) for a refused file.
_signed_form_store = None


def register_signed_form_store(store) -> None:
    global _signed_form_store
    _signed_form_store = store


def signed_form_supported() -> bool:
    """Can a signed consent form be stored (is the records app installed)?"""
    return _signed_form_store is not None


def check_consent_giver(
    *, student: Student, given_on: date, given_by_guardian=None, given_by_student=False, today: date | None = None
) -> None:
    """The rule: below 16 a guardian with parental authority gives consent; from 16 the
    pupil. Checked against the date the consent was given *and* today: a pupil who is 16
    now decides for themselves, so a guardian's consent cannot be recorded for them by
    dating it back to before the birthday. Raises ValidationError."""
    today = today or timezone.localdate()
    shown = date_format(given_on, "SHORT_DATE_FORMAT")
    if student.is_16_or_older(given_on):
        if not given_by_student:
            raise ValidationError(
                {
                    "giver": _(
                        "%(name)s is op %(date)s 16 jaar of ouder: de leerling geeft zelf toestemming, niet de ouder."
                    )
                    % {"name": student.first_name, "date": shown}
                }
            )
        return
    if student.is_16_or_older(today):
        # Under 16 on the date given, 16 today: neither a guardian (the pupil decides now) nor
        # the pupil (they were not 16 on that date). Consent is asked of the pupil again.
        raise ValidationError(
            {
                "given_on": _(
                    "%(name)s is inmiddels 16 jaar: toestemming van een ouder van vóór de 16e verjaardag kan niet "
                    "meer worden vastgelegd. Vraag de leerling zelf om toestemming en vul de datum van vandaag in."
                )
                % {"name": student.first_name}
            }
        )
    if given_by_student or given_by_guardian is None:
        raise ValidationError(
            {
                "giver": _("%(name)s is op %(date)s jonger dan 16: een ouder of verzorger met gezag geeft toestemming.")
                % {"name": student.first_name, "date": shown}
            }
        )
    if given_by_guardian.student_id != student.pk:
        raise ValidationError({"giver": _("Deze ouder/verzorger hoort niet bij deze leerling.")})
    if not given_by_guardian.has_authority:
        raise ValidationError(
            {
                "giver": _("%(name)s heeft geen gezag en kan daarom geen toestemming geven.")
                % {"name": given_by_guardian.name}
            }
        )


def check_consent_backdating(
    *, given_on: date, backdate_reason: str, signed_form=None, today: date | None = None
) -> bool:
    """Consent dated more than BACKDATE_DAYS ago needs a reason and, when documents can be
    stored, the scanned signed consent form (so a date far back rests on paper, not on a
    typed date). Returns whether it is backdated. Raises ValidationError per missing part."""
    today = today or timezone.localdate()
    if (today - given_on).days <= BACKDATE_DAYS:
        return False
    errors = {}
    if not backdate_reason.strip():
        errors["backdate_reason"] = _(
            "Deze toestemming is meer dan %(days)s dagen geleden gegeven. Schrijf op waarom ze nu pas "
            "wordt vastgelegd (bijv. het getekende formulier lag bij de mentor)."
        ) % {"days": BACKDATE_DAYS}
    if signed_form is None and signed_form_supported():
        errors["signed_form"] = _(
            "Deze toestemming is meer dan %(days)s dagen geleden gegeven: voeg het getekende "
            "toestemmingsformulier toe (een scan of foto)."
        ) % {"days": BACKDATE_DAYS}
    if errors:
        raise ValidationError(errors)
    return True


def consent_give(
    *,
    student: Student,
    actor,
    given_on: date,
    organisation=None,
    purpose: str = "",
    given_by_guardian: Guardian | None = None,
    given_by_student: bool = False,
    ends_on: date | None = None,
    note: str = "",
    backdate_reason: str = "",
    signed_form=None,
) -> Consent:
    """Record consent (toestemming) for a partner organisation or a purpose, with the signed
    form (an uploaded file) when there is one: required when backdated. Not in a file
    closed after a handover (consents never travel: the new school asks again)."""
    check_file_open(student)
    today = timezone.localdate()
    if bool(organisation) == bool(purpose):
        raise ValidationError({"scope": _("Kies een partnerorganisatie of een doel.")})
    if organisation is not None and not organisation.schools.filter(pk=student.school_id).exists():
        raise ValidationError({"scope": _("Deze partner werkt niet met deze school.")})
    if ends_on and ends_on < given_on:
        raise ValidationError({"ends_on": _("De einddatum ligt vóór de datum waarop de toestemming is gegeven.")})
    if given_on > today:
        raise ValidationError({"given_on": _("Toestemming kan niet in de toekomst gegeven zijn.")})
    # Both checks, so the form shows every problem at once (the age rule, the missing reason
    # and signed form of a backdated consent).
    errors: dict = {}
    backdated = False
    try:
        check_consent_giver(
            student=student,
            given_on=given_on,
            given_by_guardian=given_by_guardian,
            given_by_student=given_by_student,
            today=today,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        backdated = check_consent_backdating(
            given_on=given_on, backdate_reason=backdate_reason, signed_form=signed_form, today=today
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            student=student,
            organisation=organisation,
            purpose=purpose,
            given_by_guardian=given_by_guardian,
            given_by_student=given_by_student,
            given_on=given_on,
            ends_on=ends_on,
            note=note,
            backdate_reason=backdate_reason.strip() if backdated else "",
            recorded_by=actor,
        )
        timeline_add(
            student=student,
            kind="students.consent_given",
            actor=actor,
            scope=consent.scope_label,
            giver=consent.giver_label,
            date=given_on,
            backdated=backdated,
            reason=consent.backdate_reason,
        )
        if signed_form is not None and signed_form_supported():
            # Last in the transaction: a refused file undoes the consent too.
            _signed_form_store(consent=consent, upload=signed_form, actor=actor)
    return consent


def consent_withdraw(*, consent: Consent, withdrawn_by: str, reason: str, actor) -> Consent:
    """Withdraw consent. It counts from the next request on: partners who relied on it
    lose access to the pupil at once. The record stays (history)."""
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise ValidationError(_("Deze toestemming is al ingetrokken."))
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = withdrawn_by
        consent.withdrawal_reason = reason
        consent.withdrawal_recorded_by = actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "withdrawal_recorded_by"])
        timeline_add(
            student=consent.student,
            kind="students.consent_withdrawn",
            actor=actor,
            scope=consent.scope_label,
            by=withdrawn_by,
        )
    return consent


def partner_link(*, student: Student, organisation, actor, user=None, role: str = "") -> PartnerLink:
    if not organisation.schools.filter(pk=student.school_id).exists():
        raise ValidationError({"organisation": _("Deze partner werkt niet met deze school.")})
    if user is not None and user.organisation_id != organisation.pk:
        raise ValidationError({"user": _("Deze professional werkt niet bij %(org)s.") % {"org": organisation}})
    with transaction.atomic():
        link = PartnerLink.objects.create(
            student=student, organisation=organisation, user=user, role=role, linked_by=actor
        )
        timeline_add(
            student=student,
            kind="students.partner_linked",
            actor=actor,
            partner=user.name if user else organisation.name,
            role=role or organisation.get_kind_display(),
        )
    return link


def partner_unlink(*, link: PartnerLink, actor, on: date | None = None) -> None:
    with transaction.atomic():
        link.ended_on = on or timezone.localdate()
        link.save(update_fields=["ended_on"])
        timeline_add(
            student=link.student,
            kind="students.partner_unlinked",
            actor=actor,
            partner=link.user.name if link.user_id else link.organisation.name,
        )


CLASS_FIELDS = ("name", "year", "level", "mentors")


def school_class_save(*, school, actor, instance: SchoolClass | None = None, mentors=(), **fields) -> SchoolClass:
    """Create or change a class and its mentors (who then see its pupils)."""
    with transaction.atomic():
        school_class = instance or SchoolClass(school=school)
        before = stored_values(school_class, CLASS_FIELDS)
        for name, value in fields.items():
            setattr(school_class, name, value)
        school_class.full_clean()
        school_class.save()
        school_class.mentors.set(mentors)
        after = values_of(school_class, CLASS_FIELDS)
        change_record(
            school=school, actor=actor, kind="students.class_saved", obj=school_class, before=before, after=after
        )
    for mentor in mentors:
        access.forget(mentor)
    return school_class


def class_mentors_add(*, school_class: SchoolClass, mentors, actor) -> SchoolClass:
    """Put `mentors` on `school_class` beside the mentors it has (the staff import). Through
    `school_class_save`, so it is the same change with the same record (`students.class_saved`)
    as on the class page: a mentor sees the class's pupils, and who gave that access is kept.
    The class row is locked, so two imports at once keep each other's mentors."""
    with transaction.atomic():
        school_class = SchoolClass.objects.select_for_update().get(pk=school_class.pk)
        current = list(school_class.mentors.all())
        return school_class_save(
            school=school_class.school_id,
            actor=actor,
            instance=school_class,
            mentors=[*current, *(m for m in mentors if m not in current)],
        )
