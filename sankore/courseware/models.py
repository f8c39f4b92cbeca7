"""Course content per session: chapters → units → blocks (the draft authors edit), the
immutable published snapshots learners read, and the course's uploaded files (assets)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    """A stable identifier of a content node, kept by re-runs, publications and packages."""
    return uuid.uuid4().hex


class CoursewareDraft(models.Model):
    """One row per session with content: the lock every outline write takes, and when the
    draft last changed (so the studio can say « modifications non publiées »)."""

    course_run = models.OneToOneField(
        "catalog.CourseRun", on_delete=models.CASCADE, primary_key=True, related_name="draft"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("brouillon de contenu")
        verbose_name_plural = _("brouillons de contenu")

    def __str__(self) -> str:
        return str(self.course_run)

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published_at is None or self.changed_at > self.published_at


class Chapter(models.Model):
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="chapters"
    )
    key = models.CharField(max_length=64, default=new_key, editable=False)
    title = models.CharField(_("titre"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    release_at = models.DateTimeField(
        _("date d'ouverture"),
        null=True,
        blank=True,
        help_text=_("Sessions rythmées : le chapitre s'ouvre à cette date. Vide : ouvert."),
    )

    class Meta:
        verbose_name = _("chapitre")
        verbose_name_plural = _("chapitres")
        ordering = ["course_run_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course_run", "key"], name="courseware_chapter_key"),
        ]

    def __str__(self) -> str:
        return self.title


class Unit(models.Model):
    course_run = models.ForeignKey("catalog.CourseRun", on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="units")
    key = models.CharField(max_length=64, default=new_key, editable=False)
    title = models.CharField(_("titre"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée estimée (minutes)"), null=True, blank=True
    )
    objectives = models.TextField(
        _("objectifs d'apprentissage"), blank=True, help_text=_("Un objectif par ligne.")
    )
    is_free_preview = models.BooleanField(
        _("aperçu libre"),
        default=False,
        help_text=_("Visible sans inscription, pour découvrir le cours."),
    )
    # Graded problems of the unit accept answers until then: a date (instructor-led
    # sessions) or a number of days after the learner's enrolment (self-paced ones).
    due_at = models.DateTimeField(_("date limite"), null=True, blank=True)
    due_days_after_enrolment = models.PositiveSmallIntegerField(
        _("délai après l'inscription (jours)"), null=True, blank=True
    )
    # A question pool: each learner gets this many of the unit's problems, drawn for them.
    pool_size = models.PositiveSmallIntegerField(
        _("exercices tirés au sort par apprenant"),
        null=True,
        blank=True,
        help_text=_(
            "Vide : tous les exercices de la séquence. Sinon, chaque apprenant en reçoit ce "
            "nombre, tirés au sort pour lui parmi ceux de la séquence (toujours les mêmes)."
        ),
    )
    # A supervised exam opens only in its window, and only with the code the invigilators
    # give in the exam room (the exam centres' sittings use it).
    is_supervised_exam = models.BooleanField(_("examen surveillé"), default=False)
    exam_opens_at = models.DateTimeField(_("ouverture de l'examen"), null=True, blank=True)
    exam_closes_at = models.DateTimeField(_("fermeture de l'examen"), null=True, blank=True)
    exam_access_code = models.CharField(
        _("code d'accès"),
        max_length=32,
        blank=True,
        help_text=_("Donné aux candidats dans la salle d'examen ; 6 caractères au moins."),
    )

    class Meta:
        verbose_name = _("séquence")
        verbose_name_plural = _("séquences")
        ordering = ["chapter_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course_run", "key"], name="courseware_unit_key"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def objective_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.objectives.splitlines() if line.strip()]


class Block(models.Model):
    """One activity of a unit; ``kind`` names its type in the block registry, ``data`` holds
    what that type needs (validated by the type on every write)."""

    course_run = models.ForeignKey("catalog.CourseRun", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="blocks")
    key = models.CharField(max_length=64, default=new_key, editable=False)
    kind = models.CharField(_("type"), max_length=32)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["unit_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course_run", "key"], name="courseware_block_key"),
        ]

    def __str__(self) -> str:
        return self.title or self.kind


class AssetKind(models.TextChoices):
    FILE = "file", _("Fichier")
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Vidéo")
    CAPTION = "caption", _("Sous-titres")


class AssetStatus(models.TextChoices):
    PENDING = "pending", _("En attente de traitement")
    PROCESSING = "processing", _("En cours de traitement")
    READY = "ready", _("Prêt")
    FAILED = "failed", _("Échec du traitement")


def asset_upload_to(asset: Asset, filename: str) -> str:
    return f"courseware/{asset.course_id}/{asset.key}/{filename}"


class Asset(models.Model):
    """An uploaded file of a course, never changed once stored: blocks of every session of
    the course (and every publication) may point at it, so a re-run copies no file."""

    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="assets")
    key = models.CharField(max_length=64, default=new_key, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=16, choices=AssetKind.choices)
    file = models.FileField(_("fichier"), upload_to=asset_upload_to, max_length=300)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("taille (octets)"))
    status = models.CharField(
        _("état"), max_length=16, choices=AssetStatus.choices, default=AssetStatus.READY
    )
    error = models.TextField(_("erreur de traitement"), blank=True)
    duration_seconds = models.FloatField(_("durée (secondes)"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Derived files written by the worker: {"360p": {"path": …, "size": …, "width": …}, …}.
    renditions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("fichier de cours")
        verbose_name_plural = _("fichiers de cours")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["course", "kind"])]

    def __str__(self) -> str:
        return self.original_name


class PublishedOutline(models.Model):
    """One publication of a session's content, never changed: learners read the newest.

    ``outline`` is the whole structure (chapters, units, the kinds and titles of their
    blocks) so a player page reads it in one query; the blocks' rendered content is in
    ``PublishedBlock``, read a unit at a time.
    """

    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="publications"
    )
    version = models.PositiveIntegerField()
    outline = models.JSONField()
    block_count = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["course_run_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["course_run", "version"], name="courseware_publication_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_run} v{self.version}"


class PublishedBlock(models.Model):
    publication = models.ForeignKey(
        PublishedOutline, on_delete=models.CASCADE, related_name="blocks"
    )
    key = models.CharField(max_length=64)
    unit_key = models.CharField(max_length=64)
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField()
    content = models.JSONField()
    # Graded blocks only: what the server grades with; never passed to a template.
    grading = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["publication_id", "unit_key", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "key"], name="courseware_published_block_key"
            ),
        ]
        indexes = [models.Index(fields=["publication", "unit_key", "position"])]

    def __str__(self) -> str:
        return self.title or self.kind
