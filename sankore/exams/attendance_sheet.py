"""The printed attendance list (« liste d'émargement ») of a sitting: the candidates by seat,
a column for their signature, who was already checked in. For the room's supervisors and the
jury's file; made on the fly in the staff person's language, never stored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from sankore.exams.display import (
    centre_local_date,
    centre_local_time,
    centre_zone_label,
    duration_label,
    fee_label,
)
from sankore.exams.models import ExamRegistration, ExamSitting
from sankore.exams.pdf import pdf_write

TEMPLATE = "exams/pdf/attendance_sheet.html"
STYLESHEET = "exams/pdf/attendance_sheet.css"


def attendance_sheet_filename(*, sitting: ExamSitting) -> str:
    return f"emargement-{sitting.course_run.course.slug}-{sitting.pk}.pdf"


def attendance_sheet_html(*, sitting: ExamSitting, rows: Sequence[ExamRegistration]) -> str:
    """The list as HTML in the active language; ``rows`` are the confirmed registrations by
    seat, with their learner (``selectors.registrations_confirmed``)."""
    centre = sitting.centre
    # The check-in times in the centre's clock, like the rest of the page.
    candidates: list[dict[str, Any]] = [
        {
            "registration": row,
            "name": row.learner.printed_name,
            "checked_in_at": (
                centre_local_time(centre=centre, at=row.checked_in_at) if row.checked_in_at else ""
            ),
        }
        for row in rows
    ]
    now = timezone.now()
    return render_to_string(
        TEMPLATE,
        {
            "sitting": sitting,
            "centre": centre,
            "course_title": sitting.course_run.course.title,
            "session_title": sitting.course_run.display_title,
            "date": centre_local_date(centre=centre, at=sitting.starts_at),
            "time": centre_local_time(centre=centre, at=sitting.starts_at),
            "zone_label": centre_zone_label(centre=centre, at=sitting.starts_at),
            "duration": duration_label(minutes=sitting.duration_minutes),
            "fee_label": fee_label(sitting=sitting),
            "candidates": candidates,
            "present": sum(1 for row in rows if row.checked_in_at),
            "printed_date": centre_local_date(centre=centre, at=now),
            "printed_time": centre_local_time(centre=centre, at=now),
        },
    )


def attendance_sheet_render(*, sitting: ExamSitting, rows: Sequence[ExamRegistration]) -> bytes:
    return pdf_write(html=attendance_sheet_html(sitting=sitting, rows=rows), stylesheet=STYLESHEET)
