"""Users and their roles.

Every user is a learner. Other roles are rows of ``RoleAssignment`` (programme-wide, or scoped to
one institution or campus) or of ``catalog.CourseTeamMember`` (scoped to one course), so the
server checks them as data, never through flags on the user.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse électronique"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=200, blank=True)
    certificate_name = models.CharField(
        _("nom sur les attestations"),
        max_length=200,
        blank=True,
        help_text=_("Le nom tel qu'il doit être imprimé sur vos attestations et certificats."),
    )
    country = CountryField(_("pays"), blank=True)
    preferred_language = models.CharField(
        _("langue préférée"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("établissement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    @property
    def printed_name(self) -> str:
        """The name printed on credentials: the one the learner set for it, else the full name."""
        return self.certificate_name or self.full_name


class Role(models.TextChoices):
    PROGRAMME_STAFF = "programme_staff", _("Équipe du programme")
    EXPERT_REVIEWER = "expert_reviewer", _("Expert évaluateur")
    INSTITUTION_STAFF = "institution_staff", _("Personnel d'établissement")
    CAMPUS_STAFF = "campus_staff", _("Personnel de campus numérique")
    # Who may sign an agreement (convention) in the institution's name.
    SIGNATORY = "signatory", _("Signataire autorisé")


# Roles that only make sense for one institution (or campus).
SCOPED_ROLES = (Role.INSTITUTION_STAFF, Role.CAMPUS_STAFF, Role.SIGNATORY)


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("établissement"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    granted_at = models.DateTimeField(_("attribué le"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attribution de rôle")
        verbose_name_plural = _("attributions de rôles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "institution"],
                name="accounts_role_unique_per_institution",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(institution__isnull=True),
                name="accounts_role_unique_global",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in SCOPED_ROLES], institution__isnull=False)
                    | (~Q(role__in=[r.value for r in SCOPED_ROLES]) & Q(institution__isnull=True))
                ),
                name="accounts_role_scope_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        return f"{self.user} — {label}" + (f" ({self.institution})" if self.institution_id else "")
