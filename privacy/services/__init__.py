"""Writes of the privacy app, one module per topic; import from `privacy.services`."""

from .inzage import inzage_build, inzage_files_expire, inzage_request
from .requests import rights_request_add, rights_request_handle
from .retention import retention_cutoffs, retention_nightly, retention_run, retention_terms_save, term_months

__all__ = [
    "inzage_build",
    "inzage_files_expire",
    "inzage_request",
    "retention_cutoffs",
    "retention_nightly",
    "retention_run",
    "retention_terms_save",
    "rights_request_add",
    "rights_request_handle",
    "term_months",
]
