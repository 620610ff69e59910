"""Access rules of the warm handover between schools of this installation (issue 23).

| who | may |
|---|---|
| zorgcoördinator of the sending school | start a handover of a pupil who left, see it and its receipt, plan the warm handover meeting, make the care summary PDF for the OSO overstapdossier |
| zorgcoördinator of the receiving school | see that a handover waits (name, date of birth, sending school, the number of parts) and accept it; its content only after accepting |
| anyone at the receiving school who may open the received pupil's file | the handed-over parts of the sections of the file they may see (the care summary is in Zorgmeldingen, Meldcode steps in Meldcode) |
| the sending school, after acceptance | nothing of what the new school adds: the received pupil is another pupil of another school |
| the sending school, once the pupil left and the handover was accepted | its own record of the pupil is **closed**: read as before (and logged), but no new notes, documents, concerns, referrals, OPP versions or consents (`file_closed`, asked by the services and by the rules that show the buttons); a consent can still be withdrawn (withdrawal always counts at once) and a note removed with a reason (correction, AVG) |

Nobody at either school sees another school's handovers, and no partner sees a handover.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

from .core import has_role, permission, role_permission, school_ids_with_role
from .sections import Section
from .students import file_sections


def handovers_q(user) -> Q:
    """Handovers from or to a school where `user` is zorgcoördinator."""
    ids = school_ids_with_role(user, Role.ZORGCOORDINATOR)
    if not ids:
        return Q(pk__in=[])
    return Q(from_school_id__in=ids) | Q(to_school_id__in=ids)


def _coordinator(user, school_id) -> bool:
    return has_role(user, school_id, Role.ZORGCOORDINATOR)


def received_sections(user, handover) -> frozenset:
    """The sections of the handed-over parts `user` may read: those of the received pupil's
    file at the new school. Nothing before acceptance."""
    if handover.received_student_id is None:
        return frozenset()
    return frozenset(file_sections(user, handover.received_student))


def summary_section() -> str:
    # The care summary tells about concerns, referrals, placements and absence: care data.
    return Section.ZORG.value


# --- The closed file at the sending school ----------------------------------------------------

FILE_CLOSED = _(
    "Deze leerling is overgedragen aan een andere school en uitgeschreven. Het dossier op deze school is "
    "gesloten: je kunt het lezen, maar er niets meer aan toevoegen of in wijzigen."
)


def _accepted_handovers():
    from handovers.models import Handover, HandoverStatus

    return Handover.objects.filter(status=HandoverStatus.ACCEPTED)


def file_closed(student) -> bool:
    """Is this pupil's file at this school closed? The one place that decides it: the pupil
    left (`left_on`) and their handover to another school was accepted, so the care goes on
    there and the sending school keeps its record read-only until the retention term ends
    (issue 23). No query for a pupil who is at school; one for a pupil who left. Writing
    `student_return` (re-enrolling) opens the file again."""
    if student.left_on is None:
        return False
    return _accepted_handovers().filter(student_id=student.pk).exists()


def closed_files_q() -> Q:
    """Q on students.Student: the pupils whose file at their school is closed (see above)."""
    return Q(left_on__isnull=False) & Q(Exists(_accepted_handovers().filter(student_id=OuterRef("pk"))))


def check_file_open(student) -> None:
    """For the services that add to or change a pupil's record: refuse a closed file with
    a clear message (ValidationError)."""
    if file_closed(student):
        raise ValidationError(FILE_CLOSED)


# --- Actions ---------------------------------------------------------------------------------

role_permission("school.handovers", Role.ZORGCOORDINATOR, school_of=lambda school: school.pk)


@permission("student.handover_start")
def _start(user, student):
    return _coordinator(user, student.school_id)


@permission("student.care_summary_export")
def _care_summary(user, student):
    return _coordinator(user, student.school_id)


@permission("handover.view")
def _view(user, handover):
    return _coordinator(user, handover.from_school_id) or _coordinator(user, handover.to_school_id)


@permission("handover.read_content")
def _read_content(user, handover):
    """The copied parts themselves: the sender always (they chose them); the receiving
    coordinator only after accepting."""
    if _coordinator(user, handover.from_school_id):
        return True
    return handover.received_student_id is not None and _coordinator(user, handover.to_school_id)


@permission("handover.accept")
def _accept(user, handover):
    return _coordinator(user, handover.to_school_id)


@permission("handover.plan_meeting")
def _plan_meeting(user, handover):
    # The meeting is the sending school's (its coordinator organises it); the receiving
    # school's coordinators are invited.
    return _coordinator(user, handover.from_school_id)


@permission("handover_item.read")
def _item_read(user, item):
    handover = item.handover
    if _coordinator(user, handover.from_school_id):
        return True
    return item.section in received_sections(user, handover)


def handover_coordinators(school):
    """Who is told about a handover at `school` (a waiting one, a late one): its zorgcoördinatoren."""
    from .core import people_with_role

    return people_with_role(school, Role.ZORGCOORDINATOR)
