"""What a security review of the credentials found, each with the test that failed before."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.credentials import badges, bulk, keys, services
from sankore.credentials.models import (
    BulkIssue,
    BulkStatus,
    Credential,
    CredentialDocument,
    CredentialStatus,
)
from sankore.credentials.services import CredentialError
from sankore.credentials.tests.conftest import Session

pytestmark = pytest.mark.django_db


def _issued(session: Session, **fields: str) -> Credential:
    learner = session.learner(**fields)
    session.answer(learner, "42")
    services.attestations_issue_for_passed(course_run_id=session.run.pk, make_documents=False)
    credential = Credential.objects.get(holder=learner)
    services.credential_document_make(credential_id=credential.pk)
    return credential


def test_a_learner_without_a_printed_name_never_gets_their_email_printed(
    session: Session,
) -> None:
    learner = session.learner(full_name="", certificate_name="")
    session.answer(learner, "42")

    report = services.attestations_issue_for_passed(course_run_id=session.run.pk)

    assert (report.issued, report.failed) == (0, 1)
    assert not Credential.objects.exists()
    with pytest.raises(CredentialError) as refused:
        services.credential_issue(
            holder=learner, course_run=session.run, kind="attestation", basis="note"
        )
    assert refused.value.code == "no_printed_name"


def test_tutors_do_not_certify_nor_read_learners_files(client: Client, session: Session) -> None:
    credential = _issued(session)
    tutor = UserFactory()
    course_team_member_set(course=session.run.course, user=tutor, role=CourseTeamRole.TUTOR)
    client.force_login(tutor)
    run = session.run.pk

    revoke = client.post(
        reverse("studio:credential", args=[run, credential.identifier]), {"reason": "x"}
    )
    listing = client.get(reverse("studio:credentials", args=[run]))
    pdf = client.get(reverse("credentials:document", args=[credential.identifier]))

    assert (revoke.status_code, listing.status_code, pdf.status_code) == (403, 403, 404)
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.VALID


def test_a_lost_file_is_a_404_and_is_made_again(
    client: Client, session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    credential = _issued(session)
    lost = CredentialDocument.objects.get(credential=credential)
    lost.file.storage.delete(lost.file.name)
    client.force_login(credential.holder)  # type: ignore[arg-type]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("credentials:document", args=[credential.identifier]))
    head = client.head(reverse("credentials:document", args=[credential.identifier]))

    assert response.status_code == 404
    current = CredentialDocument.objects.get(credential=credential, superseded_at__isnull=True)
    assert current.pk != lost.pk
    assert head.status_code == 200
    other = client.get(
        reverse("credentials:document", args=[credential.identifier]), {"langue": "zz"}
    )
    assert other.status_code == 200  # an unknown language: the holder's document


def test_a_huge_upload_is_refused_before_it_is_read(client: Client) -> None:
    response = client.post(
        reverse("credentials:verify_document"),
        data=b"x",
        content_type="multipart/form-data; boundary=zz",
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "trop lourd" in response.content.decode()
    small = client.post(reverse("credentials:verify_document"), {"sha256": "x"})
    assert small.status_code == 400  # a form without a file: the form says so


def test_a_failing_batch_still_ends_the_job(
    certifying_session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    learners = [certifying_session.learner() for _ in range(2)]
    for learner in learners:
        certifying_session.answer(learner, "42")
    job = bulk.bulk_issue_request(
        course_run=certifying_session.run, kind="certificat", requested_by=UserFactory()
    )
    bulk.bulk_issue_run(job_id=job.pk)  # the batches are queued on commit: not run here
    learners[0].delete()  # between the listing and the batch

    bulk.bulk_batch_run(job_id=job.pk, ids=[learner.pk for learner in learners])

    job.refresh_from_db()
    assert (job.status, job.processed, job.issued, job.failed) == (BulkStatus.DONE, 2, 1, 1)


def test_one_bulk_job_at_a_time_even_from_two_clicks(certifying_session: Session) -> None:
    teacher = UserFactory()
    bulk.bulk_issue_request(
        course_run=certifying_session.run, kind="certificat", requested_by=teacher
    )
    with pytest.raises(CredentialError):
        bulk.bulk_issue_request(
            course_run=certifying_session.run, kind="certificat", requested_by=teacher
        )
    # A job whose worker died long ago no longer blocks.
    BulkIssue.objects.update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    bulk.bulk_issue_request(
        course_run=certifying_session.run, kind="certificat", requested_by=teacher
    )
    assert sorted(BulkIssue.objects.values_list("status", flat=True)) == ["failed", "queued"]


def test_a_revoked_credential_gets_no_new_document(session: Session) -> None:
    credential = _issued(session)
    services.credential_revoke(credential=credential, reason="Fraude", revoked_by=UserFactory())

    with pytest.raises(CredentialError) as refused:
        services.credential_regenerate(credential=credential, actor=UserFactory())
    assert refused.value.code == "revoked"


def test_the_certificate_form_tells_nothing_of_accounts_outside_the_session(
    client: Client, certifying_session: Session
) -> None:
    teacher = UserFactory()
    course_team_member_set(
        course=certifying_session.run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR
    )
    client.force_login(teacher)
    elsewhere = UserFactory()

    response = client.post(
        reverse("studio:certificate_issue", args=[certifying_session.run.pk]),
        {"email": elsewhere.email},
        follow=True,
    )

    assert "Aucun apprenant de la session n’a cette adresse." in response.content.decode()
    assert not Credential.objects.exists()


def test_after_a_leak_the_genuine_badges_are_signed_again(session: Session) -> None:
    credential = _issued(session)
    old = keys.signing_key()
    keys.key_rotate()
    (keys._directory() / f"{old.kid}.pem").unlink()  # the leaked key leaves the DID document
    assert not badges.badge_verify(credential.badge)

    out = StringIO()
    call_command("credentials_resign", kid=old.kid, stdout=out)

    credential.refresh_from_db()
    assert "1 badge(s)" in out.getvalue()
    assert badges.badge_verify(credential.badge)
    assert credential.badge["proof"]["verificationMethod"].endswith("#key-2")
