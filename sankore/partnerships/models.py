"""Partnerships between institutions to co-build courses.

An institution describes what it teaches and what it can bring (its capability profile) and
posts project ideas (« nous voulons co-construire un CLOM sur X ; nous apportons Y ; nous
cherchons Z »); the matchmaking ranks candidate partners; a partnership then goes from a
proposal to a signed agreement, an active collaboration, the courses it produced, and its
close. Every step is written to the partnership's journal.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.catalog.models import Licence


class Capability(models.TextChoices):
    """What an institution can bring to a course built together."""

    VIDEO_STUDIO = "studio-video", _("studio vidéo")
    INSTRUCTIONAL_DESIGN = "ingenierie-pedagogique", _("ingénieurs pédagogiques")
    PLATFORM_HOSTING = "hebergement", _("hébergement sur une plateforme")
    TUTORING = "tutorat", _("tuteurs")
    EXAM_CENTRE = "centre-examen", _("centre d'examen")
    TRANSLATION = "traduction", _("traduction")


class Audience(models.TextChoices):
    UNDERGRADUATE = "licence", _("étudiants de licence")
    GRADUATE = "master", _("étudiants de master et doctorat")
    PROFESSIONALS = "professionnels", _("formation continue des professionnels")
    TEACHERS = "enseignants", _("enseignants")
    PUBLIC = "grand-public", _("grand public")


class InstitutionProfile(models.Model):
    """What an institution teaches and can bring, edited by its staff."""

    institution = models.OneToOneField(
        "institutions.Institution",
        verbose_name=_("établissement"),
        on_delete=models.CASCADE,
        related_name="partnership_profile",
    )
    disciplines = models.ManyToManyField(
        "catalog.Discipline", verbose_name=_("disciplines"), related_name="+", blank=True
    )
    languages = models.ManyToManyField(
        "catalog.Language",
        verbose_name=_("langues d'enseignement"),
        related_name="+",
        blank=True,
    )
    # A list of ``Capability`` values, checked by the services.
    capabilities = models.JSONField(_("ce que l'établissement apporte"), default=list, blank=True)
    interests = models.TextField(_("centres d'intérêt"), max_length=2000, blank=True)
    open_to_partnerships = models.BooleanField(_("ouvert aux partenariats"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("profil de partenariat")
        verbose_name_plural = _("profils de partenariat")

    def __str__(self) -> str:
        return str(self.institution)


class ProfileContact(models.Model):
    profile = models.ForeignKey(
        InstitutionProfile, on_delete=models.CASCADE, related_name="contacts"
    )
    full_name = models.CharField(_("nom"), max_length=200)
    function = models.CharField(_("fonction"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"))
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("personne à contacter")
        verbose_name_plural = _("personnes à contacter")
        ordering = ["profile_id", "position", "pk"]

    def __str__(self) -> str:
        return self.full_name


class IdeaKind(models.TextChoices):
    NEED = "besoin", _("besoin")
    OFFER = "offre", _("offre")


class IdeaStatus(models.TextChoices):
    OPEN = "ouverte", _("ouverte")
    CLOSED = "close", _("close")


class ProjectIdea(models.Model):
    """« Nous voulons co-construire un CLOM sur X ; nous apportons Y ; nous cherchons Z »."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("établissement"),
        on_delete=models.CASCADE,
        related_name="project_ideas",
    )
    kind = models.CharField(_("nature"), max_length=8, choices=IdeaKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    discipline = models.ForeignKey(
        "catalog.Discipline",
        verbose_name=_("discipline"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.CharField(_("public"), max_length=16, choices=Audience.choices)
    language = models.ForeignKey(
        "catalog.Language", verbose_name=_("langue"), on_delete=models.PROTECT, related_name="+"
    )
    # Lists of ``Capability`` values.
    brings = models.JSONField(_("nous apportons"), default=list, blank=True)
    seeks = models.JSONField(_("nous cherchons"), default=list, blank=True)
    brings_details = models.TextField(_("ce que nous apportons, en détail"), blank=True)
    seeks_details = models.TextField(_("ce que nous cherchons, en détail"), blank=True)
    starts_on = models.DateField(_("début souhaité"))
    ends_on = models.DateField(_("fin souhaitée"))
    status = models.CharField(
        _("statut"), max_length=8, choices=IdeaStatus.choices, default=IdeaStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("idée de projet")
        verbose_name_plural = _("idées de projet")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="partnerships_idea_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:idea", args=[self.pk])


class MatchWeights(models.Model):
    """The weights of the matchmaking, set by programme staff; every change is a new row,
    the latest one applies (so a past ranking can be explained with the weights it used)."""

    discipline = models.PositiveSmallIntegerField(_("proximité des disciplines"), default=30)
    capabilities = models.PositiveSmallIntegerField(_("capacités complémentaires"), default=25)
    language = models.PositiveSmallIntegerField(_("langue commune"), default=15)
    north_south = models.PositiveSmallIntegerField(_("binôme Nord–Sud"), default=15)
    past_collaborations = models.PositiveSmallIntegerField(_("collaborations passées"), default=15)
    load = models.PositiveSmallIntegerField(_("pénalité de charge"), default=10)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pondération de la mise en relation")
        verbose_name_plural = _("pondérations de la mise en relation")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class PartnershipState(models.TextChoices):
    PROPOSED = "proposee", _("proposé")
    DISCUSSION = "discussion", _("en discussion")
    ACCEPTED = "accepte", _("accepté")
    DECLINED = "refuse", _("refusé")
    DRAFTED = "convention-redigee", _("convention rédigée")
    ACTIVE = "actif", _("actif")
    PRODUCED = "produit", _("cours produits")
    CLOSED = "clos", _("clos")


class Partnership(models.Model):
    """Two institutions co-building one or more courses: the proposer and its partner."""

    title = models.CharField(_("intitulé"), max_length=200)
    idea = models.ForeignKey(
        ProjectIdea,
        verbose_name=_("idée de projet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnerships",
    )
    proposer = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("établissement qui propose"),
        on_delete=models.PROTECT,
        related_name="partnerships_proposed",
    )
    partner = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("établissement partenaire"),
        on_delete=models.PROTECT,
        related_name="partnerships_received",
    )
    state = models.CharField(
        _("état"),
        max_length=20,
        choices=PartnershipState.choices,
        default=PartnershipState.PROPOSED,
    )
    proposed_at = models.DateTimeField(default=timezone.now, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When every party had signed: the time to agreement on the programme's dashboard.
    signed_at = models.DateTimeField(_("signé le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    courses = models.ManyToManyField(
        "catalog.Course", verbose_name=_("cours produits"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("partenariat")
        verbose_name_plural = _("partenariats")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposer=models.F("partner")), name="partnerships_two_institutions"
            ),
            # One live proposal at a time for the same pair and idea.
            # (The idea may be empty: a plain unique constraint would let NULLs differ.)
            models.UniqueConstraint(
                models.F("proposer"),
                models.F("partner"),
                Coalesce(models.F("idea"), models.Value(0)),
                condition=Q(state__in=["proposee", "discussion"]),
                name="partnerships_one_open_proposal",
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.pk])

    @property
    def party_ids(self) -> tuple[int, int]:
        return (self.proposer_id, self.partner_id)


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("changement d'état")
    MESSAGE = "message", _("message")
    AGREEMENT = "convention", _("convention modifiée")
    SIGNATURE = "signature", _("signature")
    COURSE = "cours", _("cours lié")


class PartnershipEvent(models.Model):
    """The journal of a partnership: never changed, never deleted."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    from_state = models.CharField(max_length=20, choices=PartnershipState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=PartnershipState.choices, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("événement de partenariat")
        verbose_name_plural = _("journal des partenariats")
        ordering = ["partnership_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class PartnershipMessage(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Which party spoke: a person may staff both institutions.
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["partnership_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.body[:40]}"


class Agreement(models.Model):
    """The agreement (convention) of a partnership. Its text is frozen when it goes out for
    signature (``version`` and ``content_hash``); the signatures sign that hash."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="agreement"
    )
    purpose = models.TextField(_("objet"), max_length=4000)
    licence = models.CharField(
        _("licence des contenus produits"), max_length=32, choices=Licence.choices
    )
    ip_terms = models.TextField(_("propriété intellectuelle"), max_length=4000, blank=True)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    currency = models.CharField(_("devise du budget"), max_length=3, default="EUR")
    version = models.PositiveIntegerField(_("version"), default=1)
    content_hash = models.CharField(max_length=64, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="partnerships_agreement_dates"
            )
        ]

    def __str__(self) -> str:
        return str(self.partnership)


class AgreementParty(models.Model):
    """A party's role and contributions in the agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("rôle"), max_length=200)
    contributions = models.TextField(_("apports"), max_length=4000)

    class Meta:
        verbose_name = _("partie à la convention")
        verbose_name_plural = _("parties à la convention")
        ordering = ["agreement_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution"], name="partnerships_party_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.role}"


class AgreementMilestone(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("étape"), max_length=200)
    due_on = models.DateField(_("échéance"))

    class Meta:
        verbose_name = _("étape du calendrier")
        verbose_name_plural = _("calendrier")
        ordering = ["agreement_id", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class AgreementBudgetLine(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="budget_lines")
    label = models.CharField(_("poste"), max_length=200)
    funded_by = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("financé par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(
        _("montant"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("budget")
        ordering = ["agreement_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="partnerships_budget_line_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class SignatureMethod(models.TextChoices):
    CLICK = "clic", _("signature en ligne")
    UPLOAD = "pdf", _("convention signée déposée (PDF)")


class AgreementSignature(models.Model):
    """One party's signature of one version of the agreement, by an authorised person."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_name = models.CharField(_("nom du signataire"), max_length=200)
    signed_function = models.CharField(_("fonction du signataire"), max_length=200)
    method = models.CharField(max_length=4, choices=SignatureMethod.choices)
    signed_file = models.FileField(upload_to="partnerships/signed/", blank=True)
    signed_file_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["agreement_id", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution", "version"],
                name="partnerships_one_signature_per_party_and_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} v{self.version}"


class ContributionKind(models.TextChoices):
    FUNDING = "financement", _("financement")
    SPONSORED_SEATS = "places", _("places offertes")
    INTERNSHIPS = "stages-emplois", _("stages ou emplois pour les certifiés")
    SERVICES = "services", _("services")
    CONTENT = "contenus", _("contenus")


class SponsorContribution(models.Model):
    """What a company or a foundation brings to the offer, to a course or a partnership;
    public ones are shown « avec le soutien de » on the course and the sponsor's pages."""

    sponsor = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("partenaire privé"),
        on_delete=models.CASCADE,
        related_name="sponsor_contributions",
    )
    kind = models.CharField(_("nature"), max_length=16, choices=ContributionKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    course = models.ForeignKey(
        "catalog.Course",
        verbose_name=_("cours"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sponsor_contributions",
    )
    amount = models.DecimalField(
        _("montant"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    currency = models.CharField(_("devise"), max_length=3, blank=True)
    is_public = models.BooleanField(_("affiché publiquement"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contribution d'un partenaire privé")
        verbose_name_plural = _("contributions des partenaires privés")
        ordering = ["sponsor_id", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0) & ~Q(currency=""),
                name="partnerships_contribution_amount_has_currency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sponsor_id}: {self.get_kind_display()}"


class VoucherUse(models.TextChoices):
    EXAM_FEE = "examen", _("droits d'inscription à un examen")
    CERTIFICATE_FEE = "certificat", _("frais de certificat")


class Voucher(models.Model):
    """A code that waives a fee, for as many learners as it has seats (each learner once)."""

    contribution = models.ForeignKey(
        SponsorContribution, on_delete=models.CASCADE, related_name="vouchers"
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    use = models.CharField(_("frais pris en charge"), max_length=12, choices=VoucherUse.choices)
    course = models.ForeignKey(
        "catalog.Course",
        verbose_name=_("réservé au cours"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    seats = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    redeemed_count = models.PositiveIntegerField(_("places utilisées"), default=0)
    expires_on = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bon")
        verbose_name_plural = _("bons")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="partnerships_voucher_seats"),
            models.CheckConstraint(
                condition=Q(redeemed_count__lte=models.F("seats")),
                name="partnerships_voucher_never_beyond_its_seats",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def seats_left(self) -> int:
        return self.seats - self.redeemed_count


class VoucherRedemption(models.Model):
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    exam_registration = models.OneToOneField(
        "exams.ExamRegistration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher_redemption",
    )
    redeemed_at = models.DateTimeField(default=timezone.now)
    # When the exam registration was cancelled: the seat went back to the voucher (and the
    # learner may use the code again for another sitting).
    released_at = models.DateTimeField(_("place rendue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("bon utilisé")
        verbose_name_plural = _("bons utilisés")
        ordering = ["-redeemed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "learner"],
                condition=Q(released_at__isnull=True),
                name="partnerships_voucher_once_per_learner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id} → {self.learner_id}"
