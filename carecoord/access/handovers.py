"""Access rules of the warm handover between schools of this installation (issue 23).

| who | may |
|---|---|
| zorgcoördinator of the sending school | start a handover of a pupil who left, see it and its receipt, plan the warm handover meeting, make the care summary PDF for the OSO overstapdossier |
| zorgcoördinator of the receiving school | see that a handover waits (name, date of birth, sending school, the number of parts) and accept it; its content only after accepting |
| anyone at the receiving school who may open the received pupil's file | the handed-over parts of the sections of the file they may see (the care summary is in Zorgmeldingen, Meldcode steps in Meldcode) |
| the sending school, after acceptance | nothing of what the new school adds: the received pupil is another pupil of another school |

Nobody at either school sees another school's handovers, and no partner sees a handover.
"""

from django.db.models import Q

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
