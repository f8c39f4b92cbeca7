"""``POST /api/v1/sync/course-runs``: a partner platform pushes a session of a course it
hosts (docs/api.md, ADR 0007). Signed, so exempt from CSRF; errors in JSON with ``detail``."""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sankore.core.errors import ServiceError
from sankore.federation.signatures import request_verify
from sankore.federation.sync import course_run_sync


@csrf_exempt
@require_POST
def course_runs_sync(request: HttpRequest) -> JsonResponse:
    try:
        signed = request_verify(request=request)
        try:
            data = json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return JsonResponse({"detail": gettext("Corps JSON illisible.")}, status=400)
        result = course_run_sync(data=data, nonce=signed.nonce)
    except ServiceError as error:
        return JsonResponse({"detail": str(error.message)}, status=error.status_code)
    return JsonResponse(
        {
            "success": True,
            "session": result.run.pk,
            "created": result.created,
            "changed": result.changed,
        }
    )
