"""E-mails about an application: its acknowledgement of receipt, once submitted, to the lead
institution's staff and to whoever submitted it, each in their own language, with the receipt
as PDF attached and a link to the application's page."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from sankore.accounts.language import supported_language
from sankore.accounts.models import Role, User
from sankore.calls.models import Application, ApplicationStatus, CallEvent
from sankore.calls.receipts import (
    receipt_filename,
    receipt_pdf,
    submission_fingerprint,
    submission_instant,
)

ACKNOWLEDGEMENT_TEXT = "calls/email/acknowledgement.txt"
SUBMITTED = "application_submitted"  # the journal's action, written by services


def _submitter_id(application: Application) -> int | None:
    # The journal says who submitted (nothing else stores it); the creator when the
    # submitter's account is gone (the journal's actor is then empty).
    actor_id = (
        CallEvent.objects.filter(application=application, action=SUBMITTED)
        .order_by("-at", "-pk")
        .values_list("actor_id", flat=True)
        .first()
    )
    return actor_id or application.created_by_id


def _recipients(application: Application, submitter_id: int | None) -> list[User]:
    lead_staff = Q(
        role_assignments__role=Role.INSTITUTION_STAFF,
        role_assignments__institution_id=application.lead_id,
    )
    people = User.objects.filter((lead_staff | Q(pk=submitter_id)) if submitter_id else lead_staff)
    return [
        person for person in people.filter(is_active=True).distinct().order_by("pk") if person.email
    ]


def application_acknowledge(*, application_id: int) -> int:
    """E-mail the receipt of a submitted application; returns how many e-mails left (0 when
    the application is gone or not, or no longer, submitted)."""
    application = (
        Application.objects.select_related("call", "lead", "strand", "tier")
        .filter(pk=application_id, status=ApplicationStatus.SUBMITTED)
        .first()
    )
    if application is None or application.submitted_at is None:
        return 0
    submitter_id = _submitter_id(application)
    submitter = User.objects.filter(pk=submitter_id).first() if submitter_id else None
    url = settings.SITE_URL + application.get_absolute_url()
    fingerprint = submission_fingerprint(application=application)
    pdfs: dict[str, bytes] = {}  # one layout per language, not per person
    mails = []
    for person in _recipients(application, submitter_id):
        language = supported_language(person.preferred_language)
        with translation.override(language):
            if language not in pdfs:
                pdfs[language] = receipt_pdf(application=application)
            context = {
                "application": application,
                "call": application.call,
                "submitted_at": submission_instant(
                    at=application.submitted_at, zone=application.call.zone
                ),
                "submitter_name": submitter.get_full_name() if submitter else "",
                "fingerprint": fingerprint,
                "url": url,
                "site_name": settings.SITE_NAME,
            }
            message = EmailMessage(
                subject=gettext("Accusé de réception n° %(number)s : %(title)s")
                % {"number": application.receipt_number, "title": application.title},
                body=render_to_string(ACKNOWLEDGEMENT_TEXT, context),
                to=[person.email],
            )
        message.attach(receipt_filename(application=application), pdfs[language], "application/pdf")
        mails.append(message)
    if not mails:
        return 0
    with get_connection() as connection:
        return connection.send_messages(mails) or 0
