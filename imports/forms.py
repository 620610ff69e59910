from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from carecoord.forms import form_helper


class UploadForm(forms.Form):
    file = forms.FileField()

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["file"].label = kind.file_label
        self.fields["file"].help_text = kind.file_help
        self.fields["file"].widget = forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
        self.helper = form_helper(_("Controleren"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("Dit bestand is %(size)s MB; het maximum is %(max)s MB.")
                % {"size": round(upload.size / 1024 / 1024, 1), "max": settings.MAX_UPLOAD_MB}
                + " "
                + str(self.kind.too_big_hint)
            )
        return upload


class ConfirmForm(forms.Form):
    """The options of confirming an import; a kind subclasses it with its own fields."""

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch

    def options(self) -> dict:
        return dict(self.cleaned_data)
