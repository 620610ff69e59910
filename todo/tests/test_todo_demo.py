import pytest
from django.core.management import call_command
from django.utils import timezone

from absence.models import AbsenceKind, AbsenceRecord
from accounts.models import School, User
from todo.selectors import task_list

pytestmark = pytest.mark.django_db


def test_demo_users_have_open_due_today_and_overdue_tasks():
    call_command("seed_demo", "--pupils", "60", "--quiet")
    today = timezone.localdate()
    school = School.objects.get(name__icontains="Waard")
    for email in [
        "mentor@dewaard.test",
        "zorgcoordinator@dewaard.test",
        "coach@dewaard.test",
        "jeugdteam@partner.test",
    ]:
        tasks = task_list(user=User.objects.get(email=email), school=school, today=today)
        dated = [t.due_on for t in tasks if t.due_on]
        assert any(d < today for d in dated), email
        assert any(d == today for d in dated), email
        assert len({t.source for t in tasks}) >= 1, email
    if today.weekday() < 5:
        assert AbsenceRecord.objects.filter(kind=AbsenceKind.NO_SHOW, date=today).exists()
