"""Exactly one attestation per learner and session when the issuing task runs twice at once
(two workers, from two connections: PostgreSQL in CI, a file SQLite database too)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from sankore.credentials import services
from sankore.credentials.models import Credential, CredentialEvent, EventAction
from sankore.credentials.tests.conftest import Session

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_issuing_tasks_at_once_issue_one_attestation_each() -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database cannot be shared between threads")
    session = Session()
    learners = [session.learner() for _ in range(4)]
    for learner in learners:
        session.answer(learner, "42")
    # Committed answers already ran the (immediate) issuing task: start again from none, as
    # when two workers pick up the same work.
    Credential.objects.all().delete()
    barrier = threading.Barrier(3)
    reports: list[services.IssueReport] = []
    errors: list[BaseException] = []

    def issue() -> None:
        try:
            barrier.wait()
            reports.append(
                services.attestations_issue_for_passed(
                    course_run_id=session.run.pk, make_documents=False
                )
            )
        except BaseException as error:  # the assertion below shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(report.issued for report in reports) == 4
    assert sorted(Credential.objects.values_list("holder_id", flat=True)) == sorted(
        learner.pk for learner in learners
    )
    assert CredentialEvent.objects.filter(action=EventAction.ISSUED).count() == 4
