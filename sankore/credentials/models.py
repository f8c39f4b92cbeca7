"""Attestations and certificates: what was issued to whom, its documents, its audit trail.

A credential keeps a copy of what it says (printed name, course, dates, grade) taken when it
was issued: renaming a course or a learner later never changes a credential already shared.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.credentials.content import Kind


class CredentialKind(models.TextChoices):
    ATTESTATION = Kind.ATTESTATION.value, _("Attestation de suivi")
    CERTIFICATE = Kind.CERTIFICATE.value, _("Certificat")


class CredentialStatus(models.TextChoices):
    VALID = "valide", _("Valide")
    REVOKED = "revoquee", _("Révoquée")


class IssueBasis(models.TextChoices):
    GRADE = "note", _("Note de la session atteinte")
    EXAM = "examen", _("Examen surveillé réussi")
    TEAM = "equipe", _("Décision de l'équipe pédagogique")


class StatusList(models.Model):
    """A published Bitstring Status List: each credential is one bit of one list (revoked or
    not). ``version`` goes up on each revocation, so the list is rebuilt then only."""

    number = models.PositiveIntegerField(unique=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("liste de statuts")
        verbose_name_plural = _("listes de statuts")

    def __str__(self) -> str:
        return f"status list {self.number}"


class Credential(models.Model):
    identifier = models.CharField(_("identifiant"), max_length=16, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=CredentialKind.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="credentials",
    )
    course_run = models.ForeignKey(
        "catalog.CourseRun",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="credentials",
    )
    basis = models.CharField(_("délivré sur"), max_length=16, choices=IssueBasis.choices)
    # What the credential says, as it was when issued.
    holder_name = models.CharField(_("nom du titulaire"), max_length=200)
    course_title = models.CharField(_("cours"), max_length=255)
    course_code = models.CharField(_("code du cours"), max_length=40)
    institution_names = models.JSONField(_("établissements"), default=list)
    session_start = models.DateField(_("début de la session"), null=True)
    session_end = models.DateField(_("fin de la session"), null=True)
    effort_hours = models.DecimalField(_("heures d'effort"), max_digits=6, decimal_places=1)
    grade_percent = models.DecimalField(
        _("note (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    ects_credits = models.PositiveSmallIntegerField(_("crédits ECTS"), null=True, blank=True)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=CredentialStatus.choices,
        default=CredentialStatus.VALID,
    )
    issued_at = models.DateTimeField(_("délivré le"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("délivré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("révoqué par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("motif de la révocation"), blank=True)
    # Its bit in the revocation lists, from its primary key (a sequence, so no shared counter
    # to lock): list ``pk // STATUS_LIST_SIZE + 1``, index ``pk % STATUS_LIST_SIZE``.
    status_list_number = models.PositiveIntegerField(null=True)
    status_index = models.PositiveIntegerField(null=True)
    # The signed Open Badges 3.0 credential, made once at issue (revocation is in the list).
    badge = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("attestation ou certificat")
        verbose_name_plural = _("attestations et certificats")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "course_run", "kind"], name="credentials_one_per_holder_run_kind"
            ),
            models.UniqueConstraint(
                fields=["status_list_number", "status_index"], name="credentials_status_bit_once"
            ),
        ]
        indexes = [
            models.Index(fields=["course_run", "kind", "status"]),
            models.Index(fields=["holder", "-issued_at"]),
            models.Index(fields=["status_list_number", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} — {self.holder_name} — {self.course_title}"

    def get_absolute_url(self) -> str:
        return reverse("credentials:verify", kwargs={"identifier": self.identifier})

    @property
    def is_revoked(self) -> bool:
        return self.status == CredentialStatus.REVOKED


class CredentialDocument(models.Model):
    """A PDF made for a credential. A new one (after a template change) supersedes the old,
    whose hash still verifies, as superseded."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="documents")
    language = models.CharField(max_length=8)
    file = models.FileField(upload_to="credentials/", max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(default=0)
    # The institution template's version it was made with (to find the outdated ones).
    template_version = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "language"],
                condition=Q(superseded_at__isnull=True),
                name="credentials_one_current_document_per_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credential_id} {self.language} {self.sha256[:12]}"


class EventAction(models.TextChoices):
    ISSUED = "issued", _("Délivrance")
    DOCUMENT = "document", _("Document produit")
    REGENERATION = "regenerated", _("Nouveau document demandé")
    REVOCATION = "revoked", _("Révocation")


class CredentialEvent(models.Model):
    """The audit trail of a credential: never edited."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.credential_id} {self.action} {self.at:%Y-%m-%d}"


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Une couleur s'écrit #rrvvbb, par exemple #1f4e79.")
)


class DocumentTemplate(models.Model):
    """An institution's look for the documents of the courses it owns (the first owner's)."""

    institution = models.OneToOneField(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="credential_template",
        verbose_name=_("établissement"),
    )
    accent_colour = models.CharField(
        _("couleur"), max_length=7, default="#1f4e79", validators=[colour_validator]
    )
    heading_fr = models.CharField(_("titre (français)"), max_length=120, blank=True)
    heading_en = models.CharField(_("titre (anglais)"), max_length=120, blank=True)
    footer_fr = models.CharField(_("pied de page (français)"), max_length=300, blank=True)
    footer_en = models.CharField(_("pied de page (anglais)"), max_length=300, blank=True)
    # Goes up on each change of the template or of its signatories.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("modèle de document")
        verbose_name_plural = _("modèles de documents")

    def __str__(self) -> str:
        return str(self.institution)


class Signatory(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="signatories",
        verbose_name=_("établissement"),
    )
    name = models.CharField(_("nom"), max_length=200)
    title_fr = models.CharField(_("fonction (français)"), max_length=200)
    title_en = models.CharField(_("fonction (anglais)"), max_length=200, blank=True)
    signature = models.ImageField(_("signature"), upload_to="signatures/", blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("signe les documents"), default=True)

    class Meta:
        verbose_name = _("signataire")
        verbose_name_plural = _("signataires")
        ordering = ["institution_id", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.title_fr})"


class CourseCredentialSettings(models.Model):
    """What a course's credentials print beyond the essentials."""

    course = models.OneToOneField(
        "catalog.Course", on_delete=models.CASCADE, related_name="credential_settings"
    )
    print_grade = models.BooleanField(_("imprimer la note"), default=False)

    class Meta:
        verbose_name = _("réglages des attestations d'un cours")
        verbose_name_plural = _("réglages des attestations des cours")

    def __str__(self) -> str:
        return str(self.course)


class BulkStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


class BulkIssue(models.Model):
    """Issuing (or making new documents) for a whole session, in the background."""

    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.CASCADE, related_name="credential_bulk_jobs"
    )
    kind = models.CharField(max_length=16, choices=CredentialKind.choices)
    regenerate = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=BulkStatus.choices, default=BulkStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)  # learners (or credentials) to go through
    processed = models.PositiveIntegerField(default=0)  # of them, gone through
    issued = models.PositiveIntegerField(default=0)  # credentials created by this job
    documents = models.PositiveIntegerField(default=0)  # documents made by this job
    failed = models.PositiveIntegerField(default=0)  # learners whose credential was refused
    documents_failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # When a batch last reported: a job silent for long is failed (see bulk_issue_request).
    heartbeat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("délivrance groupée")
        verbose_name_plural = _("délivrances groupées")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course_run", "kind"],
                condition=Q(status__in=["queued", "running"]),
                name="credentials_one_bulk_job_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_run_id} {self.kind} {self.status}"
