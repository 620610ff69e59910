"""The inzage export (AVG art. 15): everything kept about one pupil, as one ZIP with a
readable PDF, a JSON file and the documents of the file, made in the background.

The zorgcoördinator asks for it on the pupil's "AVG" page (the request is in the read log);
a deferred job builds it (jobs.services.job_defer: a lost queue message or a dead worker
delays it, the sweep finishes it) and writes its progress on the row, which the page polls.
The ZIP is kept in the private documents storage for EXPORT_DAYS, then removed.
"""

import json
import logging
import shutil
import tempfile
import uuid
import zipfile
from datetime import datetime, timedelta

from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ..collect import collect_kind, export_kinds
from ..models import InzageExport, InzageStatus

log = logging.getLogger(__name__)

EXPORT_DAYS = 7
CHUNK = 1024 * 1024


def inzage_request(*, student, actor) -> InzageExport:
    """Ask for an inzage export of `student`. Asking again while one is being made gives that
    one (a double submit makes one export)."""
    from jobs.services import job_defer

    from .. import tasks

    with transaction.atomic():
        # One request per pupil at a time: the pupil row is the lock.
        type(student).objects.select_for_update().filter(pk=student.pk).first()
        busy = InzageExport.objects.filter(
            student=student, status__in=[InzageStatus.QUEUED, InzageStatus.RUNNING]
        ).first()
        if busy is not None:
            return busy
        export = InzageExport.objects.create(
            school_id=student.school_id, student=student, requested_by=actor, total=len(export_kinds()) + 2
        )
        job_defer(tasks.inzage_build, export.pk, key=f"privacy.inzage:{export.pk}")
    return export


def _progress(export_id: int, done: int) -> None:
    # Outside any transaction: the page polling it sees it at once.
    InzageExport.objects.filter(pk=export_id).update(done=done)


def inzage_build(*, export_id: int) -> str:
    """Make the ZIP of an inzage export. Safe to run twice: a finished export is left alone,
    a run of a dead worker is made again from the start."""
    from records.services import document_open, documents_storage
    from students.models import Student

    claimed = InzageExport.objects.filter(pk=export_id, status__in=[InzageStatus.QUEUED, InzageStatus.RUNNING]).update(
        status=InzageStatus.RUNNING, started_at=timezone.now(), done=0
    )
    if not claimed:
        return InzageExport.objects.filter(pk=export_id).values_list("status", flat=True).first() or ""
    export = InzageExport.objects.select_related("requested_by", "school").get(pk=export_id)
    try:
        student = Student.objects.select_related("school", "school_class").get(pk=export.student_id)
        collected = []
        for number, kind in enumerate(export_kinds(), start=1):
            collected.append(collect_kind(kind, student))
            _progress(export_id, number)
        made_at = timezone.localtime()
        # A temporary file, not memory: fifty scanned reports make a large ZIP.
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                documents = _documents(collected)
                for document in documents:
                    with document_open(document["_object"]) as stored, archive.open(document["bestand"], "w") as entry:
                        shutil.copyfileobj(stored, entry, CHUNK)
                data = _json(student, export, made_at, collected, documents)
                archive.writestr("inzage.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
                _progress(export_id, len(collected) + 1)
                archive.writestr("inzage.pdf", _pdf(student, export, made_at, collected, documents))
            size = spool.tell()
            spool.seek(0)
            name = documents_storage().save(f"inzage/{export.school_id}/{uuid.uuid4().hex}.zip", File(spool))
    except Exception as exc:
        InzageExport.objects.filter(pk=export_id).update(
            status=InzageStatus.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        log.warning("inzage export %s failed (%s)", export_id, type(exc).__name__)
        raise
    InzageExport.objects.filter(pk=export_id).update(
        status=InzageStatus.DONE,
        storage_name=name,
        size=size,
        done=export.total,
        finished_at=timezone.now(),
    )
    return InzageStatus.DONE


def _documents(collected) -> list[dict]:
    """The stored documents of the pupil, each with its path in the ZIP."""
    from records.models import Document

    ids = [row.pk for kind in collected if kind.code.endswith("documenten") for row in kind.rows]
    return [
        {
            "id": document.pk,
            "titel": document.title,
            "bestand": f"documenten/{document.pk}-{document.original_name}",
            "_object": document,
        }
        for document in Document.objects.filter(pk__in=ids).order_by("pk")
    ]


def _json(student, export, made_at, collected, documents) -> dict:
    return {
        "leerling": {"id": student.pk, "naam": student.full_name, "leerlingnummer": student.student_number},
        "school": export.school.name,
        "gemaakt_op": made_at.isoformat(),
        "gemaakt_door": export.requested_by.name,
        "soorten": [
            {
                "soort": kind.code,
                "omschrijving": kind.label,
                "rijen": [{"id": row.pk, "velden": row.values, "versies": row.versions} for row in kind.rows],
            }
            for kind in collected
        ],
        "documenten": [{k: v for k, v in d.items() if not k.startswith("_")} for d in documents],
    }


READ_LOG = "leesregistratie"


def _read_log_summary(collected) -> list[tuple]:
    """The read log for reading: per day, person and part of the file, how many times (every
    single read is in the JSON). A table of thousands of lines helps nobody and makes the PDF
    slow."""
    counts: dict = {}
    for kind in collected:
        if kind.code != READ_LOG:
            continue
        for row in kind.rows:
            day = timezone.localtime(datetime.fromisoformat(row.values["accessed_at"])).date()
            key = (day, row.readable["user_id"], row.readable["section"])
            counts[key] = counts.get(key, 0) + 1
    return [
        (date_format(day, "SHORT_DATE_FORMAT"), who, section, n)
        for (day, who, section), n in sorted(counts.items(), key=lambda item: item[0][0], reverse=True)
    ]


def _pdf(student, export, made_at, collected, documents) -> bytes:
    import weasyprint
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    html = render_to_string(
        "privacy/inzage_pdf.html",
        {
            "student": student,
            "export": export,
            "made_at": made_at,
            "kinds": collected,
            "documents": documents,
            "read_log": READ_LOG,
            "read_log_summary": _read_log_summary(collected),
        },
    )
    return weasyprint.HTML(string=html).write_pdf(
        stylesheets=[weasyprint.CSS(filename=finders.find("records/file-print.css"))]
    )


def inzage_files_expire(*, now=None) -> int:
    """Remove the ZIPs older than EXPORT_DAYS (the row stays: who asked, when)."""
    from records.services import documents_storage

    now = now or timezone.now()
    expired = list(
        InzageExport.objects.filter(
            status=InzageStatus.DONE, removed_at__isnull=True, finished_at__lt=now - timedelta(days=EXPORT_DAYS)
        ).exclude(storage_name="")
    )
    storage = documents_storage()
    for export in expired:
        storage.delete(export.storage_name)
        InzageExport.objects.filter(pk=export.pk).update(storage_name="", removed_at=now)
    return len(expired)
