"""Family links suggested at the LVS import (students.signals.pupils_imported)."""

from django.dispatch import receiver

from students.signals import pupils_imported

from .services.families import family_suggest


@receiver(pupils_imported, dispatch_uid="records.family_suggest")
def suggest_families_after_import(sender, school, **kwargs):
    # In the import's own transaction: the suggestions exist exactly when the import does.
    family_suggest(school=school)
