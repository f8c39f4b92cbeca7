"""What a course page tells search engines and link previews: schema.org ``Course`` JSON-LD.

Built from what ``selectors.course_page_get`` already read (no query of its own). URLs are
absolute, from ``settings.SITE_URL``: a crawler or a partner reads them out of context.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from sankore.catalog.models import Course, CourseRun, Recognition

# Inside a <script> element, "</script>" or "<!--" would end or change it: escape the markup
# characters as JSON escapes (the same ones as Django's json_script).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

COURSE_MODE = "online"
# No course fee exists on the platform: every course is free to follow.
PRICE_CURRENCY = "EUR"


def absolute_url(path: str) -> str:
    """``path`` on the public site (``settings.SITE_URL``); absolute URLs stay as they are."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def duration_iso8601(*, hours: Decimal) -> str:
    """``PT7H30M`` for 7.5 hours: an ISO 8601 duration, whole minutes."""
    minutes = int((hours * 60).to_integral_value())
    whole_hours, rest = divmod(minutes, 60)
    if not minutes:
        return "PT0H"
    return "PT" + (f"{whole_hours}H" if whole_hours else "") + (f"{rest}M" if rest else "")


def _run_json_ld(run: CourseRun, workload: str) -> dict[str, Any]:
    instance: dict[str, Any] = {
        "@type": "CourseInstance",
        "name": run.display_title,
        "url": absolute_url(run.get_absolute_url()),
        "courseMode": COURSE_MODE,
        "courseWorkload": workload,
        "startDate": run.start.isoformat(),
    }
    if run.end:
        instance["endDate"] = run.end.isoformat()
    return instance


def course_json_ld(*, course: Course, runs: list[CourseRun]) -> dict[str, Any]:
    """The course as a schema.org ``Course`` with one ``CourseInstance`` per public session.

    ``course``'s owners, languages and disciplines must be prefetched; ``runs``: its published
    sessions.
    """
    languages = [language.code for language in course.languages.all()]
    disciplines = [discipline.name for discipline in course.disciplines.all()]
    credentials = [
        {"@type": "EducationalOccupationalCredential", "credentialCategory": str(label)}
        for value, label in (
            (Recognition.ATTESTATION, Recognition.ATTESTATION.label),
            (Recognition.CERTIFICATE, Recognition.CERTIFICATE.label),
        )
        if value in course.recognitions
    ]
    workload = duration_iso8601(hours=course.total_effort_hours)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "url": absolute_url(course.get_absolute_url()),
        "courseCode": course.code,
        "provider": [
            {
                "@type": "Organization",
                "name": owner.name,
                "url": absolute_url(owner.get_absolute_url()),
            }
            for owner in course.owners.all()
        ],
        "inLanguage": languages[0] if len(languages) == 1 else languages,
        "about": [{"@type": "Thing", "name": name} for name in disciplines],
        "keywords": ", ".join(disciplines),
        "isAccessibleForFree": True,
        "offers": [
            {
                "@type": "Offer",
                "price": 0,
                "priceCurrency": PRICE_CURRENCY,
                "category": "Free",
                "url": absolute_url(course.get_absolute_url()),
            }
        ],
        "hasCourseInstance": [_run_json_ld(run, workload) for run in runs],
    }
    if credentials:
        data["educationalCredentialAwarded"] = credentials
    if course.image:
        data["image"] = absolute_url(course.image.url)
    return data


def json_for_script(data: Any) -> SafeString:
    """``data`` as JSON that is safe inside a ``<script>`` element or a script file."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 (markup characters are escaped)


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` element, safe to inline."""
    return mark_safe(  # noqa: S308
        f'<script type="application/ld+json">{json_for_script(data)}</script>'
    )
