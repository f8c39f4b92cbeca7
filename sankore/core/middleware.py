"""Small cross-cutting middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils.translation import gettext

# Every asset is served by the platform itself: the policy says so to the browser too.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class RequestBodyLimitMiddleware:
    """Some public forms take a file but never a large one (``REQUEST_BODY_LIMITS``: path
    prefix → bytes): a bigger body is refused from its announced length, before anything
    reads it into a temporary file (the course-file uploads keep their own, larger limits)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limits = sorted(
            getattr(settings, "REQUEST_BODY_LIMITS", {}).items(), key=lambda item: -len(item[0])
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and self.limits:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            for prefix, limit in self.limits:
                if request.path.startswith(prefix):
                    if length > limit:
                        if request.path.startswith("/api/"):
                            return JsonResponse(
                                {"detail": gettext("Requête trop volumineuse.")}, status=413
                            )
                        return render(request, "413.html", status=413)
                    break
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """A NUL byte has no business in a form or a query string, and PostgreSQL refuses it in
    text: answer 400 up front rather than let any filter, search or admin list reach the
    database with it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": gettext("Caractère nul interdit dans la requête.")}, status=400
                )
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _has_nul(data: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The admin ships inline scripts and styles of its own; it is staff-only.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class CompressionMiddleware(GZipMiddleware):
    """gzip, except for responses that ask not to be (served files: byte ranges must stay
    byte ranges of the file, and videos or PDFs gain nothing)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(response, "sankore_uncompressed", False):
            return response
        return super().process_response(request, response)
