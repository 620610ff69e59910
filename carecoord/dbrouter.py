"""Figures from a read replica: a region runs its reporting reads (the figures pages) on a
PostgreSQL streaming replica, so a heavy figures query never slows down the primary that the
coordinators and coaches write to (docs/deploy.md, "Region").

`DATABASE_REPLICA_URL` adds the database alias "replica". The figures views run inside
`replica_reads()` (the `figures_from_replica` decorator): every read in them goes to the
replica; every write (the read log, the session) goes to the primary, always. Without
a replica configured everything goes to "default" as before.

A replica lags the primary by a moment: only pages that show figures (counts, waiting
times, occupancy) read from it, never a page that shows what the user just saved.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def reading_from_replica() -> bool:
    return _replica_reads.get() and REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Within this block, reads go to the replica (when one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def figures_from_replica(view):
    """A figures view: its reads from the replica."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if reading_from_replica() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary; it is never migrated itself
