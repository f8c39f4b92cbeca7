"""Exam centres, their rooms, the dated sittings held there and the learners' registrations.

The rules that keep a sitting right live in the database, not in Python: one active
registration per learner and session (« une place par examen »), one confirmed learner per
seat, one waiting learner per position, one receipt number per centre. The services take the
sitting's row lock before counting seats, so concurrent registrations never overbook.
"""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The currencies of the francophone offer, with their French names (ISO 4217 codes).
CURRENCY_CHOICES = [
    ("XOF", _("franc CFA (BCEAO)")),
    ("XAF", _("franc CFA (BEAC)")),
    ("MGA", _("ariary malgache")),
    ("HTG", _("gourde haïtienne")),
    ("MAD", _("dirham marocain")),
    ("TND", _("dinar tunisien")),
    ("DZD", _("dinar algérien")),
    ("GNF", _("franc guinéen")),
    ("CDF", _("franc congolais")),
    ("KMF", _("franc comorien")),
    ("DJF", _("franc djiboutien")),
    ("BIF", _("franc burundais")),
    ("RWF", _("franc rwandais")),
    ("MUR", _("roupie mauricienne")),
    ("LBP", _("livre libanaise")),
    ("VND", _("dong vietnamien")),
    ("KHR", _("riel cambodgien")),
    ("EUR", _("euro")),
    ("CAD", _("dollar canadien")),
    ("CHF", _("franc suisse")),
]


class ExamCentre(models.Model):
    """A campus (or partner university) hosting supervised exams. Its name, city, country and
    time zone are the institution's: one place to change them."""

    institution = models.OneToOneField(
        "institutions.Institution",
        verbose_name=_("établissement"),
        on_delete=models.PROTECT,
        related_name="exam_centre",
    )
    address = models.TextField(_("adresse"))
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=40, blank=True)
    is_active = models.BooleanField(_("accueille des examens"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("centre d'examen")
        verbose_name_plural = _("centres d'examen")
        ordering = ["institution__name"]

    def __str__(self) -> str:
        return str(self.institution)

    def get_absolute_url(self) -> str:
        return reverse("exams:centre", kwargs={"slug": self.institution.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.institution.time_zone)


class ExamRoom(models.Model):
    centre = models.ForeignKey(
        ExamCentre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("nom"), max_length=120)
    capacity = models.PositiveIntegerField(_("nombre de places"))

    class Meta:
        verbose_name = _("salle")
        verbose_name_plural = _("salles")
        ordering = ["centre_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="exams_room_name_once"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="exams_room_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity})"


class ExamMode(models.TextChoices):
    PLATFORM = "plateforme", _("Sur la plateforme, surveillé")
    PAPER = "papier", _("Sur papier")


class ExamSitting(models.Model):
    """A dated sitting of a session's exam in a centre (« session d'examen »)."""

    course_run = models.ForeignKey(
        "catalog.CourseRun",
        verbose_name=_("session du cours"),
        on_delete=models.PROTECT,
        related_name="exam_sittings",
    )
    centre = models.ForeignKey(
        ExamCentre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="sittings"
    )
    room = models.ForeignKey(
        ExamRoom,
        verbose_name=_("salle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sittings",
    )
    mode = models.CharField(_("modalité"), max_length=16, choices=ExamMode.choices)
    # The supervised-exam unit of the session's publication (mode « plateforme » only).
    exam_unit_key = models.CharField(_("unité d'examen"), max_length=64, blank=True)
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    seats = models.PositiveIntegerField(_("nombre de places"))
    registration_opens_at = models.DateTimeField(_("ouverture des inscriptions"))
    registration_closes_at = models.DateTimeField(_("clôture des inscriptions"))
    cancellation_deadline = models.DateTimeField(_("annulation possible jusqu'au"))
    # Zero is free; a fee has its currency.
    fee_amount = models.DecimalField(
        _("droits d'inscription"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    fee_currency = models.CharField(_("devise"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    requires_attestation = models.BooleanField(
        _("réservé aux titulaires de l'attestation de suivi"), default=False
    )
    # Results: a score out of ``max_score``; ``pass_mark`` or more passes (« la moyenne »).
    max_score = models.DecimalField(
        _("note maximale"), max_digits=6, decimal_places=2, default=Decimal(20)
    )
    pass_mark = models.DecimalField(
        _("note de réussite"), max_digits=6, decimal_places=2, default=Decimal(10)
    )
    # On-platform exams: the centre's staff open the window on the day and give the access
    # code to the candidates in the room; only its keyed digest is kept.
    window_opened_at = models.DateTimeField(_("épreuve ouverte à"), null=True, blank=True)
    window_closes_at = models.DateTimeField(_("épreuve fermée à"), null=True, blank=True)
    window_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("épreuve ouverte par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    access_code_digest = models.CharField(max_length=128, blank=True, editable=False)
    # The course team, as jury, validates the sitting's results: then the certificates go.
    results_validated_at = models.DateTimeField(_("résultats validés le"), null=True, blank=True)
    results_validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("résultats validés par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("session d'examen")
        verbose_name_plural = _("sessions d'examen")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["centre", "starts_at"]),
            models.Index(fields=["course_run", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="exams_sitting_has_seats"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="exams_sitting_registration_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=F("starts_at")),
                name="exams_sitting_registration_closes_before_start",
            ),
            models.CheckConstraint(
                condition=Q(mode="papier", exam_unit_key="")
                | Q(mode="plateforme") & ~Q(exam_unit_key=""),
                name="exams_sitting_unit_for_platform_mode_only",
            ),
            models.CheckConstraint(
                condition=Q(fee_amount=0, fee_currency="")
                | Q(fee_amount__gt=0) & ~Q(fee_currency=""),
                name="exams_sitting_fee_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0, pass_mark__gt=0, pass_mark__lte=F("max_score")),
                name="exams_sitting_pass_mark_within_max_score",
            ),
            models.CheckConstraint(
                condition=Q(window_opened_at__isnull=True, window_closes_at__isnull=True)
                | Q(window_closes_at__gt=F("window_opened_at")),
                name="exams_sitting_window_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_run} — {self.centre} — {self.starts_at:%Y-%m-%d %H:%M} UTC"

    def get_absolute_url(self) -> str:
        return reverse("exams:sitting", kwargs={"pk": self.pk})

    @property
    def is_free(self) -> bool:
        return self.fee_amount == 0


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmee", _("Place confirmée")
    WAITING = "attente", _("Liste d'attente")
    CANCELLED = "annulee", _("Annulée")


ACTIVE_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]


class ExamRegistration(models.Model):
    """A learner's registration for a sitting. Never deleted: a cancellation is a status, so
    the history of seats and payments stays."""

    sitting = models.ForeignKey(
        ExamSitting,
        verbose_name=_("session d'examen"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidat"),
        on_delete=models.CASCADE,
        related_name="exam_registrations",
    )
    # Copies of the sitting's, so that the database itself can hold "one active registration
    # per learner and session" and "one receipt number per centre".
    course_run = models.ForeignKey(
        "catalog.CourseRun", on_delete=models.PROTECT, related_name="exam_registrations"
    )
    centre = models.ForeignKey(ExamCentre, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("statut"), max_length=16, choices=RegistrationStatus.choices)
    seat_number = models.PositiveIntegerField(_("place n°"), null=True, blank=True)
    waiting_position = models.PositiveIntegerField(_("rang d'attente"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    registered_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("place confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(_("payé le"), null=True, blank=True)
    receipt_number = models.CharField(_("n° de reçu"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paiement enregistré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A fee another party took on (a sponsor's voucher): its reference, the voucher's code;
    # such a registration is paid without a receipt of the centre's.
    fee_waiver = models.CharField(_("droits pris en charge par le bon"), max_length=40, blank=True)
    # Exam day, at the centre's door.
    checked_in_at = models.DateTimeField(_("présent à"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accueilli par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    identity_checked = models.BooleanField(_("identité vérifiée"), default=False)
    convocation_sent_at = models.DateTimeField(_("convocation envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription à un examen")
        verbose_name_plural = _("inscriptions aux examens")
        ordering = ["sitting_id", "status", "seat_number", "waiting_position", "pk"]
        indexes = [
            models.Index(fields=["sitting", "status"]),
            models.Index(fields=["learner", "-registered_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course_run"],
                condition=Q(status__in=["confirmee", "attente"]),
                name="exams_one_active_registration_per_exam",
            ),
            models.UniqueConstraint(
                fields=["sitting", "seat_number"],
                condition=Q(status="confirmee"),
                name="exams_one_confirmed_learner_per_seat",
            ),
            models.UniqueConstraint(
                fields=["sitting", "waiting_position"],
                condition=Q(status="attente"),
                name="exams_one_waiting_learner_per_position",
            ),
            models.UniqueConstraint(
                fields=["centre", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="exams_receipt_number_once_per_centre",
            ),
            models.CheckConstraint(
                condition=Q(seat_number__isnull=True) | Q(seat_number__gte=1),
                name="exams_seat_number_from_one",
            ),
            models.CheckConstraint(
                condition=Q(fee_waiver="") | Q(paid_at__isnull=False, receipt_number=""),
                name="exams_fee_waiver_is_a_payment_without_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmee") | Q(seat_number__isnull=False),
                name="exams_confirmed_has_seat",
            ),
            models.CheckConstraint(
                condition=~Q(status="attente") | Q(waiting_position__gte=1),
                name="exams_waiting_has_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} → {self.sitting_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def is_fee_waived(self) -> bool:
        return self.paid_at is not None and self.fee_waiver != ""


class IncidentKind(models.TextChoices):
    LATE = "retard", _("Retard")
    IDENTITY = "identite", _("Problème d'identité")
    FRAUD = "fraude", _("Suspicion de fraude")
    TECHNICAL = "technique", _("Incident technique")
    HEALTH = "sante", _("Malaise")
    DEPARTURE = "depart", _("Départ anticipé")
    OTHER = "autre", _("Autre")


class ExamIncident(models.Model):
    """An incident written down by the centre's staff during a sitting, about one candidate
    or about the whole sitting (a power cut, a late start). Kept for the jury; never edited,
    a correction is a new report."""

    sitting = models.ForeignKey(
        ExamSitting,
        verbose_name=_("session d'examen"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    registration = models.ForeignKey(
        ExamRegistration,
        verbose_name=_("candidat concerné"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    kind = models.CharField(_("nature"), max_length=16, choices=IncidentKind.choices)
    description = models.TextField(_("description"), max_length=4000)
    occurred_at = models.DateTimeField(_("survenu à"), default=timezone.now)
    reported_at = models.DateTimeField(_("signalé le"), default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("incident d'examen")
        verbose_name_plural = _("incidents d'examen")
        ordering = ["sitting_id", "occurred_at", "pk"]
        indexes = [models.Index(fields=["sitting", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.sitting_id}: {self.get_kind_display()}"


class ResultSource(models.TextChoices):
    PLATFORM = "plateforme", _("Corrigé par la plateforme")
    ENTERED = "saisie", _("Saisi par l'équipe")
    IMPORTED = "import", _("Importé (CSV)")


class ExamResult(models.Model):
    """A candidate's result at a sitting: a score, or absent. Entered (or imported) by the
    course team, or computed from the on-platform exam; the jury's validation of the sitting
    makes it final and issues the certificate to those who passed."""

    registration = models.OneToOneField(
        ExamRegistration,
        verbose_name=_("inscription"),
        on_delete=models.PROTECT,
        related_name="result",
    )
    sitting = models.ForeignKey(
        ExamSitting, on_delete=models.PROTECT, related_name="results", editable=False
    )
    score = models.DecimalField(_("note"), max_digits=6, decimal_places=2, null=True, blank=True)
    absent = models.BooleanField(_("absent"), default=False)
    passed = models.BooleanField(_("admis"), default=False)
    source = models.CharField(_("origine"), max_length=16, choices=ResultSource.choices)
    entered_at = models.DateTimeField(_("saisi le"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set once the learner is told of the validated result.
    notified_at = models.DateTimeField(_("candidat informé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("résultat d'examen")
        verbose_name_plural = _("résultats d'examen")
        ordering = ["sitting_id", "registration_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(absent=True, score__isnull=True, passed=False)
                | Q(absent=False, score__isnull=False, score__gte=0),
                name="exams_result_score_or_absent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {'absent' if self.absent else self.score}"
