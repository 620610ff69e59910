"""Documents of the pupil file sent with a request to the samenwerkingsverband.

Documents belong to the records app, which may import this app but is never imported by it
(`.importlinter`): records registers here how to list the documents a sender may read, how
to check and describe the chosen ones, and how to open one for the SWV
(`records/sharing.py`). Without a registered source a request carries no documents.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentSource:
    # (user, student) -> [(document id, label)]: what the sender may read and so may send
    choices: Callable
    # (user, student, ids) -> [{"id", "title", "kind", "filename"}]; ValidationError when the
    # user may not read one of them
    describe: Callable
    # (student, document id) -> (open file, filename, content type), or None when gone
    open: Callable


_SOURCE: list[DocumentSource] = []


def register_document_source(source: DocumentSource) -> DocumentSource:
    if _SOURCE:
        raise RuntimeError("A document source is registered twice")
    _SOURCE.append(source)
    return source


def document_source() -> DocumentSource | None:
    return _SOURCE[0] if _SOURCE else None
