"""What the inward side of the catalog keeps: the nonces of signed synchronisation requests
(replays are refused by a unique constraint) and the catalog import jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SyncNonce(models.Model):
    """A nonce already used by a signed request; kept while its timestamp is acceptable."""

    nonce = models.CharField(max_length=128)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("nonce de synchronisation")
        verbose_name_plural = _("nonces de synchronisation")
        constraints = [
            models.UniqueConstraint(fields=["nonce"], name="federation_nonce_once"),
        ]

    def __str__(self) -> str:
        return self.nonce


class ImportFormat(models.TextChoices):
    OPENEDX = "openedx", _("Open edX (catalogue course-discovery, JSON)")
    CSV = "csv", _("Tableur (CSV)")


class ImportStatus(models.TextChoices):
    PLANNED = "simulee", _("Simulée, à confirmer")
    QUEUED = "en-attente", _("En attente")
    RUNNING = "en-cours", _("En cours")
    DONE = "terminee", _("Terminée")
    FAILED = "echouee", _("Échouée")


class ImportJob(models.Model):
    """One uploaded file: its dry run (``plan``), then, once confirmed, its application in the
    background, all or nothing. The file is kept in the database: any worker may apply it."""

    format = models.CharField(_("format"), max_length=16, choices=ImportFormat.choices)
    platform = models.CharField(_("plateforme d'hébergement"), max_length=100)
    file_name = models.CharField(_("fichier"), max_length=255)
    content = models.BinaryField(_("contenu"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PLANNED
    )
    plan = models.JSONField(_("simulation"), default=dict)
    result = models.JSONField(_("résultat"), default=dict)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("importation du catalogue")
        verbose_name_plural = _("importations du catalogue")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
