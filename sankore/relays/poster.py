"""The campus's printed poster: its selection of courses on A4, each with a QR code to the
course's page, and how to reach the campus. Made on demand (the selection changes), laid out
by the exams' WeasyPrint setup: fonts once per process, nothing fetched from outside."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from sankore.catalog.models import Course
from sankore.exams.pdf import pdf_write, qr_png
from sankore.institutions.models import Institution
from sankore.relays.models import CampusRelay

TEMPLATE = "relays/pdf/poster.html"
STYLESHEET = "relays/pdf/poster.css"


def course_link(*, course: Course) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{course.get_absolute_url()}"


def poster_render(
    *,
    campus: Institution,
    relay: CampusRelay | None,
    courses: list[Course],
    now: datetime.datetime | None = None,
) -> bytes:
    """The poster of ``courses`` (the selection as cards, in order) in the active language."""
    moment = timezone.now() if now is None else now
    images = {}
    for course in courses:
        course.relay_link = course_link(course=course)  # type: ignore[attr-defined]
        images[f"qr-{course.pk}"] = qr_png(course.relay_link)  # type: ignore[attr-defined]
    html = render_to_string(
        TEMPLATE,
        {
            "campus": campus, "relay": relay, "courses": courses, "printed_at": moment,
            "site_name": settings.SITE_NAME,
        },
    )  # fmt: skip
    return pdf_write(html=html, stylesheet=STYLESHEET, images=images)


def poster_filename(*, campus: Institution) -> str:
    return f"affiche-{campus.slug}.pdf"
