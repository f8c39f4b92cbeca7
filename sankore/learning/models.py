"""Enrolments of learners into sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    """One row per (learner, session), ever: unenrolling deactivates it, re-enrolling revives it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="enrolments"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_run"], name="learning_enrolment_once"),
        ]
        indexes = [models.Index(fields=["course_run", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.course_run}"


class BlockCompletion(models.Model):
    """A learner completed one block of a session (by the block's stable key): written once,
    never duplicated, whatever the number of tabs or retried requests."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="block_completions"
    )
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="block_completions"
    )
    block_key = models.CharField(max_length=64)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("activité terminée")
        verbose_name_plural = _("activités terminées")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_run", "block_key"], name="learning_block_completed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.block_key}"


class RunProgress(models.Model):
    """A learner's progress in a session, kept current on every completion so that lists
    (dashboard, follow-up of thousands of learners) read it without counting."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="run_progress"
    )
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="learner_progress"
    )
    completed_blocks = models.PositiveIntegerField(_("activités terminées"), default=0)
    total_blocks = models.PositiveIntegerField(_("activités du cours"), default=0)
    percent = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    # {chapter key: [completed, total]} against the publication the learner last worked on.
    chapters = models.JSONField(default=dict, blank=True)
    last_unit_key = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("progression")
        verbose_name_plural = _("progressions")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_run"], name="learning_progress_once"),
        ]
        indexes = [models.Index(fields=["course_run", "percent"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.course_run_id}: {self.percent} %"
