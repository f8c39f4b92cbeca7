"""django-axes glue: which account a login attempt targets, and the lock-out page.

allauth authenticates with ``email=…`` rather than ``username=…``; without a username callable
axes would read ``credentials["login"]``, find nothing, and count every account tried from one
address as the same one.
"""

from __future__ import annotations

import math
from typing import Any

from allauth.account.adapter import get_adapter
from axes.helpers import get_cool_off
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKOUT_STATUS = 429


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The email address tried, normalised as allauth stores it (trimmed, lower case)."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or credentials.get(settings.AXES_USERNAME_FORM_FIELD)
        or request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    )
    # Axes stores it in a 255-character column: a longer "address" is cut rather than a 500.
    return str(value).strip().lower()[:255]


def client_ip(request: HttpRequest) -> str | None:
    """The client address as allauth reads it (``ALLAUTH_TRUSTED_PROXY_COUNT``), so that a
    reverse proxy does not make every learner look like one."""
    try:
        return str(get_adapter(request).get_client_ip(request))
    except PermissionDenied:
        return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with a page that says when to try again (and the same in ``Retry-After``)."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    response = render(
        request,
        "accounts/lockout.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "retry_minutes": math.ceil(seconds / 60),
        },
        status=LOCKOUT_STATUS,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
