"""Timeline kinds of the handover (see students/timeline.py). Each names only the other
school, never what travelled."""

from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section
from students.timeline import register

register("handovers.started", Section.ZORG, _("Overdracht naar %(school)s gestart"), icon="box-arrow-right")
register("handovers.accepted", Section.ZORG, _("Overdracht aanvaard door %(school)s"), icon="check2-circle")
register("handovers.received", Section.ZORG, _("Dossier overgedragen door %(school)s"), icon="box-arrow-in-right")
register(
    "handovers.summary_pdf",
    Section.ZORG,
    _("Zorgsamenvatting voor het overstapdossier gemaakt"),
    icon="file-earmark-pdf",
)
