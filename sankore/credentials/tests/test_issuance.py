"""Issuance rules: an attestation when the grade reaches the threshold (once), certificates
by the course team where the course offers them, revocation, new documents, bulk jobs."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile

from sankore.accounts.models import User
from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import services as assessments
from sankore.assessments.models import LearnerGrade
from sankore.credentials import badges, bulk, document_templates, openbadges, services
from sankore.credentials.models import (
    BulkIssue,
    BulkStatus,
    CourseCredentialSettings,
    Credential,
    CredentialDocument,
    CredentialEvent,
    CredentialStatus,
    DocumentTemplate,
    EventAction,
    IssueBasis,
    StatusList,
)
from sankore.credentials.services import CredentialError
from sankore.credentials.tests.conftest import Session

pytestmark = pytest.mark.django_db


def _passes(session: Session, learner: User) -> None:
    """The learner passes; their attestation is issued as the worker would (no document)."""
    session.answer(learner, "42")
    services.attestations_issue_for_passed(
        course_run_id=session.run.pk, user_ids=[learner.pk], make_documents=False
    )


def test_an_attestation_is_issued_when_the_grade_reaches_the_threshold(
    session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    learner = session.learner(full_name="Aïssatou Diop", certificate_name="Aïssatou N. Diop")
    with django_capture_on_commit_callbacks(execute=True):
        session.answer(learner, "41")
    assert not Credential.objects.exists()  # 0 % is below 50 %

    with django_capture_on_commit_callbacks(execute=True):
        session.answer(learner, "42")

    credential = Credential.objects.get()
    assert (credential.holder, credential.kind, credential.basis) == (
        learner, "attestation", IssueBasis.GRADE,
    )  # fmt: skip
    assert credential.holder_name == "Aïssatou N. Diop"
    assert credential.course_title == "Gestion durable de l'eau au Sahel"
    assert credential.status == CredentialStatus.VALID
    assert len(credential.identifier) == 16
    assert services.identifier_normalise(credential.identifier.lower()) == credential.identifier
    document = CredentialDocument.objects.get(credential=credential)
    stored = document.file.read()
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    assert document.size == len(stored)
    assert list(credential.events.values_list("action", flat=True)) == [
        EventAction.ISSUED, EventAction.DOCUMENT,
    ]  # fmt: skip
    assert badges.badge_verify(credential.badge)
    assert credential.badge["credentialStatus"]["statusListIndex"] == str(credential.status_index)
    assert 0 <= credential.status_index < badges.STATUS_LIST_SIZE
    assert credential.status_list_number == 1


def test_answering_again_after_passing_issues_nothing_more(
    session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    learner = session.learner()
    with django_capture_on_commit_callbacks(execute=True):
        session.answer(learner, "42")
        session.answer(learner, "42")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        session.answer(learner, "42")

    assert Credential.objects.count() == 1
    assert CredentialDocument.objects.count() == 1
    assert callbacks == []  # not even a task: the learner did not pass for the first time


def test_running_the_issuing_task_twice_issues_once(session: Session) -> None:
    learners = [session.learner() for _ in range(3)]
    for learner in learners[:2]:
        session.answer(learner, "42")
    session.answer(learners[2], "1")

    first = services.attestations_issue_for_passed(course_run_id=session.run.pk)
    second = services.attestations_issue_for_passed(course_run_id=session.run.pk)

    assert (first.issued, second.issued) == (2, 0)
    assert set(Credential.objects.values_list("holder_id", flat=True)) == {
        learners[0].pk, learners[1].pk,
    }  # fmt: skip


def test_no_attestation_where_the_course_offers_none(session: Session) -> None:
    course = session.run.course
    course.offers_attestation = False
    course.save()
    learner = session.learner()
    session.answer(learner, "42")

    report = services.attestations_issue_for_passed(course_run_id=session.run.pk)

    assert report.issued == 0
    assert not Credential.objects.exists()
    with pytest.raises(CredentialError) as refused:
        services.credential_issue(
            holder=learner, course_run=session.run, kind="attestation", basis=IssueBasis.GRADE
        )
    assert refused.value.code == "not_offered"
    assert not Credential.objects.exists()


def test_a_learner_below_the_threshold_is_refused(session: Session) -> None:
    learner = session.learner()
    session.answer(learner, "7")

    with pytest.raises(CredentialError) as refused:
        services.credential_issue(
            holder=learner, course_run=session.run, kind="attestation", basis=IssueBasis.GRADE
        )

    assert refused.value.code == "not_passed"
    assert not Credential.objects.exists()
    assert not StatusList.objects.exists()


def test_a_revoked_attestation_is_not_issued_again(session: Session) -> None:
    learner = session.learner()
    _passes(session, learner)
    credential = Credential.objects.get()
    services.credential_revoke(credential=credential, reason="Plagiat avéré", revoked_by=learner)

    again, created = services.credential_issue(
        holder=learner, course_run=session.run, kind="attestation", basis=IssueBasis.GRADE
    )
    report = services.attestations_issue_for_passed(course_run_id=session.run.pk)

    assert (again.pk, created, report.issued) == (credential.pk, False, 0)
    assert Credential.objects.get().status == CredentialStatus.REVOKED


def test_a_grade_override_that_passes_issues_the_attestation(
    session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    learner = session.learner()
    teacher = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assessments.grade_override(
            user=learner, course_run=session.run, percent=80, reason="Oral de rattrapage",
            changed_by=teacher,
        )  # fmt: skip
    assert Credential.objects.get().holder == learner


def test_a_new_barème_that_makes_learners_pass_issues_their_attestations(
    session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    learner = session.learner()
    session.answer(learner, "42")
    Credential.objects.all().delete()
    LearnerGrade.objects.update(passed=False, passed_at=None)  # as if the threshold was higher
    with django_capture_on_commit_callbacks(execute=True):
        assessments.grading_policy_set(
            course_run=session.run, passing_percent=40,
            types=[assessments.TypeLine("Quiz", 100)],
        )  # fmt: skip
    assert Credential.objects.get().holder == learner


# --- Certificates -------------------------------------------------------------------------


def test_the_course_team_issues_a_certificate_with_its_ects(
    certifying_session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    learner = certifying_session.learner()
    teacher = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        credential, created = services.credential_issue(
            holder=learner, course_run=certifying_session.run, kind="certificat",
            basis=IssueBasis.TEAM, issued_by=teacher,
        )  # fmt: skip
    assert created
    assert (credential.ects_credits, credential.issued_by) == (3, teacher)
    assert credential.badge["credentialSubject"]["achievement"]["creditsAvailable"] == 3
    assert CredentialDocument.objects.filter(credential=credential).count() == 1


def test_no_certificate_where_the_course_offers_none(session: Session) -> None:
    learner = session.learner()
    with pytest.raises(CredentialError) as refused:
        services.credential_issue(
            holder=learner, course_run=session.run, kind="certificat", basis=IssueBasis.TEAM
        )
    assert refused.value.code == "not_offered"
    assert not Credential.objects.exists()


def test_a_certificate_needs_an_enrolled_learner(certifying_session: Session) -> None:
    stranger = UserFactory()
    with pytest.raises(CredentialError) as refused:
        services.credential_issue(
            holder=stranger, course_run=certifying_session.run, kind="certificat",
            basis=IssueBasis.TEAM,
        )  # fmt: skip
    assert refused.value.code == "not_enrolled"
    assert not Credential.objects.exists()


# --- Revocation and new documents -----------------------------------------------------------


def test_revocation_needs_a_reason_and_changes_nothing_without(session: Session) -> None:
    learner = session.learner()
    _passes(session, learner)
    credential = Credential.objects.get()
    version = StatusList.objects.get().version

    with pytest.raises(CredentialError) as refused:
        services.credential_revoke(credential=credential, reason="  ", revoked_by=learner)

    assert refused.value.code == "reason_required"
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.VALID
    assert StatusList.objects.get().version == version
    assert not CredentialEvent.objects.filter(action=EventAction.REVOCATION).exists()


def test_revocation_flips_the_bit_of_the_published_status_list(session: Session) -> None:
    learners = [session.learner() for _ in range(2)]
    for learner in learners:
        _passes(session, learner)
    revoked, kept = Credential.objects.order_by("pk")
    staff = UserFactory()
    before = badges.status_list_signed(number=revoked.status_list_number)

    services.credential_revoke(credential=revoked, reason="Erreur d'identité", revoked_by=staff)

    after = badges.status_list_signed(number=revoked.status_list_number)
    assert before is not None
    assert after is not None
    encoded_before = before["credentialSubject"]["encodedList"]
    encoded_after = after["credentialSubject"]["encodedList"]
    assert not openbadges.status_list_bit(encoded_before, revoked.status_index)
    assert openbadges.status_list_bit(encoded_after, revoked.status_index)
    assert not openbadges.status_list_bit(encoded_after, kept.status_index)
    assert badges.badge_verify(after)
    revoked.refresh_from_db()
    assert (revoked.status, revoked.revocation_reason, revoked.revoked_by) == (
        CredentialStatus.REVOKED, "Erreur d'identité", staff,
    )  # fmt: skip
    event = revoked.events.get(action=EventAction.REVOCATION)
    assert (event.actor, event.reason) == (staff, "Erreur d'identité")
    with pytest.raises(CredentialError) as twice:
        services.credential_revoke(credential=revoked, reason="Encore", revoked_by=staff)
    assert twice.value.code == "already_revoked"


def test_a_new_document_supersedes_the_old_one(
    session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    learner = session.learner()
    _passes(session, learner)
    credential = Credential.objects.get()
    old = services.credential_document_make(credential_id=credential.pk)
    assert old is not None
    template = DocumentTemplate.objects.create(
        institution=session.run.course.owners.get(), accent_colour="#7a1f1f"
    )
    document_templates.document_template_changed(template=template)

    with django_capture_on_commit_callbacks(execute=True):
        services.credential_regenerate(credential=credential, actor=learner)

    old.refresh_from_db()
    new = CredentialDocument.objects.get(credential=credential, superseded_at__isnull=True)
    assert old.superseded_at is not None
    assert new.pk != old.pk
    assert new.sha256 != old.sha256
    assert new.template_version == 2
    assert CredentialDocument.objects.filter(sha256=old.sha256).exists()  # still verifiable


def test_missing_logo_and_signature_give_a_document_and_warnings(session: Session) -> None:
    from sankore.credentials.models import Signatory

    learner = session.learner()
    _passes(session, learner)
    owner = session.run.course.owners.get()
    owner.logo.name = "institutions/logos/absent.png"  # set, but the file is gone
    owner.save()
    Signatory.objects.create(institution=owner, name="Awa Ndiaye", title_fr="Rectrice")

    document = services.credential_document_make(credential_id=Credential.objects.get().pk)

    assert document is not None
    assert document.file.read().startswith(b"%PDF")
    joined = " ".join(document.warnings)
    assert owner.name in joined
    assert "Awa Ndiaye" in joined


def test_the_grade_is_printed_only_where_the_course_shows_it(session: Session) -> None:
    shown, hidden = session.learner(), session.learner()
    _passes(session, hidden)
    CourseCredentialSettings.objects.create(course=session.run.course, print_grade=True)
    _passes(session, shown)

    by_holder = {c.holder_id: c.grade_percent for c in Credential.objects.all()}
    assert by_holder == {hidden.pk: None, shown.pk: 100}


# --- Bulk ---------------------------------------------------------------------------------


def test_bulk_issue_of_certificates_for_a_session(
    certifying_session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    passed = [certifying_session.learner() for _ in range(3)]
    failed = certifying_session.learner()
    for learner in passed:
        certifying_session.answer(learner, "42")
    certifying_session.answer(failed, "0")
    teacher = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        job = bulk.bulk_issue_request(
            course_run=certifying_session.run, kind="certificat", requested_by=teacher
        )
    job.refresh_from_db()

    assert (job.status, job.total, job.issued, job.documents, job.failed) == (
        BulkStatus.DONE, 3, 3, 3, 0,
    )  # fmt: skip
    certificates = Credential.objects.filter(kind="certificat")
    assert set(certificates.values_list("holder_id", flat=True)) == {p.pk for p in passed}
    assert CredentialDocument.objects.filter(credential__in=certificates).count() == 3


def test_a_second_bulk_job_waits_for_the_first(certifying_session: Session) -> None:
    teacher = UserFactory()
    bulk.bulk_issue_request(
        course_run=certifying_session.run, kind="certificat", requested_by=teacher
    )
    with pytest.raises(CredentialError) as refused:
        bulk.bulk_issue_request(
            course_run=certifying_session.run, kind="certificat", requested_by=teacher
        )
    assert refused.value.code == "running"
    assert BulkIssue.objects.count() == 1


def test_bulk_regeneration_makes_new_documents(
    session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            session.answer(session.learner(), "42")
    old = set(CredentialDocument.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        job = bulk.bulk_issue_request(
            course_run=session.run, kind="attestation", requested_by=UserFactory(),
            regenerate=True,
        )  # fmt: skip
    job.refresh_from_db()

    assert (job.status, job.total, job.documents) == (BulkStatus.DONE, 2, 2)
    current = CredentialDocument.objects.filter(superseded_at__isnull=True)
    assert current.count() == 2
    assert not set(current.values_list("pk", flat=True)) & old


def test_a_signature_image_is_read_from_storage(session: Session) -> None:
    from sankore.courseware.tests.factories import small_png
    from sankore.credentials.models import Signatory

    learner = session.learner()
    _passes(session, learner)
    owner = session.run.course.owners.get()
    signatory = Signatory(institution=owner, name="Awa Ndiaye", title_fr="Rectrice")
    signatory.signature.save("awa.png", ContentFile(small_png()), save=True)

    document = services.credential_document_make(credential_id=Credential.objects.get().pk)

    assert document is not None
    assert not [w for w in document.warnings if "Awa Ndiaye" in w]


def test_the_catch_up_command_issues_what_is_due(session: Session) -> None:
    from io import StringIO

    from django.core.management import call_command

    learner, other = session.learner(), session.learner()
    session.answer(learner, "42")  # the worker never ran: no attestation yet
    session.answer(other, "3")
    assert services.runs_with_pending_attestations() == [session.run.pk]
    out = StringIO()

    call_command("credentials_issue_pending", stdout=out)

    assert "1 attestation(s)" in out.getvalue()
    assert list(Credential.objects.values_list("holder_id", flat=True)) == [learner.pk]
    assert services.runs_with_pending_attestations() == []


def test_status_bits_are_drawn_at_random_and_never_shared(session: Session) -> None:
    learners = [session.learner() for _ in range(12)]
    for learner in learners:
        _passes(session, learner)

    bits = list(Credential.objects.order_by("pk").values_list("status_list_number", "status_index"))

    assert len(set(bits)) == 12
    indexes = [index for _number, index in bits]
    assert indexes != sorted(indexes)  # not in issue order (one chance in 12! to fail)
