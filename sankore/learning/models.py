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
