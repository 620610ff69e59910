import pytest
from django.core.management import call_command

from accounts.models import School, User
from meetings.models import AgendaItem
from records.models import Document, FamilyLink, FamilyLinkStatus, Note
from records.services import document_open
from referrals.models import Placement

pytestmark = pytest.mark.django_db


def test_demo_has_notes_documents_versions_and_families(client):
    call_command("seed_demo", "--pupils", "60", "--quiet")
    for school in School.objects.all():
        notes = Note.objects.filter(school=school)
        assert notes.values("kind").distinct().count() >= 4
        assert notes.filter(section="vertrouwelijk").exists()
        document = Document.objects.filter(school=school).first()
        with document_open(document) as handle:
            assert handle.read(4) == b"%PDF"
        assert any(item.history.count() >= 2 for item in AgendaItem.objects.filter(meeting__school=school))
        assert any(p.history.count() >= 2 for p in Placement.objects.filter(school=school))
        assert FamilyLink.objects.filter(school=school, status=FamilyLinkStatus.CONFIRMED).exists()
        assert FamilyLink.objects.filter(school=school, status=FamilyLinkStatus.SUGGESTED).exists()
    # The demo mentor sees the sibling in their own class, not the one in another class.
    mentor = User.objects.get(email="mentor@dewaard.test")
    own = set(User.objects.get(pk=mentor.pk).mentor_classes.values_list("students__pk", flat=True))
    mixed = [
        (a, b) if a.pk in own else (b, a)
        for link in FamilyLink.objects.filter(status=FamilyLinkStatus.CONFIRMED).select_related(
            "student_a", "student_b"
        )
        for a, b in [(link.student_a, link.student_b)]
        if (a.pk in own) != (b.pk in own)
    ]
    assert mixed, "a confirmed sibling pair across the demo mentor's class"
    mine, other = mixed[0]
    client.force_login(mentor)
    body = client.get(mine.get_absolute_url()).content.decode()
    assert "Gezin" in body and other.full_name not in body
