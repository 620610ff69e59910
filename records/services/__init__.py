"""Writes of the records app, one module per topic; import from `records.services`."""

from .documents import document_add, document_open, document_remove, documents_storage
from .families import family_decide, family_link, family_suggest, shared_guardian_pairs
from .notes import note_add, note_remove, note_update

__all__ = [
    "document_add",
    "document_open",
    "document_remove",
    "documents_storage",
    "family_decide",
    "family_link",
    "family_suggest",
    "note_add",
    "note_remove",
    "note_update",
    "shared_guardian_pairs",
]
