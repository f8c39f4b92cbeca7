"""The public verification, the holder's page and files, the issuer's public documents, the
course team's pages: who sees what, and what a stranger can learn."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sankore.accounts.models import User
from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.credentials import badges, document_templates, openbadges, services
from sankore.credentials.models import (
    BulkIssue,
    Credential,
    CredentialDocument,
    CredentialStatus,
    DocumentTemplate,
)
from sankore.credentials.tests.conftest import Session

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> None:
    client.force_login(user)


@pytest.fixture
def issued(session: Session, django_capture_on_commit_callbacks) -> Credential:  # type: ignore[no-untyped-def]
    learner = session.learner(full_name="Jean-Baptiste Mukendi")
    with django_capture_on_commit_callbacks(execute=True):
        session.answer(learner, "42")
    return Credential.objects.get()


def _document(credential: Credential) -> CredentialDocument:
    return CredentialDocument.objects.get(credential=credential, superseded_at__isnull=True)


# --- Public verification ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_verification_page_shows_the_public_fields(
    client: Client, issued: Credential, language: str
) -> None:
    response = client.get(issued.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Jean-Baptiste Mukendi" in page
    assert "Gestion durable de l&#x27;eau au Sahel" in page
    assert issued.institution_names[0] in page
    assert ("Valide" if language == "fr" else "Valid") in page
    assert issued.holder.email not in page  # type: ignore[union-attr]
    assert "sha256" not in page.lower()


def test_a_revoked_credential_says_so_with_reason_and_date(
    client: Client, issued: Credential
) -> None:
    services.credential_revoke(
        credential=issued, reason="Fraude à l'examen", revoked_by=UserFactory()
    )

    page = client.get(issued.get_absolute_url()).content.decode()

    assert "Révoquée" in page
    assert "Fraude à l&#x27;examen" in page


@pytest.mark.parametrize("identifier", ["0000000000000000", "trop-court", "AAAAAAAAAAAAAAAU"])
def test_unknown_or_malformed_identifiers_are_404(client: Client, identifier: str) -> None:
    assert client.get(f"/verifier/{identifier}/").status_code == 404


def test_a_typed_identifier_finds_the_page(client: Client, issued: Credential) -> None:
    typed = "-".join(issued.identifier[i : i + 4] for i in range(0, 16, 4)).lower()

    response = client.get(reverse("credentials:verify_home"), {"identifier": typed})
    assert response.status_code == 302
    assert response["Location"] == issued.get_absolute_url()

    bad = client.get(reverse("credentials:verify_home"), {"identifier": "ABC"})
    assert bad.status_code == 200
    assert "16 lettres et chiffres" in bad.content.decode()


def test_the_verification_page_is_light_and_reads_little(
    client: Client, issued: Credential
) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(issued.get_absolute_url())
    static = Path(settings.BASE_DIR) / "sankore" / "static"
    linked = [static / "css" / "sankore.css"]
    total = len(gzip.compress(response.content)) + sum(
        len(gzip.compress(path.read_bytes())) for path in linked
    )
    assert total <= 50 * 1024
    assert not re.search(rb"<script", response.content)  # nothing to run to read the verdict
    assert len(queries) <= 3


def test_a_dropped_pdf_is_recognised_by_its_hash(client: Client, issued: Credential) -> None:
    document = _document(issued)
    pdf = document.file.read()

    uploaded = client.post(
        reverse("credentials:verify_document"),
        {"document": SimpleUploadedFile("a.pdf", pdf, content_type="application/pdf")},
    )
    hashed = client.get(reverse("credentials:verify_document"), {"sha256": document.sha256})

    for response in (uploaded, hashed):
        assert response.status_code == 200
        assert "Fichier authentique" in response.content.decode()
        assert "Jean-Baptiste Mukendi" in response.content.decode()


def test_a_changed_pdf_is_not_recognised(client: Client, issued: Credential) -> None:
    pdf = bytearray(_document(issued).file.read())
    pdf[-10] ^= 1

    response = client.post(
        reverse("credentials:verify_document"),
        {"document": SimpleUploadedFile("a.pdf", bytes(pdf), content_type="application/pdf")},
    )

    assert response.status_code == 200
    assert "Aucun document ne correspond" in response.content.decode()
    assert hashlib.sha256(bytes(pdf)).hexdigest() in response.content.decode()


def test_a_superseded_pdf_still_verifies_as_superseded(
    client: Client, issued: Credential, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    old = _document(issued)
    document_templates.document_template_changed(
        template=DocumentTemplate.objects.create(
            institution=issued.course_run.course.owners.get(), accent_colour="#7a1f1f"
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.credential_regenerate(credential=issued, actor=UserFactory())

    page = client.get(
        reverse("credentials:verify_document"), {"sha256": old.sha256}
    ).content.decode()

    assert "remplacé" in page


def test_a_malformed_hash_goes_back_to_the_form(client: Client) -> None:
    response = client.get(reverse("credentials:verify_document"), {"sha256": "zz"})
    assert response.status_code == 302


# --- The holder's page and files -------------------------------------------------------------


def test_the_holder_lists_and_downloads_their_credentials(
    client: Client, issued: Credential
) -> None:
    _login(client, issued.holder)  # type: ignore[arg-type]

    page = client.get(reverse("credentials:mine"))
    pdf = client.get(reverse("credentials:document", args=[issued.identifier]))
    badge = client.get(reverse("credentials:badge", args=[issued.identifier]))

    text = page.content.decode()
    assert "Gestion durable de l&#x27;eau au Sahel" in text
    assert "linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in text
    assert issued.get_absolute_url() in text
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert badge.status_code == 200
    assert badges.badge_verify(badge.json())


def test_another_learner_never_gets_the_files(client: Client, issued: Credential) -> None:
    _login(client, UserFactory())

    assert client.get(reverse("credentials:document", args=[issued.identifier])).status_code == 404
    assert client.get(reverse("credentials:badge", args=[issued.identifier])).status_code == 404
    assert issued.identifier not in client.get(reverse("credentials:mine")).content.decode()


def test_files_need_a_login(client: Client, issued: Credential) -> None:
    response = client.get(reverse("credentials:document", args=[issued.identifier]))
    assert response.status_code == 302
    assert "/comptes/" in response["Location"]


def test_the_list_reads_a_fixed_number_of_queries(
    client: Client, session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    learner = session.learner()
    with django_capture_on_commit_callbacks(execute=True):
        session.answer(learner, "42")
    _login(client, learner)
    client.get(reverse("credentials:mine"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("credentials:mine"))
    for _ in range(3):
        other = Session()
        other.run.enrolments.create(user=learner)
        with django_capture_on_commit_callbacks(execute=True):
            other.answer(learner, "42")
    assert Credential.objects.filter(holder=learner).count() == 4
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("credentials:mine"))
    assert len(four) == len(one)


# --- Issuer's public documents -------------------------------------------------------------


def test_the_did_document_publishes_the_signing_key(client: Client, issued: Credential) -> None:
    response = client.get("/.well-known/did.json")

    assert response.status_code == 200
    document = response.json()
    assert document["id"] == badges.issuer_did()
    method = issued.badge["proof"]["verificationMethod"]
    assert method in [entry["id"] for entry in document["verificationMethod"]]


def test_the_status_list_is_public_and_signed(client: Client, issued: Credential) -> None:
    services.credential_revoke(credential=issued, reason="Erreur", revoked_by=UserFactory())

    response = client.get(f"/credentials/status/{issued.status_list_number}")

    assert response.status_code == 200
    status_list = response.json()
    assert badges.badge_verify(status_list)
    assert openbadges.status_list_bit(
        status_list["credentialSubject"]["encodedList"], issued.status_index
    )
    assert client.get("/credentials/status/999").status_code == 404


# --- The course team's pages ---------------------------------------------------------------


def test_the_team_lists_filters_and_revokes(client: Client, issued: Credential) -> None:
    run = issued.course_run
    teacher = UserFactory()
    course_team_member_set(course=run.course, user=teacher, role=CourseTeamRole.STAFF)
    _login(client, teacher)

    listed = client.get(reverse("studio:credentials", args=[run.pk]), {"status": "valide"})
    empty = client.get(reverse("studio:credentials", args=[run.pk]), {"status": "revoquee"})
    refused = client.post(
        reverse("studio:credential", args=[run.pk, issued.identifier]), {"reason": ""}
    )
    issued.refresh_from_db()
    assert issued.status == CredentialStatus.VALID
    revoked = client.post(
        reverse("studio:credential", args=[run.pk, issued.identifier]),
        {"reason": "Identité usurpée"},
    )

    assert "Jean-Baptiste Mukendi" in listed.content.decode()
    assert "Jean-Baptiste Mukendi" not in empty.content.decode()
    assert refused.status_code == 200
    assert revoked.status_code == 302
    issued.refresh_from_db()
    assert (issued.status, issued.revoked_by) == (CredentialStatus.REVOKED, teacher)


def test_someone_outside_the_team_is_refused(client: Client, issued: Credential) -> None:
    _login(client, UserFactory())
    run = issued.course_run

    assert client.get(reverse("studio:credentials", args=[run.pk])).status_code == 403
    post = client.post(
        reverse("studio:credential", args=[run.pk, issued.identifier]), {"reason": "Je veux"}
    )
    assert post.status_code == 403
    issued.refresh_from_db()
    assert issued.status == CredentialStatus.VALID


def test_the_team_runs_a_bulk_job_and_follows_it(
    client: Client, certifying_session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    run = certifying_session.run
    for _ in range(2):
        certifying_session.answer(certifying_session.learner(), "42")
    teacher = UserFactory()
    course_team_member_set(course=run.course, user=teacher, role=CourseTeamRole.STAFF)
    _login(client, teacher)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("studio:credentials_bulk", args=[run.pk]), {"kind": "certificat"}
        )
    job = BulkIssue.objects.get()
    progress = client.get(response["Location"])
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")

    assert response["Location"] == reverse("studio:credential_job", args=[run.pk, job.pk])
    assert "2 sur 2 traités" in progress.content.decode()
    assert "2 fichiers PDF produits" in progress.content.decode()
    assert "hx-trigger" not in fragment.content.decode()  # finished: no more polling
    assert Credential.objects.filter(kind="certificat").count() == 2


def test_a_certificate_for_one_learner(client: Client, certifying_session: Session) -> None:
    run = certifying_session.run
    learner = certifying_session.learner()
    teacher = UserFactory()
    course_team_member_set(course=run.course, user=teacher, role=CourseTeamRole.STAFF)
    _login(client, teacher)

    unknown = client.post(
        reverse("studio:certificate_issue", args=[run.pk]), {"email": "x@example.org"}
    )
    assert unknown.status_code == 302
    assert not Credential.objects.exists()
    issued = client.post(
        reverse("studio:certificate_issue", args=[run.pk]), {"email": learner.email}
    )

    credential = Credential.objects.get()
    assert (credential.kind, credential.holder, credential.issued_by) == (
        "certificat",
        learner,
        teacher,
    )
    assert issued["Location"] == reverse("studio:credential", args=[run.pk, credential.identifier])


def test_the_api_tells_machines_what_the_page_says(client: Client, issued: Credential) -> None:
    services.credential_revoke(
        credential=issued, reason="Erreur de session", revoked_by=UserFactory()
    )
    dashed = "-".join(issued.identifier[i : i + 4] for i in range(0, 16, 4)).lower()

    response = client.get(f"/api/v1/credentials/{dashed}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert (body["identifier"], body["status"], body["status_label"]) == (
        issued.identifier, "revoquee", "Revoked",
    )  # fmt: skip
    assert body["holder_name"] == "Jean-Baptiste Mukendi"
    assert body["revocation_reason"] == "Erreur de session"
    assert body["identity_verified"] is False
    assert "email" not in str(body).lower()
    assert client.get("/api/v1/credentials/inconnu").json()["detail"]
    assert client.get("/api/v1/credentials/0000000000000000").status_code == 404


def test_the_team_chooses_to_print_the_grade(client: Client, session: Session) -> None:
    teacher = UserFactory()
    course_team_member_set(course=session.run.course, user=teacher, role=CourseTeamRole.STAFF)
    _login(client, teacher)

    response = client.post(
        reverse("studio:credential_settings", args=[session.run.pk]), {"print_grade": "on"}
    )
    learner = session.learner()
    session.answer(learner, "42")
    services.attestations_issue_for_passed(course_run_id=session.run.pk, make_documents=False)

    assert response.status_code == 302
    assert Credential.objects.get().grade_percent == 100
    outsider = Client()
    outsider.force_login(UserFactory())
    refused = outsider.post(reverse("studio:credential_settings", args=[session.run.pk]), {})
    assert refused.status_code == 403
    assert session.run.course.credential_settings.print_grade is True


def test_the_team_list_reads_a_fixed_number_of_queries(client: Client, session: Session) -> None:
    teacher = UserFactory()
    course_team_member_set(course=session.run.course, user=teacher, role=CourseTeamRole.STAFF)
    _login(client, teacher)
    url = reverse("studio:credentials", args=[session.run.pk])

    def issued(count: int) -> int:
        for _ in range(count):
            session.answer(session.learner(), "42")
        services.attestations_issue_for_passed(course_run_id=session.run.pk, make_documents=False)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert issued(1) == issued(5)


def test_the_holder_asks_for_the_other_language(
    client: Client, issued: Credential, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _login(client, issued.holder)  # type: ignore[arg-type]
    url = reverse("credentials:document_language", args=[issued.identifier])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"language": "en"})
    refused = client.post(url, {"language": "de"})
    _login(client, UserFactory())
    stranger = client.post(url, {"language": "en"})

    assert response.status_code == 302
    languages = sorted(
        CredentialDocument.objects.filter(credential=issued).values_list("language", flat=True)
    )
    assert languages == ["en", "fr"]
    assert refused.status_code == 302
    assert stranger.status_code == 404
    assert CredentialDocument.objects.filter(credential=issued).count() == 2


def test_documents_with_warnings_are_flagged_to_the_team(
    client: Client, issued: Credential
) -> None:
    teacher = UserFactory()
    course_team_member_set(course=issued.course_run.course, user=teacher, role=CourseTeamRole.STAFF)
    _login(client, teacher)
    page = client.get(reverse("studio:credentials", args=[issued.course_run.pk])).content.decode()
    # The factory's institution has no logo: the document was made with a placeholder.
    assert "avertissement" in page
    detail = client.get(
        reverse("studio:credential", args=[issued.course_run.pk, issued.identifier])
    )
    assert "Logo manquant" in detail.content.decode()
