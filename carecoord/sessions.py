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
"""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

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
            # The copy in Redis stays until its idle end (at most SESSION_IDLE_MINUTES):
            # docs/deploy.md (faults) says to restart Redis after such an outage: that empties it.
            logger.error("Session cache unreachable: a deleted session stays in the cache", exc_info=True)
