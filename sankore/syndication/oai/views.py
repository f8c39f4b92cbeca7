"""The OAI-PMH endpoint: GET or POST (form-encoded), always an XML answer, errors included."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sankore.syndication.oai.responses import oai_respond


@csrf_exempt  # harvesters POST without a session; nothing here writes
@require_http_methods(["GET", "POST"])
def oai_endpoint(request: HttpRequest) -> StreamingHttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    pieces = oai_respond(params={name: params.getlist(name) for name in params})
    return StreamingHttpResponse(
        _encoded(pieces, translation.get_language()), content_type="text/xml; charset=utf-8"
    )


def _encoded(pieces: Iterator[str], language: str | None) -> Iterator[bytes]:
    # The body is written after the view returns: keep the request's language for set names.
    with translation.override(language):
        for piece in pieces:
            yield piece.encode("utf-8")
