"""Access rules of the parents' portal (the portal app, issue 19).

| who | what |
|---|---|
| participant (guardian with gezag, or the pupil from 16, invited by the school) | the portal only: never a staff page (`carecoord.middleware`-style gate in `portal.middleware`, 404); per pupil only their own child (or themselves), and of that child only what the school shared item by item |
| guardian participant | gives or withdraws consent while the pupil is under 16; from 16 reads consents but cannot change them |
| pupil participant (16+) | gives or withdraws their own consent |
| guardian participant, pupil under 18 / pupil participant from 18 | instemming with the plan (OPP: the pupil's own from 18) |
| participant, a version of the groeidocument/OPP | reads only the versions the school shared (per version; default not), writes "onze kijk" on a shared draft; gives instemming with the handelingsdeel through the plans service (guardian with gezag under 18, the pupil from 18; an adopted version is frozen) |
| participant, their authenticator app | adds or removes an app (TOTP) for their own account only, while their access counts; the app signs in to the portal only (the gate stays), never to staff pages |
| zorgcoördinator | invites guardians with gezag and pupils of 16+, revokes access, shares items (OPP versions included) |
| never shared | Meldcode cases and anything in the Meldcode or *vertrouwelijk* section |

A participant's access counts on every request (`Participant.objects.active()`): it ends at
once when gezag ends, the pupil leaves school or the zorgcoördinator revokes it.
"""

from django.db.models import Q

from accounts.models import Role

from .core import _active, _memberships, has_role, permission, role_permission
from .sections import RecordSection, Section

NOTHING = Q(pk__in=[])

# Sections whose items are never shown to parents, whatever a staff member ticks.
NEVER_SHARED_SECTIONS = frozenset({RecordSection.VERTROUWELIJK.value, Section.MELDCODE.value})

# Consent: below 16 the guardian with gezag, from 16 the pupil (students.services).
CONSENT_AGE = 16
# Instemming with the OPP's handelingsdeel: the parents, the pupil's own from 18 (WEC/WVO).
PLAN_AGE = 18


def is_school_account(user) -> bool:
    """Staff (a role at a school), partner professionals and technical management: they sign
    in with a password and a second factor and can never be a portal participant too."""
    return bool(user.is_staff or user.is_superuser or user.organisation_id or _memberships(user))


def is_participant(user) -> bool:
    """A signed-in person who was invited to the portal (for any pupil, access counting now
    or not) and is neither staff, partner nor technical management: they reach the portal
    and nothing else (portal.middleware.ParticipantGateMiddleware). One query per request."""
    if not _active(user) or is_school_account(user):
        return False
    cached = getattr(user, "_access_is_participant", None)
    if cached is None:
        from portal.models import Participant

        cached = Participant.objects.filter(user_id=user.pk).exists()
        user._access_is_participant = cached
    return cached


def participants_q(user) -> Q:
    """The user's own participations that count now (see Participant.objects.active)."""
    if not is_participant(user):
        return NOTHING
    return Q(user_id=user.pk)


def _own(user, participant) -> bool:
    return is_participant(user) and participant.user_id == user.pk and participant.revoked_at is None


@permission("participant.change_consent")
def _change_consent(user, participant):
    if not _own(user, participant):
        return False
    sixteen = participant.student.age() >= CONSENT_AGE
    return sixteen if participant.is_pupil else not sixteen


@permission("participant.agree_plan")
def _agree_plan(user, participant):
    if not _own(user, participant):
        return False
    adult = participant.student.age() >= PLAN_AGE
    return adult if participant.is_pupil else not adult


def shared_opp_versions_q(user) -> Q:
    """Q on plans.PlanVersion: the versions of the groeidocument/OPP a participant may read:
    of a pupil for whom their access counts now, and shared by the school (a Share row for
    that version; no row: not shared). Nothing for anyone else."""
    if not is_participant(user):
        return NOTHING
    from django.contrib.contenttypes.models import ContentType

    from plans.models import PlanVersion
    from portal.models import Participant, Share

    own = Participant.objects.active().filter(user_id=user.pk).values("student_id")
    shared = Share.objects.filter(content_type=ContentType.objects.get_for_model(PlanVersion)).values("object_id")
    return Q(plan__student_id__in=own, pk__in=shared)


@permission("participant.read_opp_version")
def _read_opp_version(user, version):
    # obj: a plans.PlanVersion. Another child's OPP, an unshared version, a revoked access or
    # a guardian without gezag: refused (the view answers 404, existence does not leak).
    from plans.models import PlanVersion

    return PlanVersion.objects.filter(shared_opp_versions_q(user), pk=version.pk).exists()


@permission("participant.write_opp_view")
def _write_opp_view(user, participant):
    # "Onze kijk" on a shared OPP version: every participant with access for the pupil
    # (guardian or pupil; gezag and the pupil being at school are in `_own`/active()).
    if not _own(user, participant):
        return False
    from portal.models import Participant

    return Participant.objects.active().filter(pk=participant.pk).exists()


@permission("participant.manage_app")
def _manage_app(user, account):
    # obj: the account whose authenticator app is added or removed. Only one's own, and only
    # while access counts for at least one pupil (a revoked parent, gezag ended: refused).
    if not is_participant(user) or account.pk != user.pk:
        return False
    from portal.models import Participant

    return Participant.objects.active().filter(user_id=user.pk).exists()


def may_be_shared(section: str) -> bool:
    """Can an item of this section of the file be shared with parents at all?"""
    return section not in NEVER_SHARED_SECTIONS


_school_of_student = lambda student: student.school_id  # noqa: E731

role_permission("student.invite_participant", Role.ZORGCOORDINATOR, school_of=_school_of_student)
role_permission("student.share_with_participants", Role.ZORGCOORDINATOR, school_of=_school_of_student)


@permission("participant.revoke")
def _revoke(user, participant):
    return has_role(user, participant.student.school_id, Role.ZORGCOORDINATOR)


def shareable_q(field: str = "section"):
    """Q for items whose section may ever be shown to parents (not Meldcode, not vertrouwelijk)."""
    return ~Q(**{f"{field}__in": NEVER_SHARED_SECTIONS})


def involved_staff(student) -> list[tuple[str, str]]:
    """(name, role) of the school's people a participant sees as involved: the mentors of
    the pupil's class and the zorgcoördinator(s)."""
    from .core import people_with_role

    people = []
    if student.school_class_id:
        people += [(m.name, str(Role.MENTOR.label)) for m in student.school_class.mentors.order_by("name")]
    people += [
        (u.name, str(Role.ZORGCOORDINATOR.label)) for u in people_with_role(student.school_id, Role.ZORGCOORDINATOR)
    ]
    return people


def reader_labels(user_ids, school_id) -> dict[int, str]:
    """For the parents' view of the read log: each reader's roles at the school (one query)."""
    from accounts.models import Membership

    labels: dict[int, list[str]] = {}
    for membership in Membership.objects.filter(user_id__in=user_ids, school_id=school_id).order_by("role"):
        labels.setdefault(membership.user_id, []).append(str(membership.get_role_display()))
    return {user_id: ", ".join(roles) for user_id, roles in labels.items()}
