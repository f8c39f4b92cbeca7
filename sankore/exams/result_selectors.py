"""Reads of the results page: the confirmed candidates with their result, the counts, and
after the jury, where each passed candidate's certificate stands."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from sankore.accounts.models import User
from sankore.credentials.models import Credential, CredentialKind
from sankore.exams.models import ExamRegistration, ExamResult, ExamSitting, RegistrationStatus
from sankore.learning.models import Enrolment


@dataclass
class CandidateRow:
    registration: ExamRegistration
    result: ExamResult | None
    certificate: Credential | None = None
    certificate_problem: str = ""


@dataclass(frozen=True)
class ResultCounts:
    candidates: int
    present: int
    entered: int
    passed: int
    absent: int

    @property
    def missing(self) -> int:
        return self.candidates - self.entered


def result_of(registration: ExamRegistration) -> ExamResult | None:
    """The registration's result, without a query when ``result`` was selected with it."""
    try:
        return registration.result
    except ExamResult.DoesNotExist:
        return None


def candidates_with_results(*, sitting: ExamSitting) -> list[CandidateRow]:
    """The sitting's confirmed candidates by seat, each with their result (one query), and
    once validated their certificate or why there is none yet (two more)."""
    registrations = (
        ExamRegistration.objects.filter(sitting=sitting, status=RegistrationStatus.CONFIRMED)
        .select_related("learner", "result")
        .order_by("seat_number")
    )
    rows = [CandidateRow(r, result_of(r)) for r in registrations]
    if sitting.results_validated_at is None:
        return rows
    passed = [row for row in rows if row.result is not None and row.result.passed]
    holder_ids = [row.registration.learner_id for row in passed]
    certificates = {
        credential.holder_id: credential
        for credential in Credential.objects.filter(
            course_run_id=sitting.course_run_id, kind=CredentialKind.CERTIFICATE,
            holder_id__in=holder_ids,
        )
    }  # fmt: skip
    enrolled = set(
        Enrolment.objects.filter(
            course_run_id=sitting.course_run_id, user_id__in=holder_ids, is_active=True
        ).values_list("user_id", flat=True)
    )
    for row in passed:
        learner = row.registration.learner
        row.certificate = certificates.get(learner.pk)
        if row.certificate is not None:
            continue
        # The same reasons the credentials app refuses for, read from the data now: what
        # the team sees is what stands today, not what stood when the worker ran.
        if not learner.printed_name.strip():
            row.certificate_problem = gettext("nom à imprimer manquant dans le profil")
        elif learner.pk not in enrolled:
            row.certificate_problem = gettext("n'est plus inscrit à la session")
        else:
            row.certificate_problem = gettext("en cours de délivrance")
    return rows


def result_counts(rows: list[CandidateRow]) -> ResultCounts:
    results = [row.result for row in rows if row.result is not None]
    return ResultCounts(
        candidates=len(rows),
        present=sum(1 for row in rows if row.registration.checked_in_at is not None),
        entered=len(results),
        passed=sum(1 for result in results if result.passed),
        absent=sum(1 for result in results if result.absent),
    )


def validated_results_of_learner(*, learner: User) -> dict[int, ExamResult]:
    """The learner's results the jury validated, by registration (one query): a result
    is not shown to its candidate before."""
    return {
        result.registration_id: result
        for result in ExamResult.objects.filter(
            registration__learner=learner, sitting__results_validated_at__isnull=False
        )
    }
