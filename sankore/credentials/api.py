"""Public JSON API of the credentials: what the verification page says, for machines
(a university's registry, an employer's HR system). Public fields only."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from pydantic import BaseModel

from sankore.core.api import ErrorOut
from sankore.credentials import selectors
from sankore.credentials.services import identifier_normalise

router = Router(tags=["Attestations et certificats"])


class CredentialOut(BaseModel):
    identifier: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    holder_name: str
    course_title: str
    course_code: str
    institutions: list[str]
    session_start: datetime.date | None
    session_end: datetime.date | None
    effort_hours: Decimal
    grade_percent: Decimal | None
    ects_credits: int | None
    identity_verified: bool
    issued_at: datetime.datetime
    revoked_at: datetime.datetime | None
    revocation_reason: str
    verification_url: str
    status_list_url: str | None
    status_list_index: int | None


@router.get(
    "/credentials/{identifier}",
    response={200: CredentialOut, 404: ErrorOut},
    url_name="credential_detail",
    summary="Une attestation ou un certificat",
    description="Ce que dit la page de vérification publique : titulaire, cours, "
    "établissements, dates, type et statut (valide ou révoquée, avec le motif). "
    "L'identifiant s'écrit avec ou sans tirets, en majuscules ou minuscules.",
)
def credential_detail(request: HttpRequest, identifier: str) -> dict[str, Any]:
    normalised = identifier_normalise(identifier)
    credential = selectors.credential_public(identifier=normalised) if normalised else None
    if credential is None:
        raise Http404("No such credential.")
    from sankore.credentials.badges import status_list_url

    return {
        "identifier": credential.identifier,
        "kind": credential.kind,
        "kind_label": str(credential.get_kind_display()),
        "status": credential.status,
        "status_label": str(credential.get_status_display()),
        "holder_name": credential.holder_name,
        "course_title": credential.course_title,
        "course_code": credential.course_code,
        "institutions": list(credential.institution_names),
        "session_start": credential.session_start,
        "session_end": credential.session_end,
        "effort_hours": credential.effort_hours,
        "grade_percent": credential.grade_percent,
        "ects_credits": credential.ects_credits,
        "identity_verified": credential.kind == "certificat",
        "issued_at": credential.issued_at,
        "revoked_at": credential.revoked_at,
        "revocation_reason": credential.revocation_reason,
        "verification_url": request.build_absolute_uri(credential.get_absolute_url()),
        "status_list_url": status_list_url(credential.status_list_number)
        if credential.status_list_number
        else None,
        "status_list_index": credential.status_index,
    }
