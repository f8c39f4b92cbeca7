"""Issuing, documenting, revoking credentials: every write of the app goes through here.

One credential per (holder, session, kind) is a unique constraint, so issuing twice at once
(two grading tasks, a retried job) leaves one. A credential's revocation bit comes from its
primary key, so issuing takes no shared lock; signing happens in the issuing transaction,
documents (slow: a PDF) in the worker afterwards.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.assessments.models import LearnerGrade
from sankore.catalog.models import CourseRun
from sankore.core.errors import ServiceError
from sankore.credentials import badges, document_content
from sankore.credentials.models import (
    CourseCredentialSettings,
    Credential,
    CredentialDocument,
    CredentialEvent,
    CredentialKind,
    CredentialStatus,
    EventAction,
    IssueBasis,
    StatusList,
)
from sankore.learning.models import Enrolment

logger = logging.getLogger(__name__)

# Crockford's base32: no I, L, O, U, so a printed identifier is typed back without doubt.
IDENTIFIER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
IDENTIFIER_LENGTH = 16  # 80 random bits
DOCUMENTS_PER_TASK = 25


class CredentialError(ServiceError):
    pass


def identifier_new() -> str:
    return "".join(secrets.choice(IDENTIFIER_ALPHABET) for _ in range(IDENTIFIER_LENGTH))


def identifier_normalise(text: str) -> str | None:
    """A typed identifier in its stored form (``None`` when it cannot be one): case, spaces
    and dashes ignored, and the letters people type for digits read as those digits."""
    cleaned = "".join(text.split()).replace("-", "").upper()
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != IDENTIFIER_LENGTH or any(c not in IDENTIFIER_ALPHABET for c in cleaned):
        return None
    return cleaned


def _offered(*, course_run: CourseRun, kind: str) -> bool:
    course = course_run.course
    if kind == CredentialKind.ATTESTATION:
        return course.offers_attestation
    return course.offers_certificate or bool(course.ects_credits)


def refuse_unless_offered(*, course_run: CourseRun, kind: str) -> None:
    if _offered(course_run=course_run, kind=kind):
        return
    if kind == CredentialKind.ATTESTATION:
        message = _("Ce cours ne délivre pas d'attestation de suivi.")
    else:
        message = _("Ce cours ne délivre pas de certificat.")
    raise CredentialError(message, code="not_offered")


def _printed_grade(*, course_run: CourseRun, holder: User) -> Decimal | None:
    shows = CourseCredentialSettings.objects.filter(
        course_id=course_run.course_id, print_grade=True
    ).exists()
    if not shows:
        return None
    grade = LearnerGrade.objects.filter(user=holder, course_run=course_run).first()
    return grade.effective_percent if grade is not None else None


def credential_issue(
    *,
    holder: User,
    course_run: CourseRun,
    kind: str,
    basis: str,
    issued_by: User | None = None,
    now: datetime.datetime | None = None,
    make_document: bool = True,
) -> tuple[Credential, bool]:
    """Issue the holder's credential of this kind for the session (or return the one they
    have, revoked or not: a revoked credential is never silently issued again). Returns the
    credential and whether it was created now; its document is made in the worker."""
    existing = Credential.objects.filter(holder=holder, course_run=course_run, kind=kind).first()
    if existing is not None:
        return existing, False
    refuse_unless_offered(course_run=course_run, kind=kind)
    if kind == CredentialKind.ATTESTATION and basis != IssueBasis.GRADE:
        raise CredentialError(
            _("Une attestation de suivi se délivre sur la note de la session."), code="basis"
        )
    if kind == CredentialKind.CERTIFICATE and basis == IssueBasis.GRADE:
        raise CredentialError(
            _("Un certificat se délivre après un examen surveillé ou par l'équipe pédagogique."),
            code="basis",
        )
    if (
        basis == IssueBasis.GRADE
        and not LearnerGrade.objects.filter(
            user=holder, course_run=course_run, passed=True
        ).exists()
    ):
        raise CredentialError(
            _("Le seuil de réussite de la session n'est pas atteint."), code="not_passed"
        )
    if not Enrolment.objects.filter(user=holder, course_run=course_run, is_active=True).exists():
        raise CredentialError(
            _("Cette personne n'est pas inscrite à la session."), code="not_enrolled"
        )
    if not holder.printed_name.strip():
        # Never the e-mail address: it would be public on the verification page.
        raise CredentialError(
            _("Le nom à imprimer sur les documents manque : indiquez-le dans le profil."),
            code="no_printed_name",
        )
    moment = timezone.now() if now is None else now
    course = course_run.course
    owners = list(course.owners.order_by("pk"))
    values = {
        "kind": kind,
        "holder": holder,
        "course_run": course_run,
        "basis": basis,
        "holder_name": holder.printed_name.strip()[:200],
        "course_title": course.title,
        "course_code": course.code,
        "institution_names": [institution.name for institution in owners],
        "session_start": timezone.localdate(course_run.start) if course_run.start else None,
        "session_end": timezone.localdate(course_run.end) if course_run.end else None,
        "effort_hours": course.total_effort_hours,
        "grade_percent": _printed_grade(course_run=course_run, holder=holder),
        "ects_credits": course.ects_credits if kind == CredentialKind.CERTIFICATE else None,
        "language": holder.preferred_language or settings.LANGUAGE_CODE,
        "issued_at": moment,
        "issued_by": issued_by,
    }
    try:
        with transaction.atomic():
            credential = _credential_insert(values)
            _status_bit_assign(credential)
            credential.badge = badges.badge_signed(credential=credential, holder=holder)
            credential.save(update_fields=["badge"])
            CredentialEvent.objects.create(
                credential=credential,
                action=EventAction.ISSUED,
                actor=issued_by,
                at=moment,
                details={"basis": basis},
            )
            if make_document:
                language = credential.language
                transaction.on_commit(
                    lambda: _documents_enqueue(credential_ids=[credential.pk], language=language)
                )
    except IntegrityError:
        # Issued meanwhile by another process (the unique constraint decided): theirs stands.
        theirs = Credential.objects.filter(holder=holder, course_run=course_run, kind=kind).first()
        if theirs is None:
            raise
        return theirs, False
    return credential, True


def _credential_insert(values: dict[str, Any]) -> Credential:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Credential.objects.create(identifier=identifier_new(), **values)
        except IntegrityError:
            if not Credential.objects.filter(
                holder=values["holder"], course_run=values["course_run"], kind=values["kind"]
            ).exists():
                continue  # an identifier drawn twice (one chance in 2^80): draw again
            raise
    raise IntegrityError("no free identifier")


# A list takes half as many credentials as it has bits: a random free bit is found in a
# couple of draws, and a revoked bit hides among 131,072 (the Bitstring Status List's herd
# privacy: a sequential index would tell how many were issued, and by whom next door).
CREDENTIALS_PER_STATUS_LIST = badges.STATUS_LIST_SIZE // 2


def _status_bit_assign(credential: Credential) -> None:
    """A random free bit in the list the credential's key falls in (no shared counter to
    lock: the key comes from the database's sequence, the bit is unique by constraint)."""
    number = credential.pk // CREDENTIALS_PER_STATUS_LIST + 1
    StatusList.objects.get_or_create(number=number)
    for _attempt in range(64):
        index = secrets.randbelow(badges.STATUS_LIST_SIZE)
        try:
            with transaction.atomic():
                Credential.objects.filter(pk=credential.pk).update(
                    status_list_number=number, status_index=index
                )
        except IntegrityError:
            continue  # taken: at most half of the list is, so this is rare
        credential.status_list_number, credential.status_index = number, index
        return
    raise IntegrityError("no free status bit")


def _documents_enqueue(
    *, credential_ids: Sequence[int], language: str | None = None, replace: bool = False
) -> None:
    from sankore.credentials.tasks import credential_documents_make_task

    for start in range(0, len(credential_ids), DOCUMENTS_PER_TASK):
        credential_documents_make_task.enqueue(
            list(credential_ids[start : start + DOCUMENTS_PER_TASK]), language, replace
        )


# --- Automatic attestations ---------------------------------------------------------------


def passed_without_credential(*, course_run_id: int, kind: str):  # type: ignore[no-untyped-def]
    """Learners of the session who passed, are enrolled, and have no credential of this kind."""
    return (
        LearnerGrade.objects.filter(course_run_id=course_run_id, passed=True)
        .filter(
            Exists(
                Enrolment.objects.filter(
                    course_run_id=course_run_id, user_id=OuterRef("user_id"), is_active=True
                )
            )
        )
        .exclude(
            Exists(
                Credential.objects.filter(
                    course_run_id=course_run_id, holder_id=OuterRef("user_id"), kind=kind
                )
            )
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def runs_with_pending_attestations() -> list[int]:
    """Sessions with a learner who passed, is enrolled, and has no attestation yet."""
    pending = (
        LearnerGrade.objects.filter(passed=True, course_run__course__offers_attestation=True)
        .filter(
            Exists(
                Enrolment.objects.filter(
                    course_run_id=OuterRef("course_run_id"), user_id=OuterRef("user_id"),
                    is_active=True,
                )
            )
        )
        .exclude(
            Exists(
                Credential.objects.filter(
                    course_run_id=OuterRef("course_run_id"), holder_id=OuterRef("user_id"),
                    kind=CredentialKind.ATTESTATION,
                )
            )
        )
        .values_list("course_run_id", flat=True)
        .distinct()
    )  # fmt: skip
    return sorted(pending)


@dataclass
class IssueReport:
    issued: int = 0
    existing: int = 0
    failed: int = 0
    credential_ids: list[int] | None = None


def attestations_issue_for_passed(
    *, course_run_id: int, user_ids: Sequence[int] | None = None, make_documents: bool = True
) -> IssueReport:
    """The attestations due to learners who passed (those given, or every one of the session
    still without one): what the grading calls for, and what a catch-up run does."""
    report = IssueReport(credential_ids=[])
    course_run = CourseRun.objects.select_related("course").filter(pk=course_run_id).first()
    if course_run is None or not _offered(course_run=course_run, kind=CredentialKind.ATTESTATION):
        return report
    candidates = passed_without_credential(course_run_id=course_run_id, kind="attestation")
    if user_ids is not None:
        candidates = candidates.filter(user_id__in=list(user_ids))
    holders = User.objects.in_bulk(list(candidates))
    for holder in holders.values():
        try:
            credential, created = credential_issue(
                holder=holder, course_run=course_run, kind=CredentialKind.ATTESTATION,
                basis=IssueBasis.GRADE, make_document=make_documents,
            )  # fmt: skip
        except CredentialError as error:
            report.failed += 1
            logger.warning("attestation of user %s in run %s refused: %s", holder.pk,
                           course_run_id, error.code)  # fmt: skip
            continue
        except Exception:  # one learner's failure must not stop the others; logged with ids
            report.failed += 1
            logger.exception("attestation of user %s in run %s failed", holder.pk, course_run_id)
            continue
        if created:
            report.issued += 1
            assert report.credential_ids is not None
            report.credential_ids.append(credential.pk)
        else:
            report.existing += 1
    return report


# --- Documents ------------------------------------------------------------------------------


def credential_document_make(
    *, credential_id: int, language: str | None = None, replace: bool = False
) -> CredentialDocument | None:
    """Make and store the credential's PDF in a language (its holder's by default). Without
    ``replace``, an existing current document is kept; with it, the new one supersedes it."""
    credential = Credential.objects.select_related("course_run__course").get(pk=credential_id)
    language = language or credential.language
    current = CredentialDocument.objects.filter(
        credential=credential, language=language, superseded_at__isnull=True
    ).first()
    if current is not None and not replace:
        return current
    content, template_version, warnings = document_content.content_for(
        credential=credential, language=language
    )
    from sankore.credentials.documents import render_pdf

    rendered = render_pdf(content)
    all_warnings = [*warnings, *rendered.warnings]
    name = default_storage.save(
        f"credentials/{credential.identifier}/{rendered.sha256[:16]}-{language}.pdf",
        ContentFile(rendered.pdf),
    )
    moment = timezone.now()
    try:
        with transaction.atomic():
            Credential.objects.select_for_update().filter(pk=credential.pk).first()
            if not replace:
                # Made meanwhile by another task (checked again under the lock): keep it.
                made = CredentialDocument.objects.filter(
                    credential=credential, language=language, superseded_at__isnull=True
                ).first()
                if made is not None:
                    default_storage.delete(name)
                    return made
            CredentialDocument.objects.filter(
                credential=credential, language=language, superseded_at__isnull=True
            ).update(superseded_at=moment)
            document = CredentialDocument.objects.create(
                credential=credential, language=language, file=name, sha256=rendered.sha256,
                size=len(rendered.pdf), template_version=template_version,
                warnings=[str(w) for w in all_warnings], created_at=moment,
            )  # fmt: skip
            CredentialEvent.objects.create(
                credential=credential,
                action=EventAction.DOCUMENT,
                at=moment,
                details={
                    "sha256": rendered.sha256,
                    "language": language,
                    "warnings": [str(w) for w in all_warnings],
                },
            )
    except IntegrityError:
        default_storage.delete(name)
        return CredentialDocument.objects.filter(
            credential=credential, language=language, superseded_at__isnull=True
        ).first()
    except BaseException:
        default_storage.delete(name)  # no row points to it: do not leave it behind
        raise
    return document


def document_rebuild_request(*, document: CredentialDocument) -> None:
    """A stored document is missing (a storage restored without it): a new one is made in
    the worker, from the same credential, and supersedes the lost one."""
    credential_id, language = document.credential_id, document.language
    transaction.on_commit(
        lambda: _documents_enqueue(credential_ids=[credential_id], language=language, replace=True)
    )


def documents_make(*, credential_ids: Iterable[int], language: str | None, replace: bool) -> int:
    """Make a batch of documents (a worker task); a failure is logged and does not stop the
    others (staff see the credential without document and can ask again)."""
    made = 0
    for credential_id in credential_ids:
        try:
            credential_document_make(
                credential_id=credential_id, language=language, replace=replace
            )
        except Exception:  # one bad document must not stop the batch; logged with its id
            logger.exception("document of credential %s failed", credential_id)
        else:
            made += 1
    return made


def document_language_request(*, credential: Credential, holder: User, language: str) -> bool:
    """The holder asks for their document in another language (French or English): made in
    the worker, once; returns whether it was asked now."""
    if credential.holder_id != holder.pk:
        raise CredentialError(_("Ce document n'est pas le vôtre."), code="not_holder")
    if language not in dict(settings.LANGUAGES):
        raise CredentialError(_("Cette langue n'est pas proposée."), code="language")
    if CredentialDocument.objects.filter(
        credential=credential, language=language, superseded_at__isnull=True
    ).exists():
        return False
    transaction.on_commit(
        lambda: _documents_enqueue(credential_ids=[credential.pk], language=language)
    )
    return True


def credential_regenerate(*, credential: Credential, actor: User, reason: str = "") -> None:
    """Ask for a new document (after a template change): made in the worker, it supersedes
    the current one, whose hash keeps verifying as superseded."""
    if Credential.objects.filter(pk=credential.pk, status=CredentialStatus.REVOKED).exists():
        raise CredentialError(_("Un document révoqué ne se refait pas."), code="revoked")
    languages = list(
        CredentialDocument.objects.filter(
            credential=credential, superseded_at__isnull=True
        ).values_list("language", flat=True)
    ) or [credential.language]
    CredentialEvent.objects.create(
        credential=credential, action=EventAction.REGENERATION, actor=actor, reason=reason.strip()
    )
    for language in languages:
        transaction.on_commit(
            lambda language=language: _documents_enqueue(  # type: ignore[misc]
                credential_ids=[credential.pk], language=language, replace=True
            )
        )


def course_credential_settings_set(
    *, course_id: int, print_grade: bool
) -> CourseCredentialSettings:
    """What the course's documents print beyond the essentials (from the next ones on:
    a credential keeps what it said when issued)."""
    settings_row, _created = CourseCredentialSettings.objects.update_or_create(
        course_id=course_id, defaults={"print_grade": print_grade}
    )
    return settings_row


def badges_resign(*, kid: str | None = None, batch: int = 500) -> int:
    """Sign again, with the current key, the badges signed by key ``kid`` (every badge when
    ``None``): after a key leaked and was removed. Returns how many were signed again."""
    resigned = 0
    queryset = Credential.objects.select_related("course_run__course", "holder").order_by("pk")
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last)[:batch])
        if not rows:
            return resigned
        for credential in rows:
            last = credential.pk
            method = str(credential.badge.get("proof", {}).get("verificationMethod", ""))
            if kid is not None and not method.endswith(f"#{kid}"):
                continue
            if credential.holder is None:
                continue  # the account was deleted: nobody to give a badge to
            with transaction.atomic():
                locked = Credential.objects.select_for_update().get(pk=credential.pk)
                locked.badge = badges.badge_signed(credential=credential, holder=credential.holder)
                locked.save(update_fields=["badge"])
            resigned += 1


# --- Revocation -----------------------------------------------------------------------------


@transaction.atomic
def credential_revoke(
    *, credential: Credential, reason: str, revoked_by: User, now: datetime.datetime | None = None
) -> Credential:
    """Revoke with a reason (kept in the audit trail); the status list flips its bit."""
    reason = reason.strip()
    if not reason:
        raise CredentialError(_("Indiquez le motif de la révocation."), code="reason_required")
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    if locked.is_revoked:
        raise CredentialError(_("Ce document est déjà révoqué."), code="already_revoked")
    moment = timezone.now() if now is None else now
    locked.status = CredentialStatus.REVOKED
    locked.revoked_at = moment
    locked.revoked_by = revoked_by
    locked.revocation_reason = reason[:2000]
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    StatusList.objects.filter(number=locked.status_list_number or 0).update(
        version=F("version") + 1, updated_at=moment
    )
    CredentialEvent.objects.create(
        credential=locked, action=EventAction.REVOCATION, actor=revoked_by, reason=reason, at=moment
    )
    return locked
