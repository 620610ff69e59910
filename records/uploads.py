"""Checking an uploaded file before it enters the record: size, type (from the content,
never the name), a virus scan when ClamAV is configured, and a safe file name.

The type comes from libmagic (python-magic) reading the first bytes: a file called
`verslag.pdf` that is a Windows program is refused, whatever its name says.
"""

import hashlib
import re
import socket
import struct
import unicodedata
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What schools attach: PDF, Word, Excel (and their OpenDocument cousins), photos and scans.
# type -> (what the user calls it, the extension a download gets)
ALLOWED_TYPES = {
    "application/pdf": ("PDF", "pdf"),
    "application/msword": ("Word", "doc"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Word", "docx"),
    "application/vnd.ms-excel": ("Excel", "xls"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("Excel", "xlsx"),
    "application/vnd.oasis.opendocument.text": ("OpenDocument", "odt"),
    "application/vnd.oasis.opendocument.spreadsheet": ("OpenDocument", "ods"),
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
    "image/gif": ("GIF", "gif"),
    "image/webp": ("WebP", "webp"),
    "image/heic": ("HEIC", "heic"),
    "image/tiff": ("TIFF", "tif"),
}
# libmagic needs the start of the file; OOXML is recognised from its first zip entries.
SNIFF_BYTES = 64 * 1024
MAX_NAME_CHARS = 120
CHUNK = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_MB * 1024 * 1024


def safe_name(name: str, extension: str) -> str:
    """The file name without folders, control characters or odd Unicode, at most 120
    characters, ending in the extension of the detected type."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"\s+", " ", stem).strip() or "document"
    stem = stem[: MAX_NAME_CHARS - len(extension) - 1].rstrip()
    return f"{stem}.{extension}"


def check_upload(upload) -> CheckedFile:
    """Check an uploaded file (a Django UploadedFile). Raises ValidationError with a Dutch
    message on the `file` field; reads the file once (hash) and leaves it at the start."""
    limit = max_bytes()
    if upload is None or not upload.size:
        raise ValidationError({"file": _("Dit bestand is leeg. Kies het bestand opnieuw.")})
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("Dit bestand is %(size)s MB; het maximum is %(max)s MB per bestand.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","), "max": settings.DOCUMENT_MAX_MB}
            }
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    content_type = magic.from_buffer(head, mime=True)
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Dit soort bestand kan niet in het dossier (gevonden: %(type)s). Voeg een PDF, Word- of "
                    "Excel-bestand of een afbeelding toe."
                )
                % {"type": content_type}
            }
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
    upload.seek(0)
    scan(upload)
    upload.seek(0)
    return CheckedFile(
        name=safe_name(upload.name, ALLOWED_TYPES[content_type][1]),
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
    )


# --- ClamAV -----------------------------------------------------------------------------------
# clamd's INSTREAM protocol is a handful of lines; the Python client on PyPI (clamd) has
# not been maintained since 2020, so we speak it ourselves.


class ScannerUnavailable(Exception):
    pass


def scanner_configured() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def _connect() -> socket.socket:
    if settings.CLAMAV_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        address = settings.CLAMAV_SOCKET
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        address = (settings.CLAMAV_HOST, settings.CLAMAV_PORT)
    sock.settimeout(settings.CLAMAV_TIMEOUT)
    sock.connect(address)
    return sock


def clamd_instream(chunks) -> str:
    """Send the bytes of `chunks` to clamd (INSTREAM) and return its answer, e.g.
    "stream: OK" or "stream: Eicar-Test-Signature FOUND". Raises ScannerUnavailable."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK):
                    part = chunk[start : start + CHUNK]
                    sock.sendall(struct.pack("!L", len(part)) + part)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
    except OSError as exc:
        raise ScannerUnavailable(type(exc).__name__) from exc
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(upload) -> None:
    """Scan with ClamAV when configured. Refuses (ValidationError) what clamd finds, and
    everything while a configured clamd cannot be reached or does not answer clearly."""
    if not scanner_configured():
        return
    upload.seek(0)
    try:
        answer = clamd_instream(upload.chunks(CHUNK))
    except ScannerUnavailable:
        raise ValidationError(
            {
                "file": _(
                    "De virusscanner is nu niet bereikbaar, dus het bestand is niet opgeslagen. Probeer het later opnieuw."
                )
            }
        ) from None
    if answer.endswith("FOUND"):
        raise ValidationError(
            {"file": _("De virusscanner vond iets verdachts in dit bestand. Het is niet opgeslagen.")}
        )
    if not answer.endswith("OK"):
        raise ValidationError(
            {"file": _("De virusscanner kon dit bestand niet controleren, dus het is niet opgeslagen.")}
        )
