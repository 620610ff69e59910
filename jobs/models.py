"""Deferred work other than e-mail (e-mail has its own outbox: notifications.Notification).

A service that wants work done later (recompute a school's absence signals after an
import, apply a large import, send a digest) stores a DeferredJob in its own transaction
and the job is queued after commit. The row is the promise: when the broker is down or a
queue message is lost, the sweep (jobs.tasks.jobs_sweep, every minute) runs what is still
needed. One row per key: asking twice before it ran means running once.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DeferredJobQuerySet(models.QuerySet):
    def needed(self):
        """Asked for (again) since the last completed run."""
        return self.filter(Q(done_generation__isnull=True) | Q(done_generation__lt=F("generation")))


class DeferredJob(models.Model):
    key = models.CharField(_("sleutel"), max_length=200, unique=True)
    task = models.CharField(_("taak"), max_length=200)
    args = models.JSONField(_("argumenten"), default=list)
    # Every request raises the generation; a run covers the generation it saw when it
    # started, so a request made while the job runs leads to one more run.
    generation = models.PositiveIntegerField(default=0)
    done_generation = models.PositiveIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(_("gevraagd op"))
    running_since = models.DateTimeField(_("bezig sinds"), null=True, blank=True)
    run_token = models.UUIDField(null=True, blank=True)
    finished_at = models.DateTimeField(_("laatst klaar op"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Publishing to the broker failed after commit: the next sweep takes it, whatever its age.
    queue_failed = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(_("mislukte pogingen"), default=0)
    # The exception's type only: a message could carry personal data into the admin.
    last_error = models.CharField(_("laatste fout"), max_length=200, blank=True)

    objects = DeferredJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitgesteld werk")
        verbose_name_plural = _("uitgesteld werk")
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["requested_at"], name="job_requested_idx")]

    def __str__(self):
        return self.key


class PeriodicRun(models.Model):
    """The last run of one periodic task (by task name), written by the worker around every
    run (jobs/schedule.py). Read by "Geplande taken": a task that has not run when its
    schedule says it should have is flagged, so a stopped beat is noticed within a day."""

    task = models.CharField(_("taak"), max_length=200, unique=True)
    last_started_at = models.DateTimeField(_("laatst gestart"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("laatst klaar"), null=True, blank=True)
    last_ok = models.BooleanField(_("gelukt"), null=True, blank=True)
    # Short and without personal data: a count the task returned, or the kind of error.
    last_result = models.CharField(_("resultaat"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("periodieke taak")
        verbose_name_plural = _("periodieke taken")

    def __str__(self):
        return self.task
