import functools
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from records.models import Note, NoteKind


@functools.cache
def pdf_bytes(text: str = "Verslag") -> bytes:
    """A small real PDF (WeasyPrint), as a report from a psychologist would be."""
    import weasyprint

    return weasyprint.HTML(string=f"<p>{text}</p>").write_pdf()


def pdf_upload(name: str = "verslag.pdf", text: str = "Verslag") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


# A Windows program starts with "MZ" and carries a PE header: what libmagic calls
# application/x-dosexec, whatever the file is called.
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + b"\x80\x00\x00\x00"
    + b"\x00" * 64
    + b"PE\x00\x00"
    + b"\x00" * 200
)
# The EICAR anti-virus test file: harmless, and every scanner must find it.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class NoteFactory(DjangoModelFactory):
    class Meta:
        model = Note

    student = factory.SubFactory("students.tests.factories.StudentFactory")
    school = factory.LazyAttribute(lambda o: o.student.school)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = NoteKind.PHONE
    text = factory.Sequence(lambda n: f"Telefoongesprek nummer {n} met moeder.")
    section = "zorg"
    author = factory.SubFactory("accounts.tests.factories.UserFactory")
