"""E-mails of a call's peer review and results, each in its reader's language: reviewers
hear what they were assigned and are reminded before the end of the review period;
applicants hear the committee's decision with the reviews — never the reviewers' names."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from sankore.accounts.language import supported_language
from sankore.accounts.models import Role, User
from sankore.calls.models import (
    Application,
    AssignmentState,
    Call,
    CallReviewer,
    Decision,
    ReviewAssignment,
)


def _in_call_zone(call: Call, moment: datetime.datetime) -> str:
    local = timezone.localtime(moment, call.zone)
    return f"{date_format(local, 'DATE_FORMAT')}, {local:%H:%M} ({call.time_zone})"


def reviewers_notify(*, call_id: int, reviewer_ids: list[int]) -> int:
    """Tell each reviewer how many applications they now have to review, and by when."""
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        return 0
    mails = []
    reviewers = CallReviewer.objects.filter(call=call, pk__in=reviewer_ids).select_related(
        "expert__user"
    )
    url = settings.SITE_URL + reverse("calls:expertise", args=[call.slug])
    for reviewer in reviewers.order_by("pk"):
        person = reviewer.expert.user
        count = ReviewAssignment.objects.filter(
            reviewer=reviewer, state=AssignmentState.CONFIRMED
        ).count()
        if not count or not person.is_active:
            continue
        with translation.override(supported_language(person.preferred_language)):
            context = {
                "call": call, "count": count, "url": url, "site_name": settings.SITE_NAME,
                "ends": _in_call_zone(call, call.review_ends_at),
            }  # fmt: skip
            subject = gettext("Candidatures à évaluer : %(title)s") % {"title": call.title}
            body = render_to_string("calls/email/reviewer_assigned.txt", context)
        mails.append((subject, body, None, [person.email]))
    return send_mass_mail(mails) if mails else 0


def review_reminder_send(*, assignment: ReviewAssignment, left: datetime.timedelta) -> int:
    call = assignment.reviewer.call
    person = assignment.reviewer.expert.user
    if not person.is_active:
        return 0
    url = settings.SITE_URL + reverse("calls:review", args=[assignment.pk])
    with translation.override(supported_language(person.preferred_language)):
        context = {
            "call": call, "application": assignment.application, "url": url,
            "days": max(1, math.ceil(left / datetime.timedelta(days=1))),
            "ends": _in_call_zone(call, call.review_ends_at), "site_name": settings.SITE_NAME,
        }  # fmt: skip
        subject = gettext("Rappel : évaluation attendue pour « %(title)s »") % {
            "title": assignment.application.title
        }
        body = render_to_string("calls/email/review_reminder.txt", context)
    return send_mass_mail([(subject, body, None, [person.email])])


def _applicant_people(application: Application) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.INSTITUTION_STAFF,
            role_assignments__institution_id=application.lead_id,
        )
        .distinct()
        .order_by("pk")
    )


def decisions_notify(*, call_id: int) -> int:
    """Send each lead institution's staff the decision on their application, its motivation
    and the reviews' comments for the applicant, numbered, without the reviewers' names."""
    from sankore.calls.selectors import application_feedback

    mails = []
    decisions = (
        Decision.objects.filter(application__call_id=call_id, notified_at__isnull=False)
        .select_related("application__call", "application__lead")
        .order_by("application_id")
    )
    for decision in decisions:
        application = decision.application
        url = settings.SITE_URL + application.get_absolute_url()
        for person in _applicant_people(application):
            with translation.override(supported_language(person.preferred_language)):
                context = {
                    "application": application, "decision": decision, "url": url,
                    "feedback": application_feedback(application=application),
                    "site_name": settings.SITE_NAME,
                }  # fmt: skip
                subject = gettext("Résultat de l'appel « %(call)s » : %(decision)s") % {
                    "call": application.call.title,
                    "decision": decision.get_value_display(),
                }
                body = render_to_string("calls/email/decision.txt", context)
            mails.append((subject, body, None, [person.email]))
    return send_mass_mail(mails) if mails else 0
