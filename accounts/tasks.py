"""Background work of accounts: removing a signed-out session's copy from Redis after an
outage of the cache (carecoord.sessions)."""

from celery import shared_task


@shared_task(acks_late=True)
def session_forget_cached_copy(session_key: str):
    # Idempotent: deleting a copy that is gone already changes nothing. Raises while Redis
    # does not answer; the deferred job then tries again (jobs.services.job_run).
    from carecoord.sessions import forget_cached_copy

    forget_cached_copy(session_key=session_key)
