"""An institution's documents: its template (colour, headings, footers) and who signs them.
A change raises the template's version, so that staff can make new documents for those
printed with the old one."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.credentials.models import DocumentTemplate, Signatory
from sankore.credentials.services import CredentialError


def document_template_changed(*, template: DocumentTemplate) -> None:
    """An institution changed its template or signatories: documents made before now show
    as outdated, and staff may make new ones (one by one or for a whole session)."""
    DocumentTemplate.objects.filter(pk=template.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


SIGNATURE_MAX_BYTES = 2 * 1024 * 1024


def _signature_image_check(upload: UploadedFile) -> str:
    """A signature is a PNG or JPEG that Pillow can read, of at most 2 MB: anything else
    would print as a placeholder on every document."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is None or upload.size > SIGNATURE_MAX_BYTES:
        raise CredentialError(_("Une signature pèse au plus 2 Mo."), code="signature_too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    finally:
        upload.seek(0)
    if kind not in ("PNG", "JPEG"):
        raise CredentialError(
            _("La signature doit être une image PNG ou JPEG."), code="signature_format"
        )
    return ".png" if kind == "PNG" else ".jpg"


@transaction.atomic
def document_template_save(
    *, institution_id: int, accent_colour: str, heading_fr: str = "", heading_en: str = "",
    footer_fr: str = "", footer_en: str = "",
) -> DocumentTemplate:  # fmt: skip
    """An institution's look for its documents; a change raises the version (the team can
    then make new documents for those printed before)."""
    values = {
        "accent_colour": accent_colour.strip().lower(), "heading_fr": heading_fr.strip(),
        "heading_en": heading_en.strip(), "footer_fr": footer_fr.strip(),
        "footer_en": footer_en.strip(),
    }  # fmt: skip
    template = (
        DocumentTemplate.objects.select_for_update().filter(institution_id=institution_id).first()
    )
    changed = template is None or any(
        getattr(template, name) != value for name, value in values.items()
    )
    if not changed:
        assert template is not None
        return template
    candidate = template or DocumentTemplate(institution_id=institution_id)
    for name, value in values.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(exclude=["institution"])
    except ValidationError as error:
        raise CredentialError(" ".join(error.messages), code="template_invalid") from None
    if template is not None:
        candidate.version = F("version") + 1
    candidate.updated_at = timezone.now()
    candidate.save()
    candidate.refresh_from_db()
    return candidate


@transaction.atomic
def signatory_save(
    *, institution_id: int, name: str, title_fr: str, title_en: str = "", position: int = 0,
    is_active: bool = True, signature: UploadedFile | None = None,
    signatory: Signatory | None = None,
) -> Signatory:  # fmt: skip
    """Add (or, given ``signatory``, change) who signs the institution's documents."""
    if signatory is not None and signatory.institution_id != institution_id:
        raise CredentialError(
            _("Ce signataire est d'un autre établissement."), code="wrong_institution"
        )
    if not name.strip() or not title_fr.strip():
        raise CredentialError(
            _("Indiquez le nom et la fonction (en français) du signataire."),
            code="signatory_incomplete",
        )
    extension = _signature_image_check(signature) if signature is not None else ""
    row = signatory or Signatory(institution_id=institution_id)
    row.name, row.title_fr, row.title_en = (
        name.strip()[:200],
        title_fr.strip()[:200],
        title_en.strip()[:200],
    )
    row.position, row.is_active = max(position, 0), is_active
    if signature is not None:
        row.signature.save(
            f"{institution_id}-{secrets.token_hex(6)}{extension}", signature, save=False
        )
    row.save()
    signatories_changed(institution_id=institution_id)
    return row


@transaction.atomic
def signatory_delete(*, signatory: Signatory) -> None:
    institution_id = signatory.institution_id
    signatory.delete()
    signatories_changed(institution_id=institution_id)


def signatories_changed(*, institution_id: int) -> None:
    """Who signs an institution's documents changed: its template's version goes up too."""
    template, _created = DocumentTemplate.objects.get_or_create(institution_id=institution_id)
    document_template_changed(template=template)
