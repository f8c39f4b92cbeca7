"""The interface language follows the learner's preferred language.

Django's ``LocaleMiddleware`` reads the language cookie on every request, so setting that
cookie (on login and when the profile changes) is all it takes; no session state is kept.
"""

from __future__ import annotations

from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation


def supported_language(code: str | None) -> str:
    """``code`` if the platform speaks it (``fr-ca`` counts as ``fr``), else the default."""
    available = dict(settings.LANGUAGES)
    if code:
        code = code.lower()
        if code in available:
            return code
        base = code.split("-")[0]
        if base in available:
            return base
    return settings.LANGUAGE_CODE


def interface_language_set(
    *, request: HttpRequest, response: HttpResponseBase, language: str
) -> None:
    """Switch this request's language and remember it in the cookie for the next ones."""
    translation.activate(language)
    request.LANGUAGE_CODE = language
    # Same cookie, same attributes as Django's own ``set_language`` view.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(
            "Literal['Lax', 'Strict', 'None', False] | None", settings.LANGUAGE_COOKIE_SAMESITE
        ),
    )
