"""Reads of the handover app."""

from carecoord.access.handovers import handovers_q, received_sections, summary_section

from .models import Handover, HandoverStatus


def school_handovers(*, user, school):
    """(waiting for us, accepted by us, sent by us) at `school`, for its zorgcoördinator.
    Three queries whatever the number."""
    base = Handover.objects.filter(handovers_q(user)).select_related(
        "from_school", "to_school", "started_by", "accepted_by"
    )
    incoming = base.filter(to_school=school)
    return (
        list(incoming.filter(status=HandoverStatus.WAITING).order_by("started_at")),
        list(incoming.filter(status=HandoverStatus.ACCEPTED).order_by("-accepted_at")[:50]),
        list(base.filter(from_school=school).order_by("-started_at")[:100]),
    )


def received_part(*, user, student):
    """The "Overgedragen dossier" of a pupil at the receiving school, as `user` may read it:
    (handover, summary or None, items). None when the pupil came without a handover."""
    handover = Handover.objects.filter(received_student=student).select_related("from_school", "accepted_by").first()
    if handover is None:
        return None
    return handover_received_part(user=user, handover=handover)


def handover_received_part(*, user, handover):
    """`received_part` for a handover already read (the file's panel reads both of the
    pupil's handovers in one query)."""
    sections = received_sections(user, handover)
    if not sections:
        return None
    summary = handover.summary if summary_section() in sections else None
    items = list(handover.items.filter(section__in=list(sections)))
    return handover, summary, items


def handover_parts_count(handover) -> dict:
    """{kind label: number} of the parts, for the receiving coordinator before accepting."""
    from django.db.models import Count

    from .models import HandoverItemKind

    counts = dict(handover.items.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return {HandoverItemKind(kind).label: n for kind, n in counts.items()}
