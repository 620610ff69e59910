"""The pupil's timeline and the read log: what happened in a file and who looked at it,
both append-only (students/models/__init__.py re-exports them)."""

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carecoord.access.sections import Section

from . import Student


class TimelineEventQuerySet(models.QuerySet):
    def for_sections(self, sections):
        return self.filter(section__in=sections)


class TimelineEvent(models.Model):
    """One line on a pupil's timeline, written by the service that did the thing.

    `kind` names an entry of the registry in students/timeline.py, which knows how to
    show it; `params` holds what the text needs, copied at the time (a snapshot, so
    the timeline shows what was true then and needs no extra queries). `section`
    decides who sees the line (carecoord/access/sections.py).
    """

    student = models.ForeignKey(Student, models.CASCADE, related_name="timeline", verbose_name=_("leerling"))
    occurred_at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("door")
    )
    kind = models.CharField(_("soort"), max_length=60)
    section = models.CharField(_("onderdeel"), max_length=20, choices=Section.choices)
    params = models.JSONField(default=dict, blank=True)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # The file shows one pupil's events newest first, page by page.
            models.Index(fields=["student", "-occurred_at", "-id"], name="timeline_student_time_idx"),
        ]

    def __str__(self):
        return f"{self.kind} ({self.occurred_at:%d-%m-%Y})"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The read log is append-only")

    def delete(self):
        raise PermissionError("The read log is append-only")


class FileAccessQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        from carecoord.access.students import file_access_q

        return self.filter(file_access_q(user))

    def append(self, *, user_id, section, page, accessed_at, request_id, pupils) -> None:
        """Append one row per (student_id, school_id) of `pupils`, in one INSERT per 500.

        Every list page writes up to 50 rows on every view; `bulk_create` built and prepared
        50 model instances for that (1.4 ms of Python per page at region scale, bench/
        region.py), this writes the same rows from plain values, on PostgreSQL and SQLite."""
        connection = connections[router.db_for_write(FileAccess)]
        quote = connection.ops.quote_name
        columns = ("user_id", "student_id", "school_id", "section", "page", "accessed_at", "request_id")
        accessed_at = connection.ops.adapt_datetimefield_value(accessed_at)
        pupils = list(pupils)
        with connection.cursor() as cursor:
            for start in range(0, len(pupils), 500):
                batch = pupils[start : start + 500]
                params = []
                for student_id, school_id in batch:
                    params += (user_id, student_id, school_id, section, page, accessed_at, request_id)
                cursor.execute(
                    f"INSERT INTO {quote(FileAccess._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "
                    + ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch)),
                    params,
                )


class FileAccess(models.Model):
    """The read log (in the spirit of NEN 7513): who opened which part of which pupil's
    file, or exported pupil data, when, in which request. Append-only: rows cannot be
    changed or deleted through the application or the admin; only retention removes them
    after their term (privacy/services/retention.py, through the base manager)."""

    # Every list page appends up to 50 rows on every view. The database does not re-check the
    # three references per row (a deferred foreign-key check each, 150 per list page: half the
    # INSERT's time at region scale, docs/performance.md): the ids were read from those tables
    # in the same request, ids are never reused, and PROTECT still stops the application from
    # deleting a pupil, person or school that has read-log rows (Django checks it, not the
    # database). A row stays what happened even if its pupil is removed by hand later.
    # student and school need no index of their own: the two indexes below start with them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("gebruiker"), db_constraint=False
    )
    student = models.ForeignKey(
        Student,
        models.PROTECT,
        related_name="file_accesses",
        verbose_name=_("leerling"),
        db_constraint=False,
        db_index=False,
    )
    school = models.ForeignKey(
        "accounts.School",
        models.PROTECT,
        related_name="+",
        verbose_name=_("school"),
        db_constraint=False,
        db_index=False,
    )
    section = models.CharField(_("onderdeel"), max_length=30)
    # Which page showed the pupil: the URL name ("concerns:concern_inbox"), so a row can be
    # traced to the page kind (README, "Read log: which page logs what").
    page = models.CharField(_("pagina"), max_length=80, blank=True, default="")
    accessed_at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    request_id = models.CharField(_("verzoek-id"), max_length=64)

    objects = FileAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("inzage")
        verbose_name_plural = _("leesregistratie")
        ordering = ["-accessed_at", "-pk"]
        indexes = [
            models.Index(fields=["student", "-accessed_at"], name="fileaccess_student_time_idx"),
            models.Index(fields=["school", "-accessed_at"], name="fileaccess_school_time_idx"),
        ]

    def __str__(self):
        return f"{self.user} — {self.student_id} — {self.section}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The read log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The read log is append-only")
