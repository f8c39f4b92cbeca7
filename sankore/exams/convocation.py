"""The convocation: the page a candidate brings to the exam centre, with their seat and the QR
code the centre's staff scan at the door; e-mailed when the seat is confirmed.

It is made on the fly from the registration as it is now, never stored: a change of seat or
of room gives a new one. It is written in the learner's language, whoever asks for it.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from sankore.accounts.language import supported_language
from sankore.exams import selectors
from sankore.exams.display import (
    centre_local_date,
    centre_local_time,
    centre_zone_label,
    duration_label,
    fee_label,
)
from sankore.exams.models import ExamMode, ExamRegistration, RegistrationStatus
from sankore.exams.pdf import QR_NAME, pdf_write, qr_png
from sankore.exams.tokens import QUERY_PARAMETER, convocation_token_make

logger = logging.getLogger(__name__)

TEMPLATE = "exams/pdf/convocation.html"
STYLESHEET = "exams/pdf/convocation.css"
EMAIL_TEXT = "exams/email/convocation.txt"
EMAIL_HTML = "exams/email/convocation.html"

# Candidates are asked to be there this long before the start (identity checks take time).
ARRIVE_BEFORE = datetime.timedelta(minutes=30)


def convocation_language(*, registration: ExamRegistration) -> str:
    return supported_language(registration.learner.preferred_language)


def convocation_scan_url(*, registration: ExamRegistration) -> str:
    """What the QR code holds: the centre staff's scan page with the signed token. A phone's
    camera app opens it; a barcode scanner types it into the attendance page's field."""
    path = reverse("exams:scan", kwargs={"pk": registration.sitting_id})
    # The token's ":" is kept as it is (allowed in a query): a shorter code.
    query = urlencode(
        {QUERY_PARAMETER: convocation_token_make(registration=registration)}, safe=":"
    )
    return f"{settings.SITE_URL}{path}?{query}"


def convocation_filename(*, registration: ExamRegistration) -> str:
    return f"convocation-{registration.sitting.course_run.course.slug}.pdf"


def _facts(registration: ExamRegistration) -> dict[str, Any]:
    """What the page and the e-mail both say, in the active language."""
    sitting = registration.sitting
    centre = sitting.centre
    learner = registration.learner
    return {
        "registration": registration,
        "sitting": sitting,
        "centre": centre,
        "institution": centre.institution,
        "course_title": sitting.course_run.course.title,
        "session_title": sitting.course_run.display_title,
        "name": learner.printed_name,
        "email": learner.email,
        "date": centre_local_date(centre=centre, at=sitting.starts_at),
        "time": centre_local_time(centre=centre, at=sitting.starts_at),
        "arrive_at": centre_local_time(centre=centre, at=sitting.starts_at - ARRIVE_BEFORE),
        "zone_label": centre_zone_label(centre=centre, at=sitting.starts_at),
        "duration": duration_label(minutes=sitting.duration_minutes),
        "on_platform": sitting.mode == ExamMode.PLATFORM,
        "fee_label": fee_label(sitting=sitting),
        "site_name": settings.SITE_NAME,
        "dashboard_url": settings.SITE_URL + reverse("exams:mine"),
    }


def convocation_html(*, registration: ExamRegistration) -> str:
    """The convocation's page as HTML, in the learner's language (split from the PDF so that
    what it says can be read without laying it out)."""
    with translation.override(convocation_language(registration=registration)):
        context = _facts(registration)
        context["qr"] = QR_NAME
        context["printed_at"] = centre_local_date(
            centre=registration.sitting.centre, at=timezone.now()
        )
        return render_to_string(TEMPLATE, context)


def convocation_render(*, registration: ExamRegistration) -> bytes:
    """The convocation as PDF. The caller checks that the seat is confirmed."""
    return pdf_write(
        html=convocation_html(registration=registration),
        stylesheet=STYLESHEET,
        qr=qr_png(convocation_scan_url(registration=registration)),
    )


def _email(registration: ExamRegistration, pdf: bytes) -> EmailMultiAlternatives:
    with translation.override(convocation_language(registration=registration)):
        context = _facts(registration)
        subject = gettext("Votre convocation : %(course)s, %(date)s") % {
            "course": context["course_title"],
            "date": context["date"],
        }
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(EMAIL_TEXT, context),
            to=[registration.learner.email],
        )
        message.attach_alternative(render_to_string(EMAIL_HTML, context), "text/html")
    message.attach(convocation_filename(registration=registration), pdf, "application/pdf")
    return message


def convocation_send(*, registration_id: int, now: datetime.datetime | None = None) -> bool:
    """E-mail the convocation of a confirmed registration, once; ``False`` when there is
    nothing to send (cancelled meanwhile, or already sent).

    Runs in the worker, after the registration's commit: a failure here leaves the seat as it
    is. It is logged and raised, so that the task is marked failed and can be run again;
    ``convocation_sent_at`` stays empty until the mail is out.
    """
    registration = selectors.registration_for_convocation(pk=registration_id)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return False
    if registration.convocation_sent_at is not None:
        return False
    try:
        pdf = convocation_render(registration=registration)
        _email(registration, pdf).send()
    except Exception:
        logger.exception("convocation of registration %s: not sent", registration_id)
        raise
    # update(), not save(): the worker's copy must not write back fields changed meanwhile.
    ExamRegistration.objects.filter(pk=registration.pk).update(
        convocation_sent_at=timezone.now() if now is None else now
    )
    return True
