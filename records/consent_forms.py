"""The signed consent form (toestemmingsformulier) as a document of the pupil file.

A consent dated more than 30 days back needs its signed form (issue 15). The students app
asks for it on the consent form but cannot import this app (.importlinter); this module
registers how the form is stored: a Document of kind *toestemmingsformulier*, in the
consent section, attached to the consent (AttachTarget.CONSENT), checked like any upload.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carecoord.access.sections import Section
from students.services import register_signed_form_store

from .models import DocumentKind


def store_signed_form(*, consent, upload, actor):
    from .services import document_add

    try:
        return document_add(
            student=consent.student,
            actor=actor,
            upload=upload,
            title=_("Getekend toestemmingsformulier: %(scope)s") % {"scope": consent.scope_label},
            kind=DocumentKind.CONSENT_FORM,
            section=Section.TOESTEMMING,
            target=consent,
        )
    except ValidationError as exc:
        # The consent form shows it under its file field.
        raise ValidationError({"signed_form": exc.messages}) from exc


register_signed_form_store(store_signed_form)
