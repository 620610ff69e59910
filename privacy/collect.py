"""What the inzage export holds: every kind of record of privacy/registry.py for one pupil,
each row with every field and every version. Read in the background (privacy.services.inzage).

Another pupil named in a row (the sibling of a family link, the pupil of an agreement made
on this pupil's agenda item) is shown as "andere leerling", never by name: an inzage is
about this pupil only.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from records.history import shown_value

from .registry import kinds

# Bookkeeping that says nothing to the reader (and a stored file's random name).
HIDDEN = {"storage_name", "sha256", "import_position", "run_token"}


@dataclass
class Row:
    pk: int
    values: dict  # attname -> JSON-able value
    shown: list  # [(label, readable value)]
    readable: dict = field(default_factory=dict)  # attname -> readable value
    versions: list = field(default_factory=list)  # [{"datum", "door", "soort", "velden"}]


@dataclass
class KindRows:
    code: str
    label: str
    columns: list  # the readable field names, in the order of each row's `shown`
    rows: list

    @property
    def has_versions(self) -> bool:
        return any(row.versions for row in self.rows)


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.attname not in HIDDEN and f.name not in HIDDEN]


def _names(model, rows, student) -> dict:
    """{(related model, pk): readable} for every foreign key in `rows`: one query per model."""
    from students.models import Student

    wanted: dict = {}
    for f in _fields(model):
        if f.is_relation:
            ids = {getattr(row, f.attname) for row in rows} - {None}
            if ids:
                wanted.setdefault(f.related_model, set()).update(ids)
    names = {}
    for related, ids in wanted.items():
        if related is Student:
            for pk in ids:
                names[(related, pk)] = student.full_name if pk == student.pk else _("andere leerling")
            continue
        for obj in related._base_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = getattr(obj, "name", None) or str(obj)
    return names


CHANGE = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}


def _versions(model, pks, fields, names_for) -> dict[int, list]:
    """{object pk: its versions, oldest first}: one query for the versions of all rows."""
    if not hasattr(model, "history"):
        return {}
    history = list(
        model.history.model.objects.filter(id__in=pks)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    names = names_for(history)
    by_object: dict[int, list] = {}
    previous: dict[int, dict] = {}
    for version in history:
        values = {f.attname: getattr(version, f.attname, None) for f in fields if hasattr(version, f.attname)}
        before = previous.get(version.id)
        # The readable version shows what changed (all it said, for the first one); the JSON
        # keeps every field of every version.
        changed = [
            f
            for f in fields
            if f.attname in values
            and (values[f.attname] not in (None, "") if before is None else before.get(f.attname) != values[f.attname])
        ]
        previous[version.id] = values
        by_object.setdefault(version.id, []).append(
            {
                "datum": version.history_date.isoformat(),
                "datum_toon": date_format(timezone.localtime(version.history_date), "SHORT_DATETIME_FORMAT"),
                "door": version.history_user.name if version.history_user_id else _("het systeem"),
                "soort": CHANGE.get(version.history_type, version.history_type),
                "reden": version.history_change_reason or "",
                "velden": {name: _json_value(value) for name, value in values.items()},
                "toon": [(str(f.verbose_name), shown_value(f, values[f.attname], names)) for f in changed],
            }
        )
    return by_object


def collect_kind(kind, student) -> KindRows:
    """The rows of one kind of record of `student`, with their versions. A fixed number of
    queries per kind, whatever the number of rows."""
    model = kind.model_class
    rows = list(kind.rows([student.pk]).order_by("pk"))
    fields = _fields(model)
    names = _names(model, rows, student)
    versions = _versions(model, [r.pk for r in rows], fields, lambda history: _names(model, history, student))
    readables = {row.pk: {f.attname: shown_value(f, getattr(row, f.attname), names) for f in fields} for row in rows}
    return KindRows(
        code=kind.code,
        label=str(kind.label),
        columns=[str(f.verbose_name) for f in fields],
        rows=[
            Row(
                pk=row.pk,
                values={f.attname: _json_value(getattr(row, f.attname)) for f in fields},
                shown=[(str(f.verbose_name), readables[row.pk][f.attname]) for f in fields],
                readable=readables[row.pk],
                versions=versions.get(row.pk, []),
            )
            for row in rows
        ],
    )


def export_kinds():
    return [kind for kind in kinds() if kind.export]
