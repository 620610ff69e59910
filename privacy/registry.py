"""The kinds of record (soorten gegevens) that retention removes and the inzage export shows.

One registry for both, so what the school is told it keeps (the export) is exactly what
retention removes. A kind names a model, the path from its rows to the pupil, and the
retention term (`Term`) that applies. An app adds its model with one line in
`privacy/kinds.py` (see docs/privacy.md):

    register("opp", _("OPP's"), "opp.Plan", term=Term.ZORG)

Order matters for removal: a row that PROTECTs another must go first, so register a
child (a goal of a plan) before its parent (the plan). `tests/test_registry.py` fails for
a model that reaches a pupil and is not registered.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q


class Term:
    """The retention terms a school sets (privacy.models.RetentionTerm); defaults in DEFAULT_MONTHS."""

    ZORG = "zorg"
    MELDCODE = "meldcode"
    VERZUIM = "verzuim"
    LEERLING = "leerling"
    LEESLOG = "leeslog"


@dataclass(frozen=True)
class RecordKind:
    code: str
    label: object  # lazy text: "zorgmeldingen"
    model: str  # "app_label.ModelName"
    student: tuple[str, ...]  # paths from a row to its pupil ("" for the pupil itself)
    term: str
    where: Q | None = None  # only these rows (e.g. the Meldcode concerns)
    export: bool = True  # in the inzage export
    file_field: str = ""  # a field naming a file in the "documents" storage, removed with the row
    # What the term counts from: "" is the day the pupil left; else a date-time field of the
    # row itself (the read log: five years after each read), with the row's `school`.
    anchor: str = ""

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def student_q(self, students) -> Q:
        """Q for the rows of `students` (a queryset of pupil ids, or a list)."""
        q = Q()
        for path in self.student:
            q |= Q(**{f"{path}__in" if path else "pk__in": students})
        return q & self.where if self.where is not None else q

    def rows(self, students):
        # The base manager: retention must see every row (also what a QuerySet hides).
        return self.model_class._base_manager.filter(self.student_q(students))

    @property
    def has_history(self) -> bool:
        return hasattr(self.model_class, "history")


KINDS: dict[str, RecordKind] = {}


def register(
    code: str,
    label,
    model: str,
    *,
    student="student",
    term: str = Term.ZORG,
    where=None,
    export=True,
    file_field="",
    anchor="",
):
    """Add a kind of record. `student` is the path to the pupil, or a tuple of paths (a
    family link names two pupils); `file_field` names the stored file of a row (a document)."""
    if code in KINDS:
        raise RuntimeError(f"Kind of record {code!r} is registered twice")
    paths = (student,) if isinstance(student, str) else tuple(student)
    KINDS[code] = RecordKind(code, label, model, paths, term, where, export, file_field, anchor)
    return KINDS[code]


def kinds() -> list[RecordKind]:
    return list(KINDS.values())
