"""The one exception type that services raise for a refused request.

Views turn it into a form error or a message, the API into a 4xx JSON body with ``detail``.
"""

from __future__ import annotations

from django_stubs_ext import StrOrPromise


class ServiceError(Exception):
    """A rule refused the request; ``message`` is for the user (translated), ``code`` for code."""

    status_code = 400

    def __init__(self, message: StrOrPromise, *, code: str) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


class NotFoundError(ServiceError):
    status_code = 404


class PermissionDeniedError(ServiceError):
    status_code = 403


class ConflictError(ServiceError):
    status_code = 409
