"""The read log's references are no longer checked by the database (a deferred foreign-key
check per row and column cost half of every list page's INSERT at region scale); the
application still refuses to remove what read-log rows point to."""

import pytest
from django.db.models import ProtectedError

from students.models import FileAccess
from students.selectors import log_read

pytestmark = pytest.mark.django_db


def test_a_pupil_person_or_school_in_the_read_log_cannot_be_deleted(school, student, coordinator):
    log_read(user=coordinator, students=[student], section="dossier", page="test")
    assert FileAccess.objects.filter(student=student, user=coordinator, school=school).count() == 1

    for referenced in (student, coordinator, school):
        with pytest.raises(ProtectedError):
            referenced.delete()
    assert FileAccess.objects.filter(student=student).count() == 1
