"""The files learners send with an open response: only a few safe kinds, each checked by
what it starts with (its magic bytes), not only by its name."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from sankore.assessments.models import OpenResponse
from sankore.core.files import stored_file_response
from sankore.core.uploads import UploadRefusedError

# The checks live in ``core.uploads``; this name stays for the open responses' callers.
ResponseFileError = UploadRefusedError


def response_file_response(
    request: HttpRequest, response: OpenResponse, *, anonymous: bool
) -> HttpResponseBase:
    """The response's file, always as a download (never shown inline); a reviewer gets it
    under a neutral name (its original name could say who wrote it)."""
    extension = response.file.name.rsplit(".", 1)[-1] if response.file.name else "bin"
    name = f"reponse-{str(response.public_id)[:8]}.{extension}" if anonymous else response.file_name
    return stored_file_response(
        request,
        storage=default_storage,
        name=str(response.file.name),
        content_type=response.file_type or "application/octet-stream",
        download_name=name or f"reponse.{extension}",
        as_attachment=True,
        max_age=0,
    )
