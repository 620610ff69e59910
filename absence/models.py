"""Absence (verzuim): registrations from the LVS or entered by hand, the pupil's current
signal, the MAS escalation steps, and the school's thresholds.

Absence is its own app because it is its own legal regime: the Leerplichtwet obliges the
school to report 16 hours of unauthorised absence in 4 consecutive school weeks, and
leerplicht sees signalled pupils on that legal basis, not on consent. It also has its own
import and by far the largest data volume (a registration per lesson, millions a year in a
region), which the signal computation is built for (absence/signals.py).

Every model holding pupil data has `visible_to(user)` (carecoord/access/absence.py).
"""

import math

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The statutory threshold (Leerplichtwet 1969, art. 21a): 16 hours of unauthorised absence
# within 4 consecutive school weeks must be reported to leerplicht (DUO verzuimregister).
# The law, not a school setting.
STATUTORY_MINUTES = 16 * 60
WINDOW_WEEKS = 4
# Thuiszitter (long-term absence): absent on every one of the last 20 school days,
# i.e. four school weeks of five days (see absence/signals.py).
THUISZITTER_DAYS = 20


def hours(minutes: int | None) -> float:
    """Minutes as hours with one decimal, rounded *down*: 959 minutes show as 15,9, never as a
    16,0 that has not reached the statutory threshold."""
    return math.floor((minutes or 0) / 6) / 10


class AbsenceKind(models.TextChoices):
    UNAUTHORISED = "ongeoorloofd", _("ongeoorloofd afwezig")
    AUTHORISED = "geoorloofd", _("geoorloofd afwezig")
    LATE = "te_laat", _("te laat")
    SENT_OUT = "verwijderd", _("uit de les verwijderd")
    # Expected in the viproom and not checked in 15 minutes after the lesson hour began
    # (referrals.services.no_shows_record). Counts towards the signal per the school's policy.
    NO_SHOW = "niet_verschenen", _("niet verschenen in de viproom")


class AbsenceSource(models.TextChoices):
    IMPORT = "import", _("LVS-import")
    MANUAL = "handmatig", _("handmatig")
    VIPROOM = "viproom", _("viproom")


class AbsenceRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.absence import absence_q

        return self.filter(absence_q(user))


class AbsenceRecord(models.Model):
    """One registration: a pupil absent (or late, or sent out) for a lesson or part of a day.

    `lesson` is the lesson hour (lesuur) from the LVS, 0 when the registration is not per
    lesson. `school` repeats the pupil's school so imports and the nightly computation
    filter on one indexed column.
    """

    student = models.ForeignKey(
        "students.Student", models.CASCADE, related_name="absence_records", verbose_name=_("leerling")
    )
    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    date = models.DateField(_("datum"))
    lesson = models.PositiveSmallIntegerField(_("lesuur"), default=0, help_text=_("0: niet per lesuur."))
    kind = models.CharField(_("soort"), max_length=20, choices=AbsenceKind.choices)
    minutes = models.PositiveSmallIntegerField(_("minuten"))
    source = models.CharField(_("bron"), max_length=10, choices=AbsenceSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    objects = AbsenceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("verzuimregistratie")
        verbose_name_plural = _("verzuimregistraties")
        ordering = ["-date", "lesson"]
        constraints = [
            # One registration per pupil, day, lesson and kind from each source: the key a
            # re-import updates by (it never duplicates). Also serves the per-pupil reads.
            models.UniqueConstraint(
                fields=["student", "date", "lesson", "kind", "source"], name="uniq_absence_record_key"
            ),
            models.CheckConstraint(condition=models.Q(minutes__lte=24 * 60), name="absence_minutes_within_a_day"),
            models.CheckConstraint(condition=models.Q(lesson__lte=20), name="absence_lesson_at_most_20"),
        ]
        indexes = [
            # Imports compare a school's registrations over the file's period; the nightly
            # computation reads a school's registrations of the last months.
            models.Index(fields=["school", "date"], name="absence_school_date_idx"),
        ]

    def __str__(self):
        return f"{self.student_id} {self.date} {self.kind} {self.minutes}"

    @property
    def hours(self) -> float:
        return hours(self.minutes)


class SignalLevel(models.IntegerChoices):
    """Ordered: a higher number is more serious (the overview sorts on it)."""

    NONE = 0, _("geen signaal")
    EARLY = 1, _("vroegsignaal")
    REPORT_DUE = 2, _("melding verplicht")
    THUISZITTER = 3, _("thuiszitter")


class MasStep(models.IntegerChoices):
    """The steps of the methodical absence approach (MAS), in escalation order."""

    MENTOR_CONTACT = 1, _("Mentor neemt contact op met ouders")
    COORDINATOR_TALK = 2, _("Gesprek met de zorgcoördinator")
    ADVIESGESPREK = 3, _("Adviesgesprek met leerplicht")
    REPORT = 4, _("Melding bij leerplicht (DUO-verzuimregister)")


class AbsenceSignalQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.absence import absence_q

        return self.filter(absence_q(user))

    def signalled(self):
        return self.filter(level__gt=SignalLevel.NONE)


class AbsenceSignal(models.Model):
    """The pupil's current absence signal, written only by the signal computation
    (services.signals_compute) after each import, each manual change and nightly.

    `level_since` is the date the level last changed; `crossed_on` the date the statutory
    threshold was reached and not yet followed by a report to leerplicht. The figures are
    those of the last 4 school weeks as of the last computation that changed them.
    """

    student = models.OneToOneField(
        "students.Student",
        models.CASCADE,
        primary_key=True,
        related_name="absence_signal",
        verbose_name=_("leerling"),
    )
    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    level = models.PositiveSmallIntegerField(_("signaal"), choices=SignalLevel.choices, default=SignalLevel.NONE)
    level_since = models.DateField(_("signaal sinds"))
    # First school day of the window in which the current signal arose; MAS steps from this
    # date on count for it (a step of an earlier episode does not).
    episode_start = models.DateField(_("verzuimperiode vanaf"), null=True, blank=True)
    unauthorised_minutes = models.PositiveIntegerField(_("ongeoorloofd (min, 4 schoolweken)"), default=0)
    authorised_minutes = models.PositiveIntegerField(_("geoorloofd (min, 4 schoolweken)"), default=0)
    previous_minutes = models.PositiveIntegerField(_("ongeoorloofd (min, 4 schoolweken ervoor)"), default=0)
    late_count = models.PositiveSmallIntegerField(_("te laat (4 schoolweken)"), default=0)
    late_max_week = models.PositiveSmallIntegerField(_("te laat (meeste in één week)"), default=0)
    sent_out_count = models.PositiveSmallIntegerField(_("verwijderd (4 schoolweken)"), default=0)
    crossed_on = models.DateField(_("wettelijke grens bereikt op"), null=True, blank=True)
    absent_since = models.DateField(_("aaneengesloten afwezig sinds"), null=True, blank=True)
    next_step = models.PositiveSmallIntegerField(_("volgende stap"), choices=MasStep.choices, null=True, blank=True)
    next_step_due = models.DateField(_("volgende stap uiterlijk"), null=True, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = AbsenceSignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("verzuimsignaal")
        verbose_name_plural = _("verzuimsignalen")
        ordering = ["-level", "-unauthorised_minutes"]
        indexes = [
            # The overview: one school's pupils, most serious first.
            models.Index(fields=["school", "-level", "-unauthorised_minutes"], name="absence_signal_overview_idx"),
        ]

    def __str__(self):
        return f"{self.student_id}: {self.get_level_display()}"

    @property
    def unauthorised_hours(self) -> float:
        return hours(self.unauthorised_minutes)

    @property
    def authorised_hours(self) -> float:
        return hours(self.authorised_minutes)

    @property
    def previous_hours(self) -> float:
        return hours(self.previous_minutes)

    @property
    def trend(self) -> str:
        """'up', 'down' or 'flat': this window against the four school weeks before it
        (an hour either way is noise)."""
        difference = self.unauthorised_minutes - self.previous_minutes
        if difference >= 60:
            return "up"
        if difference <= -60:
            return "down"
        return "flat"


class EscalationStepQuerySet(models.QuerySet):
    def visible_to(self, user):
        from carecoord.access.absence import absence_q

        return self.filter(absence_q(user))


class EscalationStep(models.Model):
    """A MAS step taken for a pupil: date, who, outcome. Shown on the pupil's timeline
    (section VERZUIM). A report to leerplicht resolves a pending statutory signal. A step
    may follow from a zorgmelding (e.g. a mentor's concern in the verzuim category)."""

    student = models.ForeignKey(
        "students.Student", models.CASCADE, related_name="absence_steps", verbose_name=_("leerling")
    )
    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    step = models.PositiveSmallIntegerField(_("stap"), choices=MasStep.choices)
    on = models.DateField(_("datum"))
    who = models.CharField(_("door wie"), max_length=200, help_text=_("Wie de stap heeft gezet, bijv. de mentor."))
    outcome = models.TextField(_("uitkomst"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("vastgelegd door")
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    concern = models.ForeignKey(
        "concerns.Concern",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="absence_steps",
        verbose_name=_("naar aanleiding van zorgmelding"),
    )

    objects = EscalationStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("MAS-stap")
        verbose_name_plural = _("MAS-stappen")
        ordering = ["-on", "-pk"]
        indexes = [
            # The overview asks per pupil for the highest step since the episode started.
            models.Index(fields=["student", "-step", "-on"], name="absence_step_student_idx"),
        ]

    def __str__(self):
        return f"{self.get_step_display()} ({self.on:%d-%m-%Y})"


class AbsencePolicy(models.Model):
    """A school's early-warning thresholds (MAS: signal well before the statutory 16 hours).
    A school without a row uses the defaults."""

    school = models.OneToOneField(
        "accounts.School", models.CASCADE, related_name="absence_policy", verbose_name=_("school")
    )
    early_warning_minutes = models.PositiveIntegerField(
        _("vroegsignaal vanaf (minuten ongeoorloofd in 4 schoolweken)"), default=8 * 60
    )
    late_per_week = models.PositiveSmallIntegerField(
        _("vroegsignaal vanaf (keer te laat in één schoolweek)"), default=3
    )
    whole_day_minutes = models.PositiveSmallIntegerField(
        _("een hele dag afwezig vanaf (minuten)"),
        default=240,
        help_text=_("Voor thuiszitters: een schooldag telt als afwezig vanaf zoveel minuten verzuim."),
    )
    lesson_minutes = models.PositiveSmallIntegerField(
        _("lengte van een lesuur (minuten)"),
        default=50,
        help_text=_("Voor regels in de LVS-export met een lesuur maar zonder minuten."),
    )
    no_show_counts = models.BooleanField(
        _("niet verschenen in de viproom telt als ongeoorloofd verzuim"),
        default=True,
        help_text=_(
            "Een leerling die in de viproom verwacht werd en niet kwam, was ook niet in de les. "
            "Zet dit uit als jullie dat lesuur al in het LVS registreren."
        ),
    )

    class Meta:
        verbose_name = _("verzuiminstelling")
        verbose_name_plural = _("verzuiminstellingen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(early_warning_minutes__gte=60, early_warning_minutes__lt=STATUTORY_MINUTES),
                name="absence_policy_early_below_statutory",
            ),
            models.CheckConstraint(condition=models.Q(late_per_week__gte=1), name="absence_policy_late_at_least_1"),
            models.CheckConstraint(
                condition=models.Q(whole_day_minutes__gte=30, whole_day_minutes__lte=600),
                name="absence_policy_whole_day_sane",
            ),
            models.CheckConstraint(
                condition=models.Q(lesson_minutes__gte=10, lesson_minutes__lte=120),
                name="absence_policy_lesson_sane",
            ),
        ]

    def __str__(self):
        return str(self.school)

    @property
    def early_warning_hours(self) -> float:
        return self.early_warning_minutes / 60

    @classmethod
    def for_school(cls, school) -> "AbsencePolicy":
        """The school's policy, or an unsaved one with the defaults (one query)."""
        return cls.objects.filter(school=school).first() or cls(school=school)


class MasDeadlines(models.Model):
    """A school's table of MAS step deadlines: how many days each step may take after the
    signal that asks for it, before the overview and "Mijn taken" show it as overdue. Set by
    the functioneel beheerder (the regional MAS agreement differs per region). A school
    without a row uses the defaults (docs/absence.md, "MAS steps and what is overdue")."""

    school = models.OneToOneField(
        "accounts.School", models.CASCADE, related_name="mas_deadlines", verbose_name=_("school")
    )
    # MAS: the mentor contacts the parents within a week of the early warning.
    mentor_contact_days = models.PositiveSmallIntegerField(
        _("mentor neemt contact op met ouders (dagen na het vroegsignaal)"), default=7
    )
    # A thuiszitter: the adviesgesprek with leerplicht within a week of the signal.
    adviesgesprek_days = models.PositiveSmallIntegerField(
        _("adviesgesprek met leerplicht (dagen na het thuiszittersignaal)"), default=7
    )
    # Leerplichtwet art. 21a: report "onverwijld" once 16 hours in 4 school weeks are
    # reached; at most two weeks, whatever the school sets.
    report_days = models.PositiveSmallIntegerField(
        _("melding bij leerplicht (dagen na het bereiken van 16 uur)"), default=7
    )

    class Meta:
        verbose_name = _("termijnen MAS-stappen")
        verbose_name_plural = _("termijnen MAS-stappen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mentor_contact_days__gte=1, mentor_contact_days__lte=30),
                name="absence_mas_mentor_contact_days_sane",
            ),
            models.CheckConstraint(
                condition=models.Q(adviesgesprek_days__gte=1, adviesgesprek_days__lte=30),
                name="absence_mas_adviesgesprek_days_sane",
            ),
            models.CheckConstraint(
                condition=models.Q(report_days__gte=1, report_days__lte=14),
                name="absence_mas_report_days_onverwijld",
            ),
        ]

    def __str__(self):
        return str(self.school)

    @classmethod
    def for_school(cls, school) -> "MasDeadlines":
        """The school's table, or an unsaved one with the defaults (one query)."""
        return cls.objects.filter(school=school).first() or cls(school=school)


class CodeTarget(models.TextChoices):
    """How a code of the school's LVS counts here."""

    UNAUTHORISED = "ongeoorloofd", _("ongeoorloofd afwezig")
    AUTHORISED = "geoorloofd", _("geoorloofd afwezig")
    BY_COLUMN = "kolom", _("afwezig: geoorloofd of niet volgens de kolom Geoorloofd")
    LATE = "te_laat", _("te laat")
    SENT_OUT = "verwijderd", _("uit de les verwijderd")
    IGNORE = "negeren", _("telt niet als verzuim (overslaan)")


class AbsenceCodeMapping(models.Model):
    """A code of the school's LVS (Absent, Ziek, Medisch, …) and how it counts here, chosen
    once per school in the import and used for every later export."""

    school = models.ForeignKey("accounts.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    code = models.CharField(_("code (zoals vergeleken)"), max_length=100)
    label = models.CharField(_("code in het LVS"), max_length=100)
    target = models.CharField(_("telt als"), max_length=20, choices=CodeTarget.choices)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("verzuimcode")
        verbose_name_plural = _("verzuimcodes")
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="uniq_absence_code_per_school")]

    def __str__(self):
        return f"{self.label}: {self.get_target_display()}"
