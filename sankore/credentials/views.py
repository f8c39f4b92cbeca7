"""Public verification, the holder's page « Mes attestations et certificats », the issuer's
public documents (DID, status lists)."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sankore.accounts.models import User
from sankore.core.errors import ServiceError
from sankore.credentials import badges, selectors, services
from sankore.credentials.models import Credential, CredentialKind
from sankore.credentials.permissions import user_can_manage_credentials
from sankore.credentials.services import identifier_normalise

logger = logging.getLogger(__name__)

MAX_CHECKED_PDF_BYTES = 20 * 1024 * 1024
SHA256_PATTERN = re.compile(r"^[0-9a-fA-F]{64}$")


class IdentifierForm(forms.Form):
    identifier = forms.CharField(
        label=_("Identifiant du document"),
        max_length=40,
        help_text=_("Les 16 caractères imprimés sous le code QR, par exemple 7K2M-9QXD-4HRT-B1CE."),
    )

    def clean_identifier(self) -> str:
        identifier = identifier_normalise(self.cleaned_data["identifier"])
        if identifier is None:
            raise forms.ValidationError(
                _("Un identifiant compte 16 lettres et chiffres ; vérifiez ce que vous avez saisi.")
            )
        return identifier


class DocumentCheckForm(forms.Form):
    document = forms.FileField(
        label=_("Fichier PDF reçu"),
        help_text=_("Il est comparé aux documents délivrés, sans être conservé."),
    )


def _display_identifier(identifier: str) -> str:
    return "-".join(identifier[start : start + 4] for start in range(0, len(identifier), 4))


@require_safe
def verify_home(request: HttpRequest) -> HttpResponse:
    form = IdentifierForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("credentials:verify", identifier=form.cleaned_data["identifier"])
    return render(
        request,
        "credentials/verify_home.html",
        {"form": form, "check_form": DocumentCheckForm()},
    )


@require_safe
def verify(request: HttpRequest, identifier: str) -> HttpResponse:
    normalised = identifier_normalise(identifier)
    if normalised is None:
        raise Http404
    if normalised != identifier:
        return redirect("credentials:verify", identifier=normalised, permanent=True)
    credential = selectors.credential_public(identifier=normalised)
    if credential is None:
        raise Http404
    return render(
        request,
        "credentials/verify.html",
        {"credential": credential, "display_identifier": _display_identifier(normalised)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def verify_document(request: HttpRequest) -> HttpResponse:
    """Is this PDF one we issued? The browser sends its SHA-256 when it can compute it
    (``?sha256=``, nothing uploaded over a slow line), the file itself otherwise."""
    digest = ""
    form = DocumentCheckForm()
    # A body announced bigger than REQUEST_BODY_LIMITS is refused (413) by the middleware
    # before anything reads it; an upload that still turns out too big is refused below.
    if request.method == "POST":
        form = DocumentCheckForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["document"]
            if upload.size > MAX_CHECKED_PDF_BYTES:
                form.add_error(
                    "document", _("Ce fichier est trop lourd pour être un de nos documents.")
                )
            else:
                hasher = hashlib.sha256()
                for chunk in upload.chunks():
                    hasher.update(chunk)
                digest = hasher.hexdigest()
    else:
        digest = request.GET.get("sha256", "").strip()
        if not SHA256_PATTERN.match(digest):
            return redirect("credentials:verify_home")
    if not digest:
        return render(
            request,
            "credentials/verify_home.html",
            {"form": IdentifierForm(), "check_form": form},
            status=400,
        )
    match = selectors.document_by_hash(sha256=digest)
    return render(
        request,
        "credentials/verify_document.html",
        {
            "match": match,
            "digest": digest.lower(),
            "display_identifier": _display_identifier(match.credential.identifier) if match else "",
        },
    )


# --- The holder's page -------------------------------------------------------------------


def _linkedin_url(request: HttpRequest, credential: Credential) -> str:
    """LinkedIn's "add a certification to your profile" link, filled in."""
    issued = timezone.localtime(credential.issued_at)
    return "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": f"{credential.get_kind_display()} — {credential.course_title}",
            "organizationName": ", ".join(credential.institution_names),
            "issueYear": issued.year,
            "issueMonth": issued.month,
            "certUrl": settings.SITE_URL + credential.get_absolute_url(),
            "certId": _display_identifier(credential.identifier),
        }
    )


@require_safe
@login_required
def my_credentials(request: HttpRequest) -> HttpResponse:
    holder: User = request.user  # type: ignore[assignment]
    rows = list(selectors.credentials_of_holder(holder=holder))
    for credential in rows:
        # The address printed in the QR code and signed in the badge, whatever host served us.
        credential.share_url = settings.SITE_URL + credential.get_absolute_url()  # type: ignore[attr-defined]
        credential.linkedin_url = _linkedin_url(request, credential)  # type: ignore[attr-defined]
        credential.display_identifier = _display_identifier(credential.identifier)  # type: ignore[attr-defined]
    return render(
        request,
        "credentials/my_credentials.html",
        {
            "credentials": rows,
            "kinds": CredentialKind,
            "needs_name": not holder.printed_name.strip(),
        },
    )


def _owned_or_staff(request: HttpRequest, identifier: str) -> Credential:
    """The holder's own credential, or one of a session the user may edit; otherwise a 404
    (a stranger learns nothing, not even that it exists: the public page is elsewhere)."""
    credential = selectors.credential_public(identifier=identifier)
    if credential is None:
        raise Http404
    if credential.holder_id == request.user.pk:
        return credential
    if user_can_manage_credentials(user=request.user, course=credential.course_run.course):
        return credential
    raise Http404


@require_POST
@login_required
def document_language(request: HttpRequest, identifier: str) -> HttpResponse:
    credential = selectors.credential_public(identifier=identifier)
    if credential is None or credential.holder_id != request.user.pk:
        raise Http404
    try:
        with transaction.atomic():
            asked = services.document_language_request(
                credential=credential, holder=request.user,  # type: ignore[arg-type]
                language=request.POST.get("language", ""),
            )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if asked:
            messages.success(
                request, gettext("Le document est en préparation ; revenez dans quelques minutes.")
            )
    return redirect("credentials:mine")


@require_safe
@login_required
def document_download(request: HttpRequest, identifier: str) -> FileResponse:
    credential = _owned_or_staff(request, identifier)
    language = request.GET.get("langue", "")
    document = selectors.document_current(
        credential=credential, language=language if language in dict(settings.LANGUAGES) else None
    )
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except OSError:
        # Lost from the storage (a restore without the media): made again in the worker.
        logger.exception("document %s of credential %s is missing", document.pk, credential.pk)
        services.document_rebuild_request(document=document)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{credential.get_kind_display()}-{credential.identifier}.pdf".replace(" ", "-"),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
@login_required
def badge_download(request: HttpRequest, identifier: str) -> HttpResponse:
    credential = _owned_or_staff(request, identifier)
    if not credential.badge:
        raise Http404
    response = HttpResponse(
        json.dumps(credential.badge, ensure_ascii=False, indent=2),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="badge-{credential.identifier}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The issuer's public documents ---------------------------------------------------------


def _json(payload: dict[str, Any], *, content_type: str) -> JsonResponse:
    return JsonResponse(
        payload, content_type=content_type, json_dumps_params={"ensure_ascii": False}
    )


@require_safe
@cache_control(public=True, max_age=300)
def did_document(request: HttpRequest) -> JsonResponse:
    response = _json(badges.did_document(), content_type="application/did+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@cache_control(public=True, max_age=60)
def status_list(request: HttpRequest, number: int) -> JsonResponse:
    signed = badges.status_list_signed(number=number)
    if signed is None:
        raise Http404
    response = _json(signed, content_type="application/vc+ld+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
