"""The current request's id, for log lines and read-log rows (no Django imports here:
logging is configured before the apps are loaded)."""

import contextvars
import logging

# The id outside a request (a task, a management command, a test calling code directly).
NO_REQUEST = "-"
_request_id = contextvars.ContextVar("request_id", default=NO_REQUEST)
# The URL name of the page being served ("students:list"): the read log stores it as the
# page kind, so each row says which page showed the pupil (set by RequestIdMiddleware).
_page = contextvars.ContextVar("page", default="")


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str):
    return _request_id.set(value)


def reset_request_id(token) -> None:
    _request_id.reset(token)


def current_page() -> str:
    return _page.get()


def set_page(value: str):
    return _page.set(value)


def reset_page(token) -> None:
    _page.reset(token)


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True
