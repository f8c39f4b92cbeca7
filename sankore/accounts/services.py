"""Writes on users and roles: the admin, the pages and the commands all come through here."""

from __future__ import annotations

import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sankore.accounts.models import SCOPED_ROLES, Role, RoleAssignment, User
from sankore.core.errors import ConflictError, ServiceError
from sankore.institutions.models import Institution, InstitutionKind

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = 200


class ProfileError(ServiceError):
    pass


class EmailTakenError(ConflictError):
    pass


class RoleScopeError(ServiceError):
    pass


def _clean_name(value: str, *, code: str) -> str:
    # Names are printed on certificates: surrounding and repeated blanks are typing slips.
    cleaned = " ".join(value.split())
    if len(cleaned) > NAME_MAX_LENGTH:
        raise ProfileError(
            _("Ce nom est trop long (200 caractères au plus)."), code=f"{code}_too_long"
        )
    return cleaned


def _check_country_and_language(*, country: str, preferred_language: str) -> str:
    country = country.strip().upper()
    if country and country not in countries:
        raise ProfileError(_("Ce pays ne figure pas dans la liste."), code="unknown_country")
    if preferred_language not in dict(settings.LANGUAGES):
        raise ProfileError(
            _("Cette langue n'est pas proposée par la plateforme."), code="unknown_language"
        )
    return country


def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    country: str = "",
    preferred_language: str = settings.LANGUAGE_CODE,
    email_verified: bool = False,
) -> User:
    """Create an account outside the sign-up pages (demo data, imports, commands).

    The address is recorded for allauth too: verified, the account can log in at once;
    unverified, its first login sends a verification link. Password strength is the
    caller's business (sign-up and admin forms run the validators).
    """
    email = email.strip().lower()
    full_name = _clean_name(full_name, code="full_name")
    country = _check_country_and_language(country=country, preferred_language=preferred_language)
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTakenError(
            _("Un compte utilise déjà cette adresse électronique."), code="email_taken"
        )
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                country=country,
                preferred_language=preferred_language,
            )
            EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=email_verified
            )
    except IntegrityError as error:  # a concurrent request took the address first
        raise EmailTakenError(
            _("Un compte utilise déjà cette adresse électronique."), code="email_taken"
        ) from error
    return user


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    full_name: str,
    certificate_name: str,
    country: str,
    preferred_language: str,
    institution: Institution | None,
) -> User:
    """Update what learners may change about themselves.

    Every value is checked before the user object is touched, so a refused update leaves both
    the row and the caller's in-memory user (often ``request.user``) as they were.
    """
    full_name = _clean_name(full_name, code="full_name")
    certificate_name = _clean_name(certificate_name, code="certificate_name")
    country = _check_country_and_language(country=country, preferred_language=preferred_language)
    if institution is not None and institution.pk is None:
        raise ProfileError(_("Cet établissement n'existe pas."), code="unknown_institution")

    user.full_name = full_name
    user.certificate_name = certificate_name
    user.country = country
    user.preferred_language = preferred_language
    user.institution = institution
    user.save(
        update_fields=[
            "full_name",
            "certificate_name",
            "country",
            "preferred_language",
            "institution",
        ]
    )
    return user


def role_scope_check(*, role: str, institution: Institution | None) -> None:
    """Refuse a role and scope that do not go together; the admin forms ask it too."""
    if role not in Role.values:
        raise RoleScopeError(_("Ce rôle n'existe pas."), code="unknown_role")
    if role in SCOPED_ROLES and institution is None:
        raise RoleScopeError(
            _("Ce rôle s'exerce dans un établissement : choisissez lequel."),
            code="institution_required",
        )
    if role not in SCOPED_ROLES and institution is not None:
        raise RoleScopeError(
            _("Ce rôle vaut pour tout le programme : il ne se rattache à aucun établissement."),
            code="institution_not_allowed",
        )
    if (
        role == Role.CAMPUS_STAFF
        and institution is not None
        and institution.kind != InstitutionKind.CAMPUS
    ):
        raise RoleScopeError(
            _("Le personnel de campus numérique se rattache à un campus numérique."),
            code="institution_not_a_campus",
        )


def role_assign(
    *,
    user: User,
    role: str,
    institution: Institution | None = None,
    granted_by: User | None,
) -> RoleAssignment:
    """Give ``user`` a role; assigning it again returns the existing assignment unchanged.

    The unique constraints settle two concurrent requests: when ``get_or_create`` loses the
    insert race it reads the winner's row, so both callers get the same assignment.
    """
    role_scope_check(role=role, institution=institution)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, institution=institution, defaults={"granted_by": granted_by}
    )
    if created:
        # No audit table yet: the log keeps who granted what.
        logger.info(
            "role granted: user=%s role=%s institution=%s by=%s",
            user.pk,
            role,
            institution.pk if institution else None,
            granted_by.pk if granted_by else None,
        )
    return assignment


def role_revoke(
    *,
    user: User,
    role: str,
    institution: Institution | None = None,
    revoked_by: User | None,
) -> bool:
    """Take a role away; revoking a role the user does not hold is not an error.

    Returns whether an assignment was removed. The scope is not re-checked: an institution
    may have changed kind since the role was granted, and the role must still be removable.
    """
    if role not in Role.values:
        raise RoleScopeError(_("Ce rôle n'existe pas."), code="unknown_role")
    deleted, _details = RoleAssignment.objects.filter(
        user=user, role=role, institution=institution
    ).delete()
    if deleted:
        logger.info(
            "role revoked: user=%s role=%s institution=%s by=%s",
            user.pk,
            role,
            institution.pk if institution else None,
            revoked_by.pk if revoked_by else None,
        )
    return bool(deleted)
