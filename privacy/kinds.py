"""Every kind of record that is about a pupil, registered once (privacy/registry.py).

Children before parents: a row that PROTECTs another goes first. The Meldcode part of the
zorgroute and of the record has its own, longer term; absence has its own; the pupil's
own details (name, guardians) go last, when nothing else of theirs is left.

A new app adds its models here, one line each (docs/privacy.md, "A new kind of record").
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import Term, register

MELDCODE = Q(section="meldcode")

# --- zorgroute and Meldcode -------------------------------------------------------------------
register(
    "meldcode_stappen", _("Meldcode-stappen"), "concerns.MeldcodeStep", student="concern__student", term=Term.MELDCODE
)
register(
    "meldcode_acties",
    _("acties bij Meldcode-meldingen"),
    "concerns.ConcernAction",
    student="concern__student",
    term=Term.MELDCODE,
    where=Q(concern__is_meldcode=True),
)
register(
    "zorgmelding_acties",
    _("acties bij zorgmeldingen"),
    "concerns.ConcernAction",
    student="concern__student",
    where=Q(concern__is_meldcode=False),
)

# --- the daily point card (cico): before the placements it belongs to ------------------------------
register("puntenkaart_scores", _("scores op de puntenkaart"), "cico.PeriodScore", student="day__card__student")
register("puntenkaart_voorstellen", _("voorstellen bij de puntenkaart"), "cico.CardProposal", student="card__student")
register("puntenkaart_dagen", _("dagen van de puntenkaart"), "cico.CardDay", student="card__student")
register("puntenkaart_uren", _("lesuren van de puntenkaart"), "cico.CardPeriod", student="card__student")
register("puntenkaart_verwachtingen", _("verwachtingen op de puntenkaart"), "cico.Expectation", student="card__student")
register("puntenkaarten", _("puntenkaarten"), "cico.Card")

# --- trajectories: referrals, placements, visits ------------------------------------------------
register(
    "doelresultaten",
    _("resultaten per doel"),
    "referrals.PlacementGoalResult",
    student="evaluation__placement__student",
)
register("evaluaties", _("evaluaties"), "referrals.PlacementEvaluation", student="placement__student")
# The kansencoach (seed 004): the conversations and the nominations point at the placement.
register(
    "gesprekken_kansencoach",
    _("gesprekken met de kansencoach"),
    "referrals.CoachingConversation",
    student="placement__student",
)
register("voordrachten_kansencoach", _("voordrachten bij de kansencoach"), "referrals.CoachingNomination")
register("doelen", _("doelen"), "referrals.PlacementGoal", student="placement__student")
register("rooster", _("roosteruren van plaatsingen"), "referrals.PlacementSlot", student="placement__student")
register("bezoeken", _("bezoeken"), "referrals.Visit")
register("plaatsingen", _("plaatsingen"), "referrals.Placement")
register(
    "aanmelding_stappen", _("stappen van aanmeldingen"), "referrals.ReferralTransition", student="referral__student"
)
register("aanmeldingen", _("aanmeldingen"), "referrals.Referral")

# The concerns themselves after the referrals that name them.
register(
    "meldcode_meldingen", _("Meldcode-meldingen"), "concerns.Concern", term=Term.MELDCODE, where=Q(is_meldcode=True)
)
register("zorgmeldingen", _("zorgmeldingen"), "concerns.Concern", where=Q(is_meldcode=False))

# --- the parents' portal: before the guardians its participants are -----------------------------
register(
    "portal_instemmingen",
    _("instemmingen via het ouderportaal"),
    "portal.PlanAgreement",
    student="participant__student",
)
register("portal_kijk", _("onze kijk (ouders)"), "portal.ParentView", student="participant__student")
register("portal_kijk_opp", _("onze kijk op het OPP (ouders)"), "portal.OppView", student="participant__student")
register(
    "portal_uitnodigingen",
    _("uitnodigingen voor het ouderportaal"),
    "portal.Invitation",
    student="participant__student",
)
register("portal_gedeeld", _("gedeeld met ouders"), "portal.Share")
register("portal_deelnemers", _("deelnemers aan het ouderportaal"), "portal.Participant")

# --- meetings ---------------------------------------------------------------------------------------
register("afspraken", _("afspraken"), "meetings.Agreement", student=("student", "item__student"))
register("agendapunten", _("agendapunten"), "meetings.AgendaItem")

# --- absence ----------------------------------------------------------------------------------------
register("verzuim_stappen", _("verzuimstappen"), "absence.EscalationStep", term=Term.VERZUIM)
register("verzuim_signalen", _("verzuimsignalen"), "absence.AbsenceSignal", term=Term.VERZUIM)
register("verzuim", _("verzuimregels"), "absence.AbsenceRecord", term=Term.VERZUIM)

# --- the care record's own entries ----------------------------------------------------------------
register("meldcode_notities", _("notities (Meldcode)"), "records.Note", term=Term.MELDCODE, where=MELDCODE)
register("notities", _("notities"), "records.Note", where=~MELDCODE)
register(
    "meldcode_documenten",
    _("documenten (Meldcode)"),
    "records.Document",
    term=Term.MELDCODE,
    where=MELDCODE,
    file_field="storage_name",
)
register("documenten", _("documenten"), "records.Document", where=~MELDCODE, file_field="storage_name")
register("gezin", _("gezinskoppelingen"), "records.FamilyLink", student=("student_a", "student_b"))

# --- handovers to another school: a waiting one is the sending school's record, an accepted
# one the receiving school's (the copy stays when the sending school's pupil is removed) -------
WAITING = Q(status="wacht")
register(
    "overdracht_onderdelen",
    _("overgedragen onderdelen"),
    "handovers.HandoverItem",
    student="handover__received_student",
    file_field="storage_name",
)
register(
    "overdracht_onderdelen_wachtend",
    _("onderdelen van een wachtende overdracht"),
    "handovers.HandoverItem",
    student="handover__student",
    where=Q(handover__status="wacht"),
    file_field="storage_name",
)
register("overdrachten", _("overdrachten"), "handovers.Handover", student="received_student")
register("overdrachten_wachtend", _("wachtende overdrachten"), "handovers.Handover", where=WAITING)

# --- the OPP and the requests to the samenwerkingsverband: before the consents and guardians
# they name ---------------------------------------------------------------------------------------
register(
    "swv_berichten",
    _("berichten bij aanvragen aan het samenwerkingsverband"),
    "plans.RequestMessage",
    student="request__student",
)
register("swv_aanvragen", _("aanvragen aan het samenwerkingsverband"), "plans.SupportRequest")
register("verwijzingen", _("verwijzingen naar partners"), "plans.ExternalReferral")
register("opp_versies", _("versies van het OPP"), "plans.PlanVersion", student="plan__student")
register("opp", _("OPP"), "plans.Plan")

# --- tasks about the pupil ------------------------------------------------------------------------
register("taken", _("taken"), "todo.Task")

# --- the file: consent, partners, timeline, change log, AVG requests --------------------------
register("toestemmingen", _("toestemmingen"), "students.Consent")
register("partners", _("betrokken partners"), "students.PartnerLink")
register("meldcode_tijdlijn", _("tijdlijn (Meldcode)"), "students.TimelineEvent", term=Term.MELDCODE, where=MELDCODE)
register(
    "verzuim_tijdlijn", _("tijdlijn (verzuim)"), "students.TimelineEvent", term=Term.VERZUIM, where=Q(section="verzuim")
)
register("tijdlijn", _("tijdlijn"), "students.TimelineEvent", where=~Q(section__in=["meldcode", "verzuim"]))
register("wijzigingen", _("wijzigingslog"), "audit.Change")
register("avg_verzoeken", _("AVG-verzoeken"), "privacy.RightsRequest")
register("inzage_exports", _("inzage-exports"), "privacy.InzageExport", file_field="storage_name")

# --- the read log: five years after each read, whether the pupil left or not ----------------------
register("leesregistratie", _("leesregistratie"), "students.FileAccess", term=Term.LEESLOG, anchor="accessed_at")

# --- last: the pupil's own details, once nothing else of theirs is left ------------------------------
register("ouders", _("ouders/verzorgers"), "students.Guardian", term=Term.LEERLING)
register("leerling", _("leerlinggegevens"), "students.Student", student="", term=Term.LEERLING)
