"""The handover's rules (issue 23): start, accept, flag when late, plan the warm handover
meeting. Each service owns its transaction."""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import holiday_dates
from audit.services import change_record
from carecoord.access.handovers import handover_coordinators
from carecoord.access.sections import RecordSection, Section
from notifications.services import notification_queue
from students.models import Student
from students.timeline import timeline_add

from .models import ACCEPT_WITHIN_SCHOOL_DAYS, Handover, HandoverBasis, HandoverItem, HandoverItemKind, HandoverStatus
from .summary import care_summary, current_plan, meldcode_steps

CONFIDENTIAL = RecordSection.VERTROUWELIJK.value


def _link(handover) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("handovers:detail", args=[handover.pk])


def handover_choices(student):
    """The notes and documents the sending coordinator may choose from: never
    *vertrouwelijk*, never removed ones; Meldcode ones go only with the Meldcode choice."""
    from records.models import Document, Note

    notes = Note.objects.filter(student=student, removed_at__isnull=True).exclude(section=CONFIDENTIAL)
    documents = Document.objects.filter(student=student, removed_at__isnull=True).exclude(section=CONFIDENTIAL)
    return notes.order_by("occurred_at", "pk"), documents.order_by("uploaded_at", "pk")


def check_handover(*, student, to_school, basis, basis_note, meldcode, meldcode_reason, notes, documents):
    """Raise ValidationError (per field, in Dutch) when this handover may not start."""
    errors = {}
    if student.left_on is None:
        errors["__all__"] = _(
            "%(name)s staat nog ingeschreven. Schrijf de leerling eerst uit (Uitschrijven) en start dan de overdracht."
        ) % {"name": student.full_name}
    if Handover.objects.filter(student=student).exists():
        errors["__all__"] = _("Voor deze leerling is al een overdracht gestart.")
    if to_school is None:
        errors["to_school"] = _("Kies de school waar de leerling naartoe gaat.")
    elif to_school.pk == student.school_id:
        errors["to_school"] = _("Dat is de eigen school. Kies de school waar de leerling naartoe gaat.")
    if not basis:
        errors["basis"] = _("Leg vast op welke grond het dossier meegaat.")
    elif basis == HandoverBasis.PARENTS and not (basis_note or "").strip():
        errors["basis_note"] = _("Schrijf op wie akkoord gaf en wanneer.")
    if meldcode and not (meldcode_reason or "").strip():
        errors["meldcode_reason"] = _("Schrijf op waarom de Meldcode-stappen mee moeten gaan.")
    allowed_notes, allowed_documents = handover_choices(student)
    if not meldcode:
        allowed_notes = allowed_notes.exclude(section=Section.MELDCODE)
        allowed_documents = allowed_documents.exclude(section=Section.MELDCODE)
    if {n.pk for n in notes} - set(allowed_notes.values_list("pk", flat=True)):
        errors["notes"] = _("Een gekozen notitie mag niet mee (vertrouwelijk of Meldcode). Kies opnieuw.")
    if {d.pk for d in documents} - set(allowed_documents.values_list("pk", flat=True)):
        errors["documents"] = _("Een gekozen document mag niet mee (vertrouwelijk of Meldcode). Kies opnieuw.")
    if errors:
        raise ValidationError(errors)


def handover_start(
    *,
    student,
    actor,
    to_school,
    basis,
    basis_note="",
    meldcode=False,
    meldcode_reason="",
    notes=(),
    documents=(),
    plan=False,
) -> Handover:
    """Start "Overdracht": copy the care summary and the chosen parts, and tell the
    receiving school's zorgcoördinatoren that a handover waits (an e-mail without names)."""
    from records.services import documents_storage

    notes, documents = list(notes), list(documents)
    with transaction.atomic():
        # One handover per pupil, also when two coordinators press at once.
        student = (
            Student.objects.select_for_update(of=("self",)).select_related("school", "school_class").get(pk=student.pk)
        )
        check_handover(
            student=student,
            to_school=to_school,
            basis=basis,
            basis_note=basis_note,
            meldcode=meldcode,
            meldcode_reason=meldcode_reason,
            notes=notes,
            documents=documents,
        )
        handover = Handover(
            student=student,
            from_school_id=student.school_id,
            to_school=to_school,
            basis=basis,
            basis_note=(basis_note or "").strip(),
            meldcode_included=bool(meldcode),
            meldcode_reason=(meldcode_reason or "").strip() if meldcode else "",
            summary=care_summary(student, meldcode=bool(meldcode)),
            first_name=student.first_name,
            tussenvoegsel=student.tussenvoegsel,
            last_name=student.last_name,
            date_of_birth=student.date_of_birth,
            started_by=actor,
        )
        handover._history_user = actor
        handover.save()
        items = [
            HandoverItem(
                handover=handover,
                kind=HandoverItemKind.NOTE,
                section=note.section,
                title=note.get_kind_display(),
                occurred_on=timezone.localtime(note.occurred_at).date(),
                text=note.text,
            )
            for note in notes
        ]
        opp = current_plan(student) if plan else None
        if opp is not None:
            title, adopted_on, text = opp
            items.append(
                HandoverItem(
                    handover=handover,
                    kind=HandoverItemKind.PLAN,
                    section=Section.ZORG,
                    title=title,
                    occurred_on=adopted_on,
                    text=text,
                )
            )
        if meldcode:
            items += [
                HandoverItem(
                    handover=handover,
                    kind=HandoverItemKind.MELDCODE,
                    section=Section.MELDCODE,
                    title=step.get_step_display(),
                    occurred_on=step.occurred_on,
                    text="\n".join(
                        part for part in (step.notes, step.get_decision_display() if step.decision else "") if part
                    ),
                )
                for step in meldcode_steps(student)
            ]
        storage = documents_storage()
        saved = []
        try:
            for document in documents:
                with storage.open(document.storage_name, "rb") as source:
                    name = storage.save(f"{to_school.pk}/overdracht-{uuid.uuid4().hex}", ContentFile(source.read()))
                saved.append(name)
                items.append(
                    HandoverItem(
                        handover=handover,
                        kind=HandoverItemKind.DOCUMENT,
                        section=document.section,
                        title=document.title,
                        occurred_on=timezone.localtime(document.uploaded_at).date(),
                        storage_name=name,
                        filename=document.original_name,
                        content_type=document.content_type,
                    )
                )
            HandoverItem.objects.bulk_create(items)
            timeline_add(student=student, kind="handovers.started", actor=actor, school=to_school.name)
            change_record(
                school=student.school,
                actor=actor,
                kind="handover.started",
                obj=handover,
                student=student,
                after={"to_school": to_school.name, "basis": basis, "meldcode_included": bool(meldcode)},
            )
            for coordinator in handover_coordinators(to_school):
                notification_queue(
                    key=f"handover-{handover.pk}-waiting-{coordinator.pk}",
                    recipient=coordinator,
                    kind="handover",
                    template="handovers/email/waiting",
                    context={"link": _link(handover), "from_school": student.school.name},
                    school=to_school,
                )
        except BaseException:
            for name in saved:
                storage.delete(name)
            raise
    return handover


def handover_accept(*, handover: Handover, actor, student_number: str, school_class=None) -> Student:
    """The receiving zorgcoördinator accepts: the pupil appears at the new school (a pupil
    with this leerlingnummer there already is linked when the date of birth matches), with
    the handed-over parts as "Overgedragen dossier"; the sender sees the receipt."""
    student_number = (student_number or "").strip()
    if not student_number:
        raise ValidationError({"student_number": _("Vul het leerlingnummer op uw school in.")})
    with transaction.atomic():
        handover = Handover.objects.select_for_update().select_related("to_school", "from_school").get(pk=handover.pk)
        if handover.status != HandoverStatus.WAITING:
            raise ValidationError(
                _("Deze overdracht is al aanvaard op %(day)s.")
                % {"day": timezone.localtime(handover.accepted_at).strftime("%d-%m-%Y")}
            )
        if school_class is not None and school_class.school_id != handover.to_school_id:
            raise ValidationError({"school_class": _("Kies een klas van uw eigen school.")})
        received = Student.objects.filter(school=handover.to_school, student_number=student_number).first()
        if received is not None:
            if received.date_of_birth != handover.date_of_birth:
                raise ValidationError(
                    {
                        "student_number": _(
                            "Leerlingnummer %(number)s hoort op uw school bij een leerling met een andere geboortedatum. "
                            "Controleer het nummer."
                        )
                        % {"number": student_number}
                    }
                )
            if Handover.objects.filter(received_student=received).exists():
                raise ValidationError({"student_number": _("Deze leerling heeft al een overgedragen dossier.")})
        else:
            received = Student.objects.create(
                school=handover.to_school,
                student_number=student_number,
                first_name=handover.first_name,
                tussenvoegsel=handover.tussenvoegsel,
                last_name=handover.last_name,
                date_of_birth=handover.date_of_birth,
                school_class=school_class,
            )
        before = {"status": handover.status}
        handover.status = HandoverStatus.ACCEPTED
        handover.accepted_by = actor
        handover.accepted_at = timezone.now()
        handover.received_student = received
        handover._history_user = actor
        handover.save(update_fields=["status", "accepted_by", "accepted_at", "received_student"])
        timeline_add(student=received, kind="handovers.received", actor=actor, school=handover.from_school.name)
        if handover.student is not None:
            timeline_add(
                student=handover.student, kind="handovers.accepted", actor=actor, school=handover.to_school.name
            )
        change_record(
            school=handover.to_school,
            actor=actor,
            kind="handover.accepted",
            obj=handover,
            student=received,
            before=before,
            after={"status": handover.status},
        )
    return received


def school_days_after(*, school, start: date, end: date) -> int:
    """School days of `school` after `start` up to and including `end` (weekends and the
    school's holidays do not count)."""
    if end <= start:
        return 0
    off = holiday_dates(school=school, start=start + timedelta(days=1), end=end)
    days, day = 0, start + timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and day not in off:
            days += 1
        day += timedelta(days=1)
    return days


def handovers_flag_late(*, today: date | None = None) -> int:
    """Flag every handover not accepted within ACCEPT_WITHIN_SCHOOL_DAYS school days of the
    receiving school, once, to both schools' zorgcoördinatoren. Returns how many were flagged."""
    today = today or timezone.localdate()
    flagged = 0
    waiting = Handover.objects.filter(status=HandoverStatus.WAITING, flagged_at__isnull=True).select_related(
        "to_school", "from_school"
    )
    for handover in waiting:
        started = timezone.localtime(handover.started_at).date()
        if school_days_after(school=handover.to_school, start=started, end=today) < ACCEPT_WITHIN_SCHOOL_DAYS:
            continue
        with transaction.atomic():
            updated = Handover.objects.filter(pk=handover.pk, flagged_at__isnull=True).update(flagged_at=timezone.now())
            if not updated:
                continue  # another run flagged it
            people = {u.pk: u for u in handover_coordinators(handover.to_school)}
            people.update({u.pk: u for u in handover_coordinators(handover.from_school)})
            for person in people.values():
                notification_queue(
                    key=f"handover-{handover.pk}-late-{person.pk}",
                    recipient=person,
                    kind="handover",
                    template="handovers/email/late",
                    context={"link": _link(handover), "days": ACCEPT_WITHIN_SCHOOL_DAYS},
                    school=handover.to_school,
                )
        flagged += 1
    return flagged


def handover_meeting_plan(*, handover: Handover, actor, day: date, start_time, end_time):
    """One click: a warm handover conversation at the sending school with both schools'
    zorgcoördinatoren (the parents are invited by the school as usual), the pupil on the agenda."""
    from meetings.models import MeetingKind
    from meetings.services import agenda_item_add, meeting_create

    hosts = list(handover_coordinators(handover.from_school))
    guests = [u for u in handover_coordinators(handover.to_school) if u not in hosts]
    with transaction.atomic():
        meeting = meeting_create(
            school=handover.from_school,
            actor=actor,
            kind=MeetingKind.OTHER,
            title=_("Warme overdracht"),
            day=day,
            start_time=start_time,
            end_time=end_time,
            participants=hosts,
            guests=guests,
        )
        if handover.student is not None:  # None only after the sending school's retention
            agenda_item_add(
                meeting=meeting,
                student=handover.student,
                actor=actor,
                question=_("Warme overdracht naar %(school)s met de ouders/verzorgers")
                % {"school": handover.to_school.name},
            )
    return meeting


def care_summary_made(*, student, actor) -> None:
    """The care summary PDF for the OSO overstapdossier was made: on the timeline (the read
    log has the export)."""
    with transaction.atomic():
        timeline_add(student=student, kind="handovers.summary_pdf", actor=actor)
