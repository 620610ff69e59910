"""Every model that holds data about a pupil is a registered kind of record: otherwise
retention would leave it behind and the inzage export would leave it out. A new app's model
fails here until it has its line in privacy/kinds.py (docs/privacy.md)."""

from django.apps import apps

from privacy.registry import KINDS
from students.models import Student

# Models that reach a pupil but are not the pupil's record, with the reason.
# (Versions tables go with their model; many-to-many tables with either side.)
NOT_RECORDS: dict[str, str] = {}


def _reaches_student(model, depth=0) -> bool:
    if model is Student:
        return True
    if depth >= 3:
        return False
    return any(
        f.is_relation
        and f.related_model is not None
        and (f.many_to_one or f.one_to_one)
        and _reaches_student(f.related_model, depth + 1)
        for f in model._meta.concrete_fields
    ) or any(f.related_model is Student for f in model._meta.many_to_many)


def test_every_model_about_a_pupil_is_a_registered_kind_of_record():
    registered = {kind.model.lower() for kind in KINDS.values()}
    missing = [
        model._meta.label_lower
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        and model._meta.label_lower not in NOT_RECORDS
        and _reaches_student(model)
        and model._meta.label_lower not in registered
    ]
    assert missing == [], f"register these in privacy/kinds.py: {missing}"


def test_every_registered_model_exists_and_reaches_a_pupil():
    for kind in KINDS.values():
        model = kind.model_class
        assert _reaches_student(model), kind.code
