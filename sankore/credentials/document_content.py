"""What a credential's document prints, gathered from the stored credential and the owning
institutions' template, signatories and logos (read from storage: S3 or local alike)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from sankore.credentials.content import (
    CredentialContent,
    DocumentStyle,
    InstitutionMark,
    Kind,
    SignatoryMark,
)
from sankore.credentials.models import Credential, DocumentTemplate, Signatory

logger = logging.getLogger(__name__)

MAX_SIGNATORIES = 3
MAX_IMAGE_BYTES = 4 * 1024 * 1024


def _file_bytes(field: FieldFile) -> bytes | None:
    """The file's bytes, or ``None`` when it is not set, missing or too large: the renderer
    prints a placeholder and warns the staff."""
    if not field:
        return None
    try:
        if field.size > MAX_IMAGE_BYTES:
            return None
        with field.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        logger.warning("image %s could not be read", field.name)
        return None


def content_for(
    *, credential: Credential, language: str
) -> tuple[CredentialContent, int, list[str]]:
    """The document's content, the template version it uses, and warnings found here."""
    course = credential.course_run.course
    owners = list(course.owners.order_by("pk"))
    template = DocumentTemplate.objects.filter(institution=owners[0]).first() if owners else None
    style = DocumentStyle()
    if template is not None:
        style = DocumentStyle(
            accent_colour=template.accent_colour,
            heading=template.heading_en if language == "en" else template.heading_fr,
            footer=template.footer_en if language == "en" else template.footer_fr,
        )
    institutions = tuple(
        InstitutionMark(
            name=institution.name,
            acronym=institution.acronym,
            logo=_file_bytes(institution.logo),
            logo_name=str(institution.logo.name or ""),
        )
        for institution in owners
    )
    by_institution = {institution.pk: institution for institution in owners}
    signatories = tuple(
        SignatoryMark(
            name=signatory.name,
            title=(signatory.title_en or signatory.title_fr)
            if language == "en"
            else signatory.title_fr,
            institution=by_institution[signatory.institution_id].name,
            signature=_file_bytes(signatory.signature),
            signature_name=str(signatory.signature.name or ""),
        )
        for signatory in Signatory.objects.filter(institution__in=owners, is_active=True).order_by(
            "institution_id", "position", "pk"
        )[:MAX_SIGNATORIES]
    )
    content = CredentialContent(
        identifier=credential.identifier,
        kind=Kind(credential.kind),
        holder_name=credential.holder_name,
        course_title=credential.course_title,
        course_code=credential.course_code,
        session_start=credential.session_start,
        session_end=credential.session_end,
        effort_hours=credential.effort_hours,
        grade_percent=credential.grade_percent,
        ects_credits=credential.ects_credits,
        issued_at=timezone.localtime(credential.issued_at),
        language=language,
        verification_url=settings.SITE_URL + credential.get_absolute_url(),
        institutions=institutions,
        signatories=signatories,
        style=style,
    )
    return content, template.version if template is not None else 0, []
