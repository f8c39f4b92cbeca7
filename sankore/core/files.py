"""Serving stored files from a view that checked permissions first, with HTTP ranges so a
video can be seeked and a broken download resumed on a weak connection."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.core.files.storage import Storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _read_range(storage: Storage, name: str, start: int, length: int) -> Iterator[bytes]:
    with storage.open(name, "rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def stored_file_response(
    request: HttpRequest,
    *,
    storage: Storage,
    name: str,
    content_type: str,
    download_name: str | None = None,
    as_attachment: bool = False,
    max_age: int = 3600,
) -> HttpResponseBase:
    """The file ``name`` of ``storage``, whole or the one byte range the request asks for."""
    try:
        size = storage.size(name)
    except OSError as error:  # a file listed but gone from the storage: not there for anyone
        raise Http404 from error
    disposition = (
        content_disposition_header(as_attachment, download_name) if download_name else None
    )
    header = request.headers.get("Range", "")
    match = _RANGE.match(header.strip()) if header else None
    if match and match.group(1) and match.group(2) and int(match.group(2)) < int(match.group(1)):
        match = None  # an invalid range is ignored: the whole file (RFC 9110, 14.1.1)
    response: HttpResponseBase
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # the last N bytes
            start = max(size - int(last), 0)
            end = size - 1
        if start >= size or end < start:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        length = end - start + 1
        response = StreamingHttpResponse(
            _read_range(storage, name, start, length), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response.sankore_uncompressed = True  # type: ignore[attr-defined]
    # Private: the permission was checked for this user; a shared cache must not keep it.
    response["Cache-Control"] = f"private, max-age={max_age}"
    if disposition:
        response["Content-Disposition"] = disposition
    return response
