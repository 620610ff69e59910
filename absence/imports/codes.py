"""The school's mapping of its LVS absence codes, chosen once in the import."""

from django.db import transaction

from ..models import AbsenceCodeMapping, CodeTarget
from .rules import normal_code


def absence_codes_save(*, school, actor, targets: dict[str, tuple[str, str]]) -> int:
    """Store how each code counts: {normal code: (the code as the LVS writes it, target)}.
    Returns the number of codes stored."""
    with transaction.atomic():
        for code, (label, target) in targets.items():
            if target not in CodeTarget.values:
                continue
            AbsenceCodeMapping.objects.update_or_create(
                school=school,
                code=normal_code(code),
                defaults={"label": label[:100], "target": target, "updated_by": actor},
            )
    return len(targets)
