"""Answers and scores: every submission kept as it was sent, a learner's current score per
problem, the session's grading policy and the learner's grade it gives."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """One answer to one problem, append-only: never changed nor deleted by the platform.

    ``client_token`` is written into the problem's form when the page is shown: the same
    token sent twice (a double click, a retried request on a weak connection) is one
    submission, not two attempts.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="submissions"
    )
    block_key = models.CharField(max_length=64)
    client_token = models.CharField(max_length=64)
    # The publication whose version of the problem was answered.
    publication_version = models.PositiveIntegerField()
    answer = models.JSONField()
    score = models.DecimalField(max_digits=6, decimal_places=4)  # a fraction of the points
    points = models.DecimalField(max_digits=6, decimal_places=2)
    is_correct = models.BooleanField()
    attempt = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_run", "block_key", "client_token"],
                name="assessments_submission_once_per_token",
            ),
            models.UniqueConstraint(
                fields=["user", "course_run", "block_key", "attempt"],
                name="assessments_submission_attempt_once",
            ),
        ]
        indexes = [models.Index(fields=["course_run", "block_key"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.block_key} #{self.attempt}"


class ProblemScore(models.Model):
    """A learner's current standing on one problem: the attempts used and the score of the
    last one, kept by the submission service under a row lock."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="problem_scores"
    )
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="problem_scores"
    )
    block_key = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=6, decimal_places=4, default=Decimal(0))
    is_correct = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score d'un exercice")
        verbose_name_plural = _("scores des exercices")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_run", "block_key"], name="assessments_score_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.block_key}: {self.score}"


class GradingPolicy(models.Model):
    """A session's barème: its assessment types and the threshold to pass."""

    course_run = models.OneToOneField(
        "catalog.CourseRun", on_delete=models.CASCADE, primary_key=True, related_name="grading"
    )
    passing_percent = models.DecimalField(
        _("seuil de réussite (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("barème")
        verbose_name_plural = _("barèmes")

    def __str__(self) -> str:
        return f"{self.course_run} — {self.passing_percent} %"


class AssessmentType(models.Model):
    policy = models.ForeignKey(GradingPolicy, on_delete=models.CASCADE, related_name="types")
    name = models.CharField(_("type d'évaluation"), max_length=60)
    weight = models.DecimalField(
        _("poids (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    drop_lowest = models.PositiveSmallIntegerField(_("notes les plus basses retirées"), default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("type d'évaluation")
        verbose_name_plural = _("types d'évaluation")
        ordering = ["policy_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "name"], name="assessments_type_name_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight} %)"


class LearnerGrade(models.Model):
    """A learner's grade in a session, updated on each of their submissions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grades"
    )
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="learner_grades"
    )
    percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    passed = models.BooleanField(default=False)
    passed_at = models.DateTimeField(null=True, blank=True)
    # [{"name", "weight", "score", "counted", "dropped"}] as the policy computed them.
    by_type = models.JSONField(default=list)
    # The barème and the publication it was computed with: a grade whose versions are not
    # the session's current ones is being recomputed (see GradeRecomputation).
    policy_version = models.PositiveIntegerField(default=0)
    content_version = models.PositiveIntegerField(default=0)
    # The newest problem score it was computed from: a computation that read older scores
    # never overwrites it (a recomputation racing a learner's answer).
    scores_at = models.DateTimeField(null=True, blank=True)
    # Set by the course team (with a reason, see GradeChange); wins over the computed one.
    override_percent = models.DecimalField(
        _("note corrigée (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_run"], name="assessments_grade_once"),
        ]
        indexes = [models.Index(fields=["course_run", "percent"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.course_run_id}: {self.percent} %"

    @property
    def effective_percent(self) -> Decimal:
        return self.override_percent if self.override_percent is not None else self.percent


class GradeChange(models.Model):
    """Who changed a learner's grade, from what to what, when and why: never edited."""

    grade = models.ForeignKey(LearnerGrade, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_percent = models.DecimalField(max_digits=5, decimal_places=2)
    new_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    reason = models.TextField(_("motif"))
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("correction de note")
        verbose_name_plural = _("corrections de notes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.grade} : {self.old_percent} → {self.new_percent}"


# Peer assessment (open responses graded with a rubric by other learners).


def _response_file_path(instance: OpenResponse, filename: str) -> str:
    """A path nobody can guess: the file is only ever served by a view that checked who asks."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"reponses-ouvertes/{instance.course_run_id}/{secrets.token_urlsafe(24)}.{extension}"


class OpenResponseStatus(models.TextChoices):
    PEERS = "peers", _("en attente des pairs")
    STAFF = "staff", _("en attente de l'équipe pédagogique")
    GRADED = "graded", _("notée")


class ScoreSource(models.TextChoices):
    PEERS = "peers", _("évaluations des pairs")
    SELF = "self", _("auto-évaluation")
    STAFF = "staff", _("équipe pédagogique")
    OVERRIDE = "override", _("correction de l'équipe pédagogique")


class OpenResponse(models.Model):
    """A learner's one response to an open-response block, with the rules it is graded by
    (rubric, number of peers, delay) as published when it was sent: a later publication
    does not change how an earlier response is graded."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="open_responses"
    )
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="open_responses"
    )
    block_key = models.CharField(max_length=64)
    publication_version = models.PositiveIntegerField()
    client_token = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    file = models.FileField(upload_to=_response_file_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    # {"criteria": [{"id", "name", "levels": [{"id", "label", "points"}]}], "max_points"}
    rubric = models.JSONField()
    peers_required = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)
    # Past this moment, missing peer reviews are replaced (peers received, self, staff).
    deadline_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=OpenResponseStatus.choices, default=OpenResponseStatus.PEERS
    )
    # Counters kept with F() under the row lock: peer reviews handed out (open or done),
    # peer reviews done, and reviews the author gave to others (priority to them).
    peer_reviews_allocated = models.PositiveSmallIntegerField(default=0)
    peer_reviews_done = models.PositiveSmallIntegerField(default=0)
    reviews_given = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    score_source = models.CharField(max_length=10, choices=ScoreSource.choices, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("réponse ouverte")
        verbose_name_plural = _("réponses ouvertes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_run", "block_key"], name="assessments_open_response_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["course_run", "block_key", "status", "peer_reviews_allocated"],
                name="assessments_open_to_review",
            ),
            models.Index(fields=["status", "deadline_at"], name="assessments_open_deadline"),
            models.Index(
                fields=["course_run", "status", "submitted_at"], name="assessments_open_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.block_key} ({self.status})"


class PeerReview(models.Model):
    """One assessment of a response with its rubric: by a peer (allocated first, filled in
    within an hour or released) or by its author (``is_self``)."""

    response = models.ForeignKey(OpenResponse, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_reviews"
    )
    course_run = models.ForeignKey("catalog.CourseRun", on_delete=models.CASCADE, related_name="+")
    block_key = models.CharField(max_length=64)
    is_self = models.BooleanField(default=False)
    scores = models.JSONField(default=dict)  # {criterion id: level id}
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True)
    allocated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("évaluation par un pair")
        verbose_name_plural = _("évaluations par les pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "response"], name="assessments_review_once_per_reviewer"
            ),
            # One response at a time in a reviewer's hands, per block.
            models.UniqueConstraint(
                fields=["reviewer", "course_run", "block_key"],
                condition=models.Q(submitted_at__isnull=True),
                name="assessments_review_one_open",
            ),
        ]
        indexes = [
            models.Index(
                fields=["course_run", "block_key", "reviewer"], name="assessments_review_by"
            ),
            models.Index(fields=["submitted_at", "allocated_at"], name="assessments_review_open"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.response_id}"


class PeerGradeChange(models.Model):
    """The course team's grading of an open response (from the staff queue, or correcting a
    peer grade): who, from what to what, when and why; never edited."""

    response = models.ForeignKey(OpenResponse, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_score = models.DecimalField(max_digits=6, decimal_places=4, null=True)
    new_score = models.DecimalField(max_digits=6, decimal_places=4)
    scores = models.JSONField(default=dict)  # the rubric levels chosen
    reason = models.TextField(_("motif"), blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("note d'une réponse ouverte")
        verbose_name_plural = _("notes des réponses ouvertes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.response_id} : {self.old_score} → {self.new_score}"


class RecomputationStatus(models.TextChoices):
    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("en cours")
    DONE = "done", _("terminé")
    SUPERSEDED = "superseded", _("remplacé par un plus récent")
    FAILED = "failed", _("échoué")


class GradeRecomputation(models.Model):
    """The grades of a whole session recomputed in the background after its barème or its
    content changed: one per (barème version, publication version), so asking twice, or a
    task run twice, does the work once."""

    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="grade_recomputations"
    )
    policy_version = models.PositiveIntegerField()
    content_version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=RecomputationStatus.choices, default=RecomputationStatus.QUEUED
    )
    learners = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("recalcul des notes")
        verbose_name_plural = _("recalculs des notes")
        ordering = ["-queued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course_run", "policy_version", "content_version"],
                name="assessments_recomputation_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_run_id} v{self.policy_version}/{self.content_version}: {self.status}"


class ExamAccess(models.Model):
    """A candidate typed the right access code of a supervised exam: they may answer its
    problems while it is open. Kept, so the exam centre knows who entered and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_accesses"
    )
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="exam_accesses"
    )
    unit_key = models.CharField(max_length=64)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("entrée dans un examen surveillé")
        verbose_name_plural = _("entrées dans les examens surveillés")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_run", "unit_key"], name="assessments_exam_access_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.unit_key}"
