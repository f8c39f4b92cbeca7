"""After the jury: exactly the passed candidates get their certificate, every candidate
gets one email in their language, and running it again sends and issues nothing more."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from sankore.credentials.models import Credential, CredentialKind, IssueBasis
from sankore.exams import results
from sankore.exams.models import ExamResult
from sankore.exams.results_publish import results_publish
from sankore.exams.tests.result_helpers import AFTER_THE_EXAM, Exam, exam

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def keys_dir(settings: Any, tmp_path: Path) -> None:
    settings.CREDENTIALS_KEYS_DIR = tmp_path / "keys"  # issuer keys of the test only
    settings.SITE_URL = "https://sankore.example"


def _validated(given: Exam, scores: list[str], capture: Capture) -> None:
    results.results_enter(
        sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
        texts={r.pk: s for r, s in zip(given.candidates, scores, strict=True)},
    )  # fmt: skip
    with capture(execute=True):
        results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)


def test_validation_issues_the_passed_candidates_certificates_and_tells_everyone(
    django_capture_on_commit_callbacks: Capture, mailoutbox: list[mail.EmailMessage]
) -> None:
    given = exam(candidates=3)
    admitted, failed, absent = given.candidates

    _validated(given, ["14,5", "8", "ABS"], django_capture_on_commit_callbacks)

    certificate = Credential.objects.get()
    assert (certificate.holder, certificate.course_run, certificate.kind, certificate.basis) == (
        admitted.learner,
        given.run,
        CredentialKind.CERTIFICATE,
        IssueBasis.EXAM,
    )
    assert certificate.issued_by == given.team
    by_address = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_address) == sorted(r.learner.email for r in given.candidates)
    passed_mail = by_address[admitted.learner.email]
    assert passed_mail.subject == "Résultats de l’examen « Hydrologie du Sahel »"
    assert "Votre note : 14,5 sur 20." in passed_mail.body
    assert "Décision du jury : admis." in passed_mail.body
    assert "https://sankore.example/mes-attestations/" in passed_mail.body
    assert passed_mail.alternatives[0][1] == "text/html"  # type: ignore[attr-defined]
    failed_mail = by_address[failed.learner.email]
    assert "mes-attestations" not in failed_mail.body
    assert "Décision du jury : non admis (il fallait 10)." in failed_mail.body
    absent_mail = by_address[absent.learner.email]
    assert "Vous avez été noté absent à cet examen" in absent_mail.body
    assert ExamResult.objects.filter(notified_at__isnull=True).count() == 0


def test_running_the_publication_again_issues_and_sends_nothing_more(
    django_capture_on_commit_callbacks: Capture, mailoutbox: list[mail.EmailMessage]
) -> None:
    given = exam(candidates=2)
    _validated(given, ["15", "16"], django_capture_on_commit_callbacks)
    assert (Credential.objects.count(), len(mailoutbox)) == (2, 2)

    again = results_publish(sitting_id=given.sitting.pk, by_id=given.team.pk)

    assert (again.issued, again.already, again.notified) == (0, 2, 0)
    assert (Credential.objects.count(), len(mailoutbox)) == (2, 2)


def test_a_certificate_that_cannot_be_issued_stops_nobody_else(
    django_capture_on_commit_callbacks: Capture, mailoutbox: list[mail.EmailMessage]
) -> None:
    given = exam(candidates=0)
    (nameless,) = given.register(full_name="")
    (named,) = given.register()

    _validated(given, ["12", "13"], django_capture_on_commit_callbacks)

    assert list(Credential.objects.values_list("holder_id", flat=True)) == [named.learner_id]
    nameless_mail = next(m for m in mailoutbox if m.to == [nameless.learner.email])
    assert "Votre certificat n’a pas encore pu être délivré : Le nom à imprimer" in (
        nameless_mail.body
    )
    assert len(mailoutbox) == 2

    # The learner adds their name; the team tries again: the certificate, no second email.
    nameless.learner.full_name = "Aïssatou Diallo"
    nameless.learner.save(update_fields=["full_name"])
    with django_capture_on_commit_callbacks(execute=True):
        results.results_publish_retry(sitting=given.sitting, by=given.team)

    assert Credential.objects.filter(holder=nameless.learner).count() == 1
    assert len(mailoutbox) == 2


def test_nothing_is_published_for_a_sitting_not_validated(
    mailoutbox: list[mail.EmailMessage],
) -> None:
    given = exam(candidates=1)
    results.results_enter(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
                          texts={given.candidates[0].pk: "18"})  # fmt: skip

    report = results_publish(sitting_id=given.sitting.pk, by_id=given.team.pk)

    assert (report.issued, report.notified) == (0, 0)
    assert not Credential.objects.exists()
    assert mailoutbox == []
