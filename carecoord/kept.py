"""Values kept a short while: the menu bar, the drop-downs of the filter bars. The same for
many requests, and costly to compute on every one.

They live in the cache alias "kept" (settings.CACHES: the memory of each worker process, no
network round trip). The cache is a speed-up, not a dependency: should that alias be pointed
at a server that cannot be read or written, the value is computed as before and the page is
served; a warning goes to the log.
"""

import logging

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

cache = ConnectionProxy(caches, "kept")

logger = logging.getLogger(__name__)


def kept(key: str, seconds: int, compute):
    """`compute()`, kept `seconds` under `key` (0: computed every time, as in the tests)."""
    if not seconds:
        return compute()
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("kept: the cache cannot be read (%s)", key.split(":", 1)[0], exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except Exception:
            logger.warning("kept: the cache cannot be written (%s)", key.split(":", 1)[0], exc_info=True)
    return value
