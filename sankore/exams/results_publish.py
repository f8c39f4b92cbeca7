"""After the jury: the certificate for each candidate who passed, and an email to each
candidate with a result, in their language. Run by the worker, and safe to run again: a
certificate is issued once per holder, session and kind (the credentials app's constraint),
and a candidate is emailed once (``ExamResult.notified_at`` is claimed before sending).

A certificate that cannot be issued (no printed name in the profile, the learner no longer
enrolled) stops nobody else's; the results page shows it to the team, who may try again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_stubs_ext import StrOrPromise

from sankore.accounts.language import supported_language
from sankore.accounts.models import User
from sankore.credentials.models import Credential, CredentialKind, IssueBasis
from sankore.credentials.services import CredentialError, credential_issue
from sankore.exams.models import ExamResult, ExamSitting, RegistrationStatus

logger = logging.getLogger(__name__)


@dataclass
class PublishReport:
    issued: int = 0
    already: int = 0
    notified: int = 0
    problems: dict[int, StrOrPromise] = field(default_factory=dict)  # registration → why not

    def as_dict(self) -> dict[str, object]:
        return {
            "issued": self.issued,
            "already": self.already,
            "notified": self.notified,
            "problems": {str(k): str(v) for k, v in self.problems.items()},
        }


def _results_of(sitting: ExamSitting) -> QuerySet[ExamResult]:
    return (
        ExamResult.objects.filter(
            sitting=sitting, registration__status=RegistrationStatus.CONFIRMED
        )
        .select_related("registration__learner")
        .order_by("registration__seat_number")
    )


def results_publish(*, sitting_id: int, by_id: int | None) -> PublishReport:
    report = PublishReport()
    sitting = (
        ExamSitting.objects.select_related("course_run__course", "centre__institution")
        .filter(pk=sitting_id)
        .first()
    )
    if sitting is None or sitting.results_validated_at is None:
        return report
    issuer = User.objects.filter(pk=by_id).first() if by_id is not None else None
    certificates: dict[int, Credential] = {}
    for result in _results_of(sitting).filter(passed=True):
        holder = result.registration.learner
        try:
            credential, created = credential_issue(
                holder=holder, course_run=sitting.course_run, kind=CredentialKind.CERTIFICATE,
                basis=IssueBasis.EXAM, issued_by=issuer, make_document=True,
            )  # fmt: skip
        except CredentialError as refused:
            # Recorded for this run's report; the page works it out again from the data.
            report.problems[result.registration_id] = refused.message
            logger.info("certificate not issued for registration %s: %s", result.registration_id,
                        refused.code)  # fmt: skip
            continue
        certificates[holder.pk] = credential
        if created:
            report.issued += 1
        else:
            report.already += 1
    for result in _results_of(sitting).filter(notified_at__isnull=True):
        certificate = certificates.get(result.registration.learner_id)
        problem = report.problems.get(result.registration_id)
        if _notify(sitting=sitting, result=result, certificate=certificate, problem=problem):
            report.notified += 1
    return report


def _notify(
    *,
    sitting: ExamSitting,
    result: ExamResult,
    certificate: Credential | None,
    problem: StrOrPromise | None,
) -> bool:
    """Email one candidate, once: the result is claimed first, so a second worker (or a
    retried task) finds it taken; the claim is given back if the email could not leave."""
    claimed = ExamResult.objects.filter(pk=result.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        _email(sitting=sitting, result=result, certificate=certificate, problem=problem).send()
    except Exception:
        ExamResult.objects.filter(pk=result.pk).update(notified_at=None)
        raise
    return True


def _email(
    *,
    sitting: ExamSitting,
    result: ExamResult,
    certificate: Credential | None,
    problem: StrOrPromise | None,
) -> EmailMultiAlternatives:
    learner = result.registration.learner
    with translation.override(supported_language(learner.preferred_language)):
        with timezone.override(sitting.centre.zone):
            day = formats.date_format(timezone.localtime(sitting.starts_at), "DATE_FORMAT")
        context = {
            "learner": learner,
            "sitting": sitting,
            "course": sitting.course_run.course,
            "centre": sitting.centre.institution.name,
            "day": day,
            "result": result,
            "certificate": certificate,
            "problem": str(problem) if problem is not None else "",
            "credentials_url": settings.SITE_URL + reverse("credentials:mine"),
            "exams_url": settings.SITE_URL + reverse("exams:mine"),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("exams/results/email_subject.txt", context)
        text = render_to_string("exams/results/email.txt", context)
        html = render_to_string("exams/results/email.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[learner.email]
    )
    message.attach_alternative(html, "text/html")
    return message
