"""Calls for projects (appels à projets): the programme funds its Southern members to design
MOOCs and distance-learning programmes. A call states who may apply (eligibility rules), by
when (a closing instant in a stated time zone), what the dossier holds (sections and
attachments), how it is judged (a weighted grid) and with how much money (budget and
tiers). Institutions apply; experts review; a committee decides. Every step is journaled.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.institutions.geography import Region
from sankore.institutions.models import TIME_ZONE_CHOICES, InstitutionKind


class CallStatus(models.TextChoices):
    DRAFT = "brouillon", _("en préparation")
    PUBLISHED = "publie", _("publié")
    ARCHIVED = "archive", _("archivé")


class Call(models.Model):
    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=80, unique=True)
    description = models.TextField(_("présentation"), max_length=10000)
    status = models.CharField(
        _("statut"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    # Eligibility: who may lead an application.
    members_only = models.BooleanField(_("réservé aux membres du réseau"), default=True)
    regions = models.JSONField(_("régions admises"), default=list, blank=True)  # Region values
    institution_kinds = models.JSONField(
        _("types d'établissement admis"), default=list, blank=True
    )  # InstitutionKind values
    southern_lead_required = models.BooleanField(_("porteur du Sud obligatoire"), default=True)
    partner_required = models.BooleanField(_("au moins un partenaire"), default=False)
    # Money.
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    total_budget = models.DecimalField(
        _("enveloppe totale"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    # Timeline: the closing instant is stored in UTC and stated in ``time_zone``.
    time_zone = models.CharField(
        _("fuseau horaire de référence"), max_length=64, choices=TIME_ZONE_CHOICES,
        default="Europe/Paris",
    )  # fmt: skip
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))
    # In a two-stage call, ``closes_at`` ends the letters of intent; the shortlisted
    # applicants then send their full proposal by this instant.
    full_proposal_closes_at = models.DateTimeField(
        _("clôture des propositions complètes"), null=True, blank=True
    )
    review_ends_at = models.DateTimeField(_("fin de l'évaluation"))
    results_on = models.DateField(_("date des résultats"))
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("experts par candidature"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )  # fmt: skip
    two_stages = models.BooleanField(
        _("en deux temps (lettre d'intention, puis proposition complète)"), default=False
    )
    disagreement_threshold = models.PositiveSmallIntegerField(
        _("seuil de désaccord entre experts (points sur 100)"), default=15
    )
    # Each reviewer's scores mapped onto the call's mean and spread before ranking.
    normalise_scores = models.BooleanField(_("normaliser les notes par expert"), default=False)
    # When staff made the results public (the public page lists the selected projects).
    results_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")) & Q(review_ends_at__gte=F("closes_at")),
                name="calls_call_timeline_in_order",
            ),
            models.CheckConstraint(
                condition=Q(total_budget__gte=0), name="calls_call_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", args=[self.slug])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_open(self, at: datetime.datetime | None = None) -> bool:
        """Whether applications (letters of intent, in two stages) may be submitted at ``at``
        (now by default)."""
        moment = timezone.now() if at is None else at
        return self.status == CallStatus.PUBLISHED and self.opens_at <= moment < self.closes_at

    @property
    def review_stage(self) -> int:
        """The stage whose submissions the experts review: the full proposals in two stages."""
        return 2 if self.two_stages else 1

    @property
    def review_starts_at(self) -> datetime.datetime:
        """When the submissions the experts review are final."""
        if self.two_stages and self.full_proposal_closes_at is not None:
            return self.full_proposal_closes_at
        return self.closes_at

    def deadline_of_stage(self, stage: int) -> datetime.datetime:
        if stage == 2 and self.full_proposal_closes_at is not None:
            return self.full_proposal_closes_at
        return self.closes_at


class Strand(models.Model):
    """A strand (volet) of a call: applications choose one."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="strands")
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("volet")
        verbose_name_plural = _("volets")
        ordering = ["call_id", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class FundingTier(models.Model):
    """A funding tier: what an application may ask for, at most."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tiers")
    label = models.CharField(_("palier"), max_length=120)
    max_amount = models.DecimalField(
        _("montant maximal"), max_digits=12, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip

    class Meta:
        verbose_name = _("palier de financement")
        verbose_name_plural = _("paliers de financement")
        ordering = ["call_id", "max_amount", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_amount__gt=0), name="calls_tier_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.max_amount})"


class SectionKind(models.TextChoices):
    TEXT = "texte", _("texte")
    ATTACHMENT = "piece", _("pièce jointe")


class DossierSection(models.Model):
    """One part of the dossier: a text to write (with a length limit) or a file to attach."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("clé"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=200)
    help_text = models.TextField(_("consigne"), max_length=2000, blank=True)
    kind = models.CharField(max_length=6, choices=SectionKind.choices, default=SectionKind.TEXT)
    required = models.BooleanField(_("obligatoire"), default=True)
    max_length = models.PositiveIntegerField(_("longueur maximale (caractères)"), default=5000)
    # For attachments: the file types accepted (checked by content), e.g. ["pdf"].
    accepted_types = models.JSONField(_("types de fichiers acceptés"), default=list, blank=True)
    max_bytes = models.PositiveIntegerField(_("taille maximale (octets)"), default=5 * 1024 * 1024)
    # In a two-stage call: the letter of intent has its own sections.
    stage = models.PositiveSmallIntegerField(_("étape"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("rubrique du dossier")
        verbose_name_plural = _("rubriques du dossier")
        ordering = ["call_id", "stage", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="calls_section_key_once")
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """A criterion of the evaluation grid, with its weight and its scale (0 to ``scale_max``)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("clé"), max_length=40)
    title = models.CharField(_("critère"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("poids"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale_max = models.PositiveSmallIntegerField(
        _("note maximale"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("grille d'évaluation")
        ordering = ["call_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="calls_criterion_key_once"),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(scale_max__gte=1), name="calls_criterion_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.weight})"


# The default grid of the programme's calls (issue 9): weights out of 100.
DEFAULT_GRID: tuple[tuple[str, str, int], ...] = (
    ("pertinence", "Pertinence pour les besoins du Sud", 20),
    ("qualite-pedagogique", "Qualité pédagogique", 25),
    ("co-construction", "Co-construction Nord–Sud", 15),
    ("faisabilite", "Faisabilité", 15),
    ("modele-economique", "Modèle économique", 15),
    ("rayonnement", "Rayonnement par les campus numériques", 10),
)

# Region and kind values, for the eligibility rules' checks.
REGION_VALUES = frozenset(Region.values)
KIND_VALUES = frozenset(InstitutionKind.values)


class ApplicationStatus(models.TextChoices):
    DRAFT = "brouillon", _("brouillon")
    SUBMITTED = "deposee", _("déposée")
    WITHDRAWN = "retiree", _("retirée")


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    strand = models.ForeignKey(
        Strand, verbose_name=_("volet"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="applications",
    )  # fmt: skip
    lead = models.ForeignKey(
        "institutions.Institution", verbose_name=_("établissement porteur"),
        on_delete=models.PROTECT, related_name="call_applications",
    )  # fmt: skip
    title = models.CharField(_("titre du projet"), max_length=200)
    # What the project is about, for the reviewers' expertise and language.
    disciplines = models.ManyToManyField(
        "catalog.Discipline", verbose_name=_("disciplines"), blank=True, related_name="+"
    )
    language = models.CharField(_("langue du projet"), max_length=12, default="fr")
    # The texts of the dossier, by section key (autosaved while a draft).
    answers = models.JSONField(default=dict, blank=True)
    tier = models.ForeignKey(
        FundingTier, verbose_name=_("palier demandé"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    requested_amount = models.DecimalField(
        _("montant demandé"), max_digits=12, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    status = models.CharField(
        _("statut"), max_length=10, choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )  # fmt: skip
    stage = models.PositiveSmallIntegerField(_("étape"), default=1)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    receipt_number = models.CharField(_("n° d'accusé de réception"), max_length=32, blank=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    # The draft's version, moved by each autosave: a save from a stale tab is refused.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["call_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="calls_application_amount_not_negative"
            ),
            models.UniqueConstraint(
                fields=["call", "receipt_number"], condition=~Q(receipt_number=""),
                name="calls_receipt_number_once_per_call",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:application", args=[self.pk])

    @property
    def deadline(self) -> datetime.datetime:
        """The closing instant of the application's stage."""
        return self.call.deadline_of_stage(self.stage)

    def is_open(self, at: datetime.datetime | None = None) -> bool:
        """Whether the application's current stage still accepts a submission at ``at``."""
        moment = timezone.now() if at is None else at
        call = self.call
        return call.status == CallStatus.PUBLISHED and call.opens_at <= moment < self.deadline


class PartnerStatus(models.TextChoices):
    INVITED = "invite", _("invité")
    CONFIRMED = "confirme", _("confirmé")
    DECLINED = "refuse", _("refusé")


class ApplicationPartner(models.Model):
    """A partner institution of an application, who confirms its commitment online."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="call_partnerships"
    )
    role = models.CharField(_("rôle dans le projet"), max_length=200)
    status = models.CharField(
        max_length=10, choices=PartnerStatus.choices, default=PartnerStatus.INVITED
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("partenaire de la candidature")
        verbose_name_plural = _("partenaires de la candidature")
        ordering = ["application_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "institution"], name="calls_partner_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.institution_id}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    section = models.ForeignKey(DossierSection, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="calls/attachments/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["application_id", "section_id", "pk"]

    def __str__(self) -> str:
        return self.original_name


class CallEvent(models.Model):
    """The journal of a call: every action on it and on its applications, never changed."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("événement d'appel à projets")
        verbose_name_plural = _("journal des appels à projets")
        ordering = ["call_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.call_id} {self.action}"


# ---------------------------------------------------------------------------------------------
# Reviewers: the programme's pool of experts, a call's panel, conflicts, bids, assignments.


class Expert(models.Model):
    """A member of the programme's pool of expert reviewers, whatever the call."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_expert"
    )
    # None for an independent expert, attached to no institution.
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("établissement"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="call_experts",
    )  # fmt: skip
    disciplines = models.ManyToManyField(
        "catalog.Discipline", verbose_name=_("disciplines"), blank=True, related_name="+"
    )
    regions = models.JSONField(_("régions connues"), default=list, blank=True)  # Region values
    languages = models.JSONField(_("langues de travail"), default=list, blank=True)  # codes
    # Links the expert declared once for all calls (former employer, joint projects…):
    # every application of these institutions is a conflict.
    linked_institutions = models.ManyToManyField(
        "institutions.Institution", verbose_name=_("liens déclarés"), blank=True,
        related_name="+",
    )  # fmt: skip
    max_load = models.PositiveSmallIntegerField(
        _("candidatures au plus par appel"), default=8,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )  # fmt: skip
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("vivier d'experts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email


class CallReviewer(models.Model):
    """An expert of the pool on a call's panel, with the load they accepted for it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reviewers")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="panels")
    max_load = models.PositiveSmallIntegerField(
        _("candidatures au plus"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("expert de l'appel")
        verbose_name_plural = _("experts de l'appel")
        ordering = ["call_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "expert"], name="calls_reviewer_once_per_call"),
            models.CheckConstraint(
                condition=Q(max_load__gte=1), name="calls_reviewer_load_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.expert_id}"


class ConflictDeclaration(models.Model):
    """A conflict of interest a reviewer declared on an application of a call."""

    reviewer = models.ForeignKey(CallReviewer, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("nature du lien"), max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conflit d'intérêts déclaré")
        verbose_name_plural = _("conflits d'intérêts déclarés")
        ordering = ["reviewer_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "application"], name="calls_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} ✕ {self.application_id}"


class BidValue(models.TextChoices):
    YES = "oui", _("oui, volontiers")
    MAYBE = "peut-etre", _("peut-être")
    NO = "non", _("plutôt non")


class Bid(models.Model):
    """What a reviewer would like to review (« oui », « peut-être », « non »)."""

    reviewer = models.ForeignKey(CallReviewer, on_delete=models.CASCADE, related_name="bids")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=10, choices=BidValue.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("souhait d'expertise")
        verbose_name_plural = _("souhaits d'expertise")
        ordering = ["reviewer_id", "application_id"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "application"], name="calls_bid_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.application_id}: {self.value}"


class AssignmentState(models.TextChoices):
    PROPOSED = "proposee", _("proposée")
    CONFIRMED = "validee", _("validée")
    REMOVED = "retiree", _("retirée")


class ReviewAssignment(models.Model):
    """Who reviews which application. A proposal is replaced when staff propose again; pairs
    staff added by hand or validated are kept; removed pairs are never proposed again."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(CallReviewer, on_delete=models.CASCADE, related_name="assignments")
    state = models.CharField(
        max_length=10, choices=AssignmentState.choices, default=AssignmentState.PROPOSED
    )
    manual = models.BooleanField(_("ajoutée à la main"), default=False)
    affinity = models.SmallIntegerField(default=0)  # « non » bids make it negative
    reasons = models.JSONField(default=list, blank=True)  # [[text, points], …] in French
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        ordering = ["application_id", "reviewer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="calls_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.application_id} ({self.state})"


class ReviewStatus(models.TextChoices):
    DRAFT = "brouillon", _("en cours")
    SUBMITTED = "soumise", _("remise")


class Review(models.Model):
    """A reviewer's evaluation of one application: a score per criterion of the grid, a
    comment the applicant will read (anonymously) and one for the committee only."""

    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="review"
    )
    scores = models.JSONField(default=dict, blank=True)  # criterion key → integer score
    comment_to_applicant = models.TextField(
        _("commentaire pour le candidat"), max_length=5000, blank=True
    )
    comment_to_committee = models.TextField(
        _("commentaire confidentiel pour le comité"), max_length=5000, blank=True
    )
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["assignment_id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} ({self.status})"


class ReviewReminder(models.Model):
    """A reminder sent about a review not yet handed in: one per assignment and delay, so
    the periodic job may run as often as it likes."""

    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "days_before"], name="calls_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} J-{self.days_before}"


# ---------------------------------------------------------------------------------------------
# The committee's decisions.


class DecisionValue(models.TextChoices):
    SELECTED = "retenu", _("retenu")
    WAITING_LIST = "liste-attente", _("liste d'attente")
    NOT_SELECTED = "non-retenu", _("non retenu")


class Decision(models.Model):
    """The committee's decision on an application, with its motivation; the applicant hears
    of it (with the anonymised reviews) when staff notify the call's results."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    value = models.CharField(_("décision"), max_length=14, choices=DecisionValue.choices)
    motivation = models.TextField(_("motivation"), max_length=5000)
    granted_amount = models.DecimalField(
        _("montant accordé"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    # What carries a selected project, then what it produced.
    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat porteur"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="call_decisions",
    )  # fmt: skip
    course = models.ForeignKey(
        "catalog.Course", verbose_name=_("cours produit"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="call_decisions",
    )  # fmt: skip

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["application_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True) | Q(granted_amount__gte=0),
                name="calls_decision_amount_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.value}"
