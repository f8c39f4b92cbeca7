"""Reads of the credentials: the public verification, a holder's list, a session's list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from sankore.accounts.models import User
from sankore.catalog.models import CourseRun
from sankore.credentials.models import Credential, CredentialDocument


def credential_public(*, identifier: str) -> Credential | None:
    """A credential as the verification page shows it (public fields only are rendered)."""
    return (
        Credential.objects.select_related("course_run__course")
        .filter(identifier=identifier)
        .first()
    )


def credentials_of_holder(*, holder: User) -> QuerySet[Credential]:
    current = CredentialDocument.objects.filter(superseded_at__isnull=True).order_by("language")
    return (
        Credential.objects.filter(holder=holder)
        .select_related("course_run__course")
        .prefetch_related(Prefetch("documents", queryset=current, to_attr="current_documents"))
        .order_by("-issued_at", "-pk")
    )


def credentials_of_run(
    *, course_run: CourseRun, kind: str = "", status: str = "", query: str = ""
) -> QuerySet[Credential]:
    warned = CredentialDocument.objects.filter(
        credential_id=OuterRef("pk"), superseded_at__isnull=True
    ).exclude(warnings=[])
    rows = (
        Credential.objects.filter(course_run=course_run)
        .annotate(has_warning=Exists(warned))
        .order_by("holder_name", "pk")
    )
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(
            Q(holder_name__icontains=query)
            | Q(identifier=query.upper())
            | Q(holder__email__icontains=query)
        )
    return rows


def document_current(
    *, credential: Credential, language: str | None = None
) -> CredentialDocument | None:
    documents = CredentialDocument.objects.filter(credential=credential, superseded_at__isnull=True)
    if language:
        preferred = documents.filter(language=language).first()
        if preferred is not None:
            return preferred
    return documents.filter(language=credential.language).first() or documents.first()


@dataclass(frozen=True)
class HashMatch:
    document: CredentialDocument
    credential: Credential

    @property
    def is_current(self) -> bool:
        return self.document.superseded_at is None


def document_by_hash(*, sha256: str) -> HashMatch | None:
    """The issued document whose SHA-256 this is (current or superseded), if any."""
    document = (
        CredentialDocument.objects.select_related("credential__course_run__course")
        .filter(sha256=sha256.lower())
        .order_by(F("superseded_at").asc(nulls_first=True))  # the current one when both
        .first()
    )
    if document is None:
        return None
    return HashMatch(document=document, credential=document.credential)
