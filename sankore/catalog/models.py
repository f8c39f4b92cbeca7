"""The catalog: courses (CLOM / MOOC), their sessions, disciplines, languages and teachers."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class TranslatedNameMixin(models.Model):
    """Reference data named in both interface languages (French first)."""

    name_fr = models.CharField(_("nom (français)"), max_length=200)
    name_en = models.CharField(_("nom (anglais)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fr


class Discipline(TranslatedNameMixin):
    """A node of the hierarchical discipline taxonomy."""

    slug = models.SlugField(unique=True, max_length=80)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["position", "name_fr"]


class Language(TranslatedNameMixin):
    code = models.CharField(_("code"), max_length=12, primary_key=True)

    class Meta:
        verbose_name = _("langue")
        verbose_name_plural = _("langues")
        ordering = ["name_fr"]


class Level(models.TextChoices):
    INTRODUCTORY = "introductif", _("Introductif")
    INTERMEDIATE = "intermediaire", _("Intermédiaire")
    ADVANCED = "avance", _("Avancé")


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("CC BY 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("CC BY-SA 4.0")
    CC_BY_NC = "CC-BY-NC-4.0", _("CC BY-NC 4.0")
    CC_BY_NC_SA = "CC-BY-NC-SA-4.0", _("CC BY-NC-SA 4.0")
    CC_BY_NC_ND = "CC-BY-NC-ND-4.0", _("CC BY-NC-ND 4.0")
    ALL_RIGHTS_RESERVED = "tous-droits-reserves", _("Tous droits réservés")


class Recognition(models.TextChoices):
    ATTESTATION = "attestation", _("Attestation de suivi")
    CERTIFICATE = "certificat", _("Certificat")
    ECTS = "ects", _("Crédits ECTS")


class Hosting(models.TextChoices):
    """Where a course is followed: on Sankoré, or on another platform of the francophone offer
    (the catalog lists it; its page links there and Sankoré never enrols in it)."""

    SANKORE = "sankore", _("Sankoré")
    EXTERNAL = "externe", _("Autre plateforme")


class Teacher(models.Model):
    full_name = models.CharField(_("nom complet"), max_length=200)
    title = models.CharField(_("titre ou fonction"), max_length=200, blank=True)
    bio = models.TextField(_("biographie"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="teachers/", blank=True)
    institution = models.ForeignKey(
        "institutions.Institution", null=True, blank=True, on_delete=models.SET_NULL
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teacher_profile",
    )

    class Meta:
        verbose_name = _("enseignant")
        verbose_name_plural = _("enseignants")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class Course(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("titre"), max_length=255)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    summary = models.CharField(_("résumé"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    learning_outcomes = models.TextField(
        _("objectifs d'apprentissage"), blank=True, help_text=_("Un objectif par ligne.")
    )
    prerequisites = models.TextField(_("prérequis"), blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("langues d'enseignement"), related_name="courses"
    )
    subtitle_languages = models.ManyToManyField(
        Language, verbose_name=_("langues des sous-titres"), related_name="+", blank=True
    )
    disciplines = models.ManyToManyField(
        Discipline, verbose_name=_("disciplines"), related_name="courses"
    )
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices)
    effort_hours_per_week = models.DecimalField(
        _("effort (heures par semaine)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("durée (semaines)"), validators=[MinValueValidator(1)]
    )
    licence = models.CharField(_("licence"), max_length=32, choices=Licence.choices)
    image = models.ImageField(_("image"), upload_to="courses/", blank=True)
    owners = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("établissements porteurs"),
        related_name="owned_courses",
    )
    partners = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("établissements partenaires"),
        related_name="partner_courses",
        blank=True,
    )
    teachers = models.ManyToManyField(
        Teacher, verbose_name=_("enseignants"), related_name="courses", blank=True
    )
    offers_attestation = models.BooleanField(_("attestation de suivi"), default=True)
    offers_certificate = models.BooleanField(_("certificat"), default=False)
    ects_credits = models.PositiveSmallIntegerField(_("crédits ECTS"), null=True, blank=True)
    is_published = models.BooleanField(_("publié"), default=False, db_index=True)
    hosting = models.CharField(
        _("hébergement"), max_length=16, choices=Hosting.choices, default=Hosting.SANKORE
    )
    external_url = models.URLField(
        _("adresse du cours sur sa plateforme"), max_length=500, blank=True
    )
    external_platform = models.CharField(_("plateforme d'hébergement"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("one course", "cours")
        verbose_name_plural = pgettext_lazy("several courses", "cours")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hosting="sankore") | ~Q(external_url=""),
                name="catalog_course_hosted_elsewhere_has_link",
            ),
        ]
        indexes = [
            # Machines that copy the catalog page through it by last change, then pk.
            models.Index(
                fields=["updated_at", "id"],
                condition=Q(is_published=True),
                name="catalog_course_by_last_change",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:course_detail", kwargs={"slug": self.slug})

    @property
    def is_hosted_elsewhere(self) -> bool:
        return self.hosting == Hosting.EXTERNAL

    @property
    def total_effort_hours(self) -> Decimal:
        return self.effort_hours_per_week * self.duration_weeks

    @property
    def learning_outcome_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip()]

    @property
    def recognitions(self) -> list[Recognition]:
        offered = []
        if self.offers_attestation:
            offered.append(Recognition.ATTESTATION)
        if self.offers_certificate:
            offered.append(Recognition.CERTIFICATE)
        if self.ects_credits:
            offered.append(Recognition.ECTS)
        return offered


class CourseWithdrawal(models.Model):
    """A course that left the public catalog: unpublished, deleted, or published under another
    slug since. Kept for good, so that machines that copied the catalog (OAI-PMH harvesters,
    whose repository declares deleted records ``persistent``) learn it is gone.

    Why a record of its own rather than a status on ``Course``: a deleted course leaves no row
    to carry a status, and a slug change leaves the old public identifier behind while the
    course lives on. The catalog's services write these rows in the transaction of the change
    (``course_update``, ``course_delete``) and remove one when its slug is public again; the
    catalog knows nothing of who reads them (the layers above, through its selectors).
    ``institutions`` and ``disciplines`` are what the course belonged to when it left, so a
    selective harvest of an institution or a discipline hears of its withdrawal too.
    """

    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    code = models.CharField(_("code"), max_length=40)
    withdrawn_at = models.DateTimeField(_("retiré le"), default=timezone.now)
    institutions = models.ManyToManyField("institutions.Institution", related_name="+", blank=True)
    disciplines = models.ManyToManyField(Discipline, related_name="+", blank=True)

    class Meta:
        verbose_name = _("cours retiré du catalogue")
        verbose_name_plural = _("cours retirés du catalogue")
        indexes = [
            models.Index(fields=["withdrawn_at", "id"], name="catalog_withdrawal_by_date"),
        ]

    def __str__(self) -> str:
        return self.slug


class Pacing(models.TextChoices):
    INSTRUCTOR_LED = "instructor_led", _("Rythmé (avec l'équipe pédagogique)")
    SELF_PACED = "self_paced", _("À votre rythme")


class RunState(models.TextChoices):
    """A session's state, always computed from its dates at request time."""

    OPEN = "ouverte", _("Inscriptions ouvertes")
    UPCOMING = "a-venir", _("À venir")
    ONGOING = "en-cours", _("En cours")
    ARCHIVED = "archivee", _("Archivée")


def run_state_filters(now: datetime.datetime) -> dict[RunState, Q]:
    """The database condition of each state at ``now``; exactly one holds for any session.

    Enrolment is open between ``enrolment_start`` and ``enrolment_end`` (no end: until the
    session ends). A session that is open for enrolment shows as open even while it runs.
    """
    open_q = (
        Q(enrolment_start__lte=now)
        & (Q(enrolment_end__gt=now) | Q(enrolment_end__isnull=True))
        & (Q(end__gt=now) | Q(end__isnull=True))
    )
    not_open = ~open_q
    return {
        RunState.OPEN: open_q,
        RunState.UPCOMING: not_open & Q(start__gt=now),
        RunState.ONGOING: not_open & Q(start__lte=now) & (Q(end__gt=now) | Q(end__isnull=True)),
        RunState.ARCHIVED: not_open & Q(end__lte=now),
    }


class CourseRun(models.Model):
    """A session of a course: its dates, pacing and (later) its own copy of the content."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="runs")
    title = models.CharField(_("intitulé de la session"), max_length=200, blank=True)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"), null=True, blank=True)
    enrolment_start = models.DateTimeField(_("ouverture des inscriptions"))
    enrolment_end = models.DateTimeField(_("clôture des inscriptions"), null=True, blank=True)
    pacing = models.CharField(_("rythme"), max_length=16, choices=Pacing.choices)
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("Laisser vide pour un nombre illimité."),
    )
    enrolment_count = models.PositiveIntegerField(_("inscrits"), default=0, editable=False)
    is_published = models.BooleanField(_("publiée"), default=True)
    # A session of a course hosted elsewhere: its address on that platform (the key the
    # imports and the platform's synchronisation find it by), and what that platform says.
    resource_link = models.URLField(_("adresse de la session"), max_length=500, blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("langues de la session"), related_name="course_runs", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["course_id", "start"]
        indexes = [
            models.Index(fields=["course", "start"]),
            models.Index(fields=["enrolment_start", "enrolment_end"]),
            models.Index(fields=["end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="catalog_run_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(enrolment_end__isnull=True) | Q(enrolment_end__gt=F("enrolment_start")),
                name="catalog_run_enrolment_ends_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(enrolment_count__lte=F("capacity")),
                name="catalog_run_enrolments_within_capacity",
            ),
            # One address, one session: the synchronisation finds a session by it alone.
            models.UniqueConstraint(
                fields=["resource_link"],
                condition=~Q(resource_link=""),
                name="catalog_run_resource_link_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} — {self.display_title}"

    def get_absolute_url(self) -> str:
        url = reverse("catalog:course_detail", kwargs={"slug": self.course.slug})
        return f"{url}?session={self.pk}"

    @property
    def display_title(self) -> str:
        return self.title or timezone.localtime(self.start).strftime("%Y-%m")

    def state_at(self, now: datetime.datetime) -> RunState:
        end_passed = self.end is not None and self.end <= now
        if (
            self.enrolment_start <= now
            and (self.enrolment_end is None or now < self.enrolment_end)
            and not end_passed
        ):
            return RunState.OPEN
        if now < self.start:
            return RunState.UPCOMING
        if not end_passed:
            return RunState.ONGOING
        return RunState.ARCHIVED

    @property
    def state(self) -> RunState:
        return self.state_at(timezone.now())

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.enrolment_count >= self.capacity

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.enrolment_count, 0)


class CourseTeamRole(models.TextChoices):
    INSTRUCTOR = "instructor", _("Enseignant")
    STAFF = "staff", _("Équipe pédagogique")
    TUTOR = "tutor", _("Tuteur")


class CourseTeamMember(models.Model):
    """A user's role in one course's team (per-course role, checked on the server)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_roles"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=CourseTeamRole.choices)

    class Meta:
        verbose_name = _("membre de l'équipe pédagogique")
        verbose_name_plural = _("membres de l'équipe pédagogique")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="catalog_team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.course})"


_STATE_PRIORITY = {
    RunState.OPEN: 0,
    RunState.UPCOMING: 1,
    RunState.ONGOING: 2,
    RunState.ARCHIVED: 3,
}


def featured_run_of(runs: list[CourseRun], now: datetime.datetime) -> CourseRun | None:
    """The session a course page leads with at ``now``.

    Open for enrolment first (the one whose enrolment closes soonest), then the next upcoming,
    then the one running, then the most recent archived one.
    """
    if not runs:
        return None

    def sort_key(run: CourseRun) -> tuple[int, float]:
        state = run.state_at(now)
        if state == RunState.OPEN:
            closes = run.enrolment_end or run.end
            # A session whose enrolment never closes comes after those that close.
            return (0, closes.timestamp() if closes else math.inf)
        if state == RunState.ARCHIVED:
            return (3, -(run.end or run.start).timestamp())
        return (_STATE_PRIORITY[state], run.start.timestamp())

    return min(runs, key=sort_key)
