"""The database router (carecoord/dbrouter.py): figures read from the replica alias when one
is configured; every write goes to the primary, also inside a figures page."""

import pytest
from django.db import router

from carecoord import dbrouter
from concerns.models import Concern
from students.models import FileAccess

# The fixture adds a second alias to settings.DATABASES only: the router reads that setting.
pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")]


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}


def test_reads_in_a_figures_block_go_to_the_replica(with_replica):
    assert Concern.objects.all().db == "default"
    with dbrouter.replica_reads():
        assert Concern.objects.all().db == "replica"
        assert router.db_for_read(Concern) == "replica"
        # Writes never: the read log written by a figures page goes to the primary.
        assert router.db_for_write(FileAccess) == "default"
        assert router.db_for_write(Concern) == "default"
    assert Concern.objects.all().db == "default"


def test_without_a_replica_everything_stays_on_default(settings):
    assert "replica" not in settings.DATABASES
    with dbrouter.replica_reads():
        assert Concern.objects.all().db == "default"


def test_the_replica_is_never_migrated(with_replica):
    assert dbrouter.ReplicaRouter().allow_migrate("replica", "students") is False
    assert dbrouter.ReplicaRouter().allow_migrate("default", "students") is True


def test_the_figures_pages_read_inside_the_replica_block(client, coordinator, monkeypatch):
    from concerns import selectors

    seen = []
    original = selectors.concern_figures

    def watched(**kwargs):
        seen.append(dbrouter._replica_reads.get())
        return original(**kwargs)

    monkeypatch.setattr(selectors, "concern_figures", watched)
    client.force_login(coordinator)
    assert client.get("/zorg/meldingen/cijfers/").status_code == 200
    assert seen == [True]
    # … and the pupil list, which shows what was just saved, does not.
    assert dbrouter._replica_reads.get() is False


def test_the_planner_assumes_ssd_storage():
    """DATABASE_RANDOM_PAGE_COST (1.1) on every connection: at region scale the concern inbox
    otherwise hashes the whole user table (docs/performance.md)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
