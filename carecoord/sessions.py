"""Sessions read from Redis and kept in PostgreSQL: Django's `cached_db`, made to survive a
Redis that does not answer.

Every page read its session from PostgreSQL: one ORM query per request, about 0.4 ms of
CPU and 0.7 ms of a worker's time at region scale (bench/profile_page.py, "signed-in
empty"). With `cached_db` a page reads the session from Redis; every write still goes to
the database first, so PostgreSQL holds every session and a Redis that is emptied or
restarted signs nobody out. The cached copy lives as long as the session's idle end
(`get_expiry_age`, renewed with every write: carecoord.middleware.SessionIdleMiddleware),
so an idle session ends in Redis when it ends in the database.

Used only when the installation has Redis (settings: `SESSION_ENGINE`): with each worker's
own memory as the cache, a sign-out in one worker would leave the others holding the session.

Django's `cached_db` answers a 500 when Redis is down while it stores a session it has just
read from the database, and when it removes one at sign-out. Here the database then answers
alone: a page costs the query it always did, and nobody is shown an error page.

A session ended while Redis does not answer (a sign-out, a deactivated leaver's session
flushed) is gone from the database, but its copy in Redis would answer again once Redis is
back, to whoever still holds the old cookie, until its idle end (at most 30 minutes).
Removing that copy is stored as deferred work (jobs.services.job_defer) and swept: it is
done within a minute of Redis answering again (`forget_cached_copy`).
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.core.cache import caches

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        # cached_db's load, with the cache's failures caught on the way back as well.
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            logger.warning("Session cache unreachable: the session is read from the database", exc_info=True)
            return DatabaseStore.load(self)
        if data is None:
            stored = self._get_session_from_db()
            if stored is None:
                return {}
            data = self.decode(stored.session_data)
            try:
                self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
            except Exception:
                logger.warning("Session cache unreachable: the session is read from the database", exc_info=True)
        return data

    def exists(self, session_key):
        # Asked for each new session key (sign-in): the database knows every session.
        try:
            return super().exists(session_key)
        except Exception:
            return DatabaseStore.exists(self, session_key)

    def delete(self, session_key=None):
        # The database row goes first (cached_db's order): the session has ended there.
        DatabaseStore.delete(self, session_key)
        key = session_key or self.session_key
        if key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + key)
        except Exception:
            logger.error("Session cache unreachable: removing its copy is left to the sweep", exc_info=True)
            _forget_later(key)


def _forget_later(session_key: str) -> None:
    from accounts import tasks
    from jobs.services import job_defer

    # The job's key names no session (the admin lists job keys); its argument does, as the
    # session table itself did until this sign-out.
    job_defer(tasks.session_forget_cached_copy, session_key, key=f"sessions.forget:{_short(session_key)}")


def _short(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:16]


def forget_cached_copy(*, session_key: str) -> None:
    """Remove the cached copy of a session the database no longer holds. Raises while the
    cache does not answer, so the deferred job is tried again later."""
    caches[settings.SESSION_CACHE_ALIAS].delete(cached_db.KEY_PREFIX + session_key)
