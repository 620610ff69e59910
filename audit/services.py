"""Recording who changed what (see models.Change): one function for every service."""

from datetime import date, datetime, time

from django.db import models

from .models import Change


def _plain(value):
    """A value as JSON can hold it: model instances as their id, dates and times as ISO text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def values_of(instance, fields) -> dict:
    """The current values of `fields` on `instance` (foreign keys as ids, many-to-many as
    sorted ids): take one before a change and one after, then `change_record` compares."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
        elif field.is_relation:
            values[name] = getattr(instance, field.attname)
        else:
            values[name] = _plain(getattr(instance, name))
    return values


def stored_values(instance, fields) -> dict:
    """`values_of` the row as stored (a form may already have changed the instance in
    memory); {} for an instance not saved yet."""
    if instance.pk is None:
        return {}
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    return values_of(stored, fields) if stored is not None else {}


def change_record(
    *, school, actor, kind: str, obj=None, before=None, after=None, hidden=(), student=None, object_type=""
) -> Change | None:
    """Record that `actor` changed `obj` at `school` (call inside the service's transaction).

    `before` and `after` are {field: value} (see `values_of`); only fields whose value
    differs are kept, as [old, new]. Fields in `hidden` (free text about a pupil) keep only
    their name. A creation has no `before`, a removal no `after`. Returns None (and writes
    nothing) when nothing changed.
    """
    before, after = before or {}, after or {}
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new:
            changes[name] = None if name in hidden else [old, new]
    if not changes:
        return None
    if obj is not None and not object_type:
        object_type = obj._meta.label_lower
    return Change.objects.create(
        school_id=getattr(school, "pk", school),
        student=student,
        actor=actor,
        kind=kind,
        object_type=object_type,
        object_id=getattr(obj, "pk", None),
        changes=changes,
    )
