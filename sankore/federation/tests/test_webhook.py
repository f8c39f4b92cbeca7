"""The course-run synchronisation webhook: signed, fresh, never replayed, idempotent; every
refusal leaves the catalog (and the nonces) as they were."""

from __future__ import annotations

import datetime
import json
import time
import uuid
from typing import Any

import pytest
from django.test import Client

from sankore.catalog.models import Course, CourseRun
from sankore.catalog.tests.factories import CourseFactory
from sankore.federation.models import SyncNonce
from sankore.federation.signatures import signature_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/sync/course-runs"
LINK = "https://lms.example.org/courses/course-v1:UCAD+ECO101+2025_T1/info"
OLD, NEW = "ancien-secret-0123456789", "nouveau-secret-9876543210"


@pytest.fixture(autouse=True)
def _secrets(settings: Any) -> None:
    settings.SYNC_WEBHOOK_SECRETS = [NEW, OLD]
    settings.SYNC_WEBHOOK_LEGACY_SECRETS = []


def _body(**overrides: Any) -> dict[str, Any]:
    body = {
        "resource_link": LINK,
        "start": "2025-03-03T08:00:00Z",
        "end": "2025-04-14T23:00:00Z",
        "enrollment_start": "2025-02-01T00:00:00Z",
        "enrollment_end": "2025-03-10T00:00:00Z",
        "languages": ["fr"],
        "enrollment_count": 1234,
        "catalog_visibility": "course_and_search",
    }
    body.update(overrides)
    return body


def _post(
    client: Client, data: Any, *, secret: str = NEW, timestamp: int | None = None,
    nonce: str | None = None, raw: bytes | None = None,
) -> Any:  # fmt: skip
    raw = raw if raw is not None else json.dumps(data).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or uuid.uuid4().hex
    signature = signature_of(secret=secret, body=raw, timestamp=stamp, nonce=nonce)
    return client.post(
        URL, raw, content_type="application/json",
        headers={"Authorization": f"SIG-HMAC-SHA256 {signature}",
                 "X-Sankore-Timestamp": stamp, "X-Sankore-Nonce": nonce},
    )  # fmt: skip


def _state() -> list[tuple[Any, ...]]:
    return list(
        CourseRun.objects.order_by("pk").values_list(
            "resource_link", "start", "end", "enrolment_count", "is_published"
        )
    )


def test_a_signed_session_of_a_course_hosted_elsewhere_is_created(
    client: Client, external_course: Course
) -> None:
    response = _post(client, _body())

    assert response.status_code == 200
    run = CourseRun.objects.get(resource_link=LINK)
    assert response.json() == {
        "success": True, "session": run.pk, "created": True, "changed": [],
    }  # fmt: skip
    assert run.course == external_course
    assert run.start == datetime.datetime(2025, 3, 3, 8, tzinfo=datetime.UTC)
    assert run.enrolment_end == datetime.datetime(2025, 3, 10, tzinfo=datetime.UTC)
    assert run.enrolment_count == 1234
    assert run.is_published is True
    assert list(run.languages.values_list("code", flat=True)) == ["fr"]
    assert SyncNonce.objects.count() == 1


def test_the_same_body_twice_gives_the_same_state(client: Client, external_course: Course) -> None:
    assert _post(client, _body()).status_code == 200
    state = _state()

    response = _post(client, _body())

    assert response.status_code == 200
    assert response.json()["created"] is False
    assert response.json()["changed"] == []
    assert _state() == state
    assert CourseRun.objects.count() == 1


def test_an_update_changes_dates_count_languages_and_visibility(
    client: Client, external_course: Course, reference: dict[str, Any]
) -> None:
    _post(client, _body())

    response = _post(
        client,
        _body(end="2025-04-21T23:00:00Z", enrollment_count=2000, languages=["fr", "en"],
              catalog_visibility="hidden"),
    )  # fmt: skip

    assert response.status_code == 200
    assert response.json()["changed"] == ["end", "is_published", "languages", "enrolment_count"]
    run = CourseRun.objects.get(resource_link=LINK)
    assert run.end == datetime.datetime(2025, 4, 21, 23, tzinfo=datetime.UTC)
    assert run.enrolment_count == 2000
    assert run.is_published is False
    assert set(run.languages.values_list("code", flat=True)) == {"fr", "en"}
    assert set(external_course.languages.values_list("code", flat=True)) == {"fr", "en"}


def test_old_and_new_secrets_are_both_accepted_during_a_rotation(
    client: Client, external_course: Course
) -> None:
    assert _post(client, _body(), secret=OLD).status_code == 200
    assert _post(client, _body(enrollment_count=5), secret=NEW).status_code == 200
    assert CourseRun.objects.get().enrolment_count == 5


def test_a_bad_signature_is_refused_and_changes_nothing(
    client: Client, external_course: Course
) -> None:
    response = _post(client, _body(), secret="pas-le-bon-secret")

    assert response.status_code == 401
    assert response.json() == {"detail": "Signature invalide."}
    assert CourseRun.objects.count() == 0
    assert SyncNonce.objects.count() == 0


def test_a_body_changed_after_signing_is_refused(client: Client, external_course: Course) -> None:
    raw = json.dumps(_body()).encode()
    stamp, nonce = str(int(time.time())), uuid.uuid4().hex
    signature = signature_of(secret=NEW, body=raw, timestamp=stamp, nonce=nonce)
    response = client.post(
        URL, raw.replace(b"1234", b"9999"), content_type="application/json",
        headers={"Authorization": f"SIG-HMAC-SHA256 {signature}",
                 "X-Sankore-Timestamp": stamp, "X-Sankore-Nonce": nonce},
    )  # fmt: skip

    assert response.status_code == 401
    assert CourseRun.objects.count() == 0


def test_a_stale_timestamp_is_refused(client: Client, external_course: Course) -> None:
    response = _post(client, _body(), timestamp=int(time.time()) - 301)

    assert response.status_code == 401
    assert "Horodatage" in response.json()["detail"]
    assert CourseRun.objects.count() == 0
    assert SyncNonce.objects.count() == 0


def test_a_replayed_nonce_is_refused_with_409(client: Client, external_course: Course) -> None:
    nonce = uuid.uuid4().hex
    assert _post(client, _body(), nonce=nonce).status_code == 200
    state = _state()

    response = _post(client, _body(enrollment_count=1), nonce=nonce)

    assert response.status_code == 409
    assert response.json() == {"detail": "Requête déjà reçue (nonce réutilisé)."}
    assert _state() == state


def test_richie_s_plain_signature_is_refused_unless_its_secret_allows_legacy(
    client: Client, external_course: Course, settings: Any
) -> None:
    raw = json.dumps(_body()).encode()
    headers = {"Authorization": f"SIG-HMAC-SHA256 {signature_of(secret=OLD, body=raw)}"}

    refused = client.post(URL, raw, content_type="application/json", headers=headers)
    settings.SYNC_WEBHOOK_LEGACY_SECRETS = [OLD]
    accepted = client.post(URL, raw, content_type="application/json", headers=headers)

    assert refused.status_code == 401
    assert accepted.status_code == 200
    assert CourseRun.objects.count() == 1
    assert SyncNonce.objects.count() == 0


def test_an_unknown_course_is_404(client: Client, external_course: Course) -> None:
    response = _post(
        client, _body(resource_link="https://lms.example.org/courses/course-v1:X+Y+Z/info")
    )

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Aucun cours hébergé ailleurs ne correspond à cette session."
    }
    assert CourseRun.objects.count() == 0
    assert SyncNonce.objects.count() == 0


def test_a_course_hosted_on_sankore_is_never_synchronised(
    client: Client, reference: dict[str, Any]
) -> None:
    CourseFactory(code="LOCAL1", languages=[reference["fr"]])

    response = _post(client, _body(course="LOCAL1"))

    assert response.status_code == 404
    assert CourseRun.objects.count() == 0


def test_the_course_code_in_the_body_finds_the_course(
    client: Client, external_course: Course
) -> None:
    response = _post(
        client, _body(resource_link="https://lms.example.org/sessions/42", course="UCAD+ECO101")
    )

    assert response.status_code == 200
    assert CourseRun.objects.get().course == external_course


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b"{pas du json", "Corps JSON illisible."),
        (json.dumps({"resource_link": LINK}).encode(),
         "Champs manquants ou invalides : languages."),
        (json.dumps(_body(start="hier")).encode(), "Champs manquants ou invalides : start."),
        (json.dumps(_body(catalog_visibility="partout")).encode(),
         "Champs manquants ou invalides : catalog_visibility."),
        (json.dumps(_body(languages=["xx"])).encode(), "Langues inconnues : xx."),
    ],
)  # fmt: skip
def test_a_malformed_body_is_400_with_a_detail(
    client: Client, external_course: Course, raw: bytes, detail: str
) -> None:
    response = _post(client, None, raw=raw)

    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert CourseRun.objects.count() == 0
    assert SyncNonce.objects.count() == 0


def test_dates_in_the_wrong_order_are_400_and_change_nothing(
    client: Client, external_course: Course
) -> None:
    _post(client, _body())
    state = _state()

    response = _post(client, _body(end="2025-01-01T00:00:00Z"))

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Dates incohérentes")
    assert _state() == state
    assert SyncNonce.objects.count() == 1


def test_only_post_is_allowed(client: Client) -> None:
    assert client.get(URL).status_code == 405
