"""The studio's open responses: the course team lists them, grades the staff queue with the
rubric, corrects a peer grade with a reason; nobody else may."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import peer
from sankore.assessments.models import (
    OpenResponse,
    OpenResponseStatus,
    PeerGradeChange,
    ProblemScore,
)
from sankore.catalog.models import CourseTeamRole, Pacing
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware import services as courseware
from sankore.courseware.tests.factories import chapter, unit
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db: None) -> dict:  # type: ignore[type-arg]
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    block = courseware.block_create(
        unit=unit(chapter(run)), kind="open_response", title="Essai",
        data={"prompt": "Écrivez.", "allow_text": True, "allow_file": True,
              "file_types": ["pdf"], "rubric": "Clarté : Confus=0 | Clair=2", "peers": 1,
              "assessment_type": "Devoir"},
    )  # fmt: skip
    publication = courseware.courseware_publish(course_run=run)
    teacher = UserFactory()
    course_team_member_set(course=run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    return {"run": run, "key": block.key, "publication": publication, "teacher": teacher}


def _learner_responds(session: dict, text: str = "Ma réponse", **extra) -> OpenResponse:  # type: ignore[no-untyped-def,type-arg]
    learner = UserFactory()
    enrolment_create(user=learner, course_run=session["run"])
    return peer.open_response_submit(
        user=learner, course_run=session["run"], publication=session["publication"],
        block_key=session["key"], text=text, upload=extra.get("upload"),
        client_token="t", now=extra.get("now"),
    ).response  # fmt: skip


def test_the_list_reads_in_constant_queries(
    client: Client, session, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _learner_responds(session)
    client.force_login(session["teacher"])
    url = reverse("studio:open_responses", args=[session["run"].pk])
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for _ in range(20):
        _learner_responds(session)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    page = response.content.decode()
    assert "21 réponses" in page
    assert "Essai" in page


def test_the_list_filters_by_status_and_applies_the_delay_rule(client: Client, session) -> None:  # type: ignore[no-untyped-def]
    late = _learner_responds(session, now=timezone.now() - datetime.timedelta(days=8))
    _learner_responds(session)
    client.force_login(session["teacher"])

    response = client.get(
        reverse("studio:open_responses", args=[session["run"].pk]), {"status": "staff"}
    )

    assert "1 réponse" in response.content.decode()
    late.refresh_from_db()
    assert late.status == OpenResponseStatus.STAFF


def test_the_course_team_grades_a_response_of_the_staff_queue(client: Client, session) -> None:  # type: ignore[no-untyped-def]
    waiting = _learner_responds(session, now=timezone.now() - datetime.timedelta(days=8))
    client.force_login(session["teacher"])
    url = reverse("studio:open_response", args=[session["run"].pk, waiting.public_id])

    assert "Noter avec la grille" in client.get(url).content.decode()
    response = client.post(url, {"critere-c1": "n2"})

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.score) == (OpenResponseStatus.GRADED, Decimal(1))
    assert ProblemScore.objects.get(user=waiting.user).score == Decimal(1)


def test_a_correction_without_reason_is_refused_and_changes_nothing(
    client: Client, session
) -> None:  # type: ignore[no-untyped-def]
    graded = _learner_responds(session, now=timezone.now() - datetime.timedelta(days=8))
    peer.peer_grade_override(
        response=graded, scores={"c1": "n2"}, reason="", changed_by=session["teacher"]
    )
    client.force_login(session["teacher"])
    url = reverse("studio:open_response", args=[session["run"].pk, graded.public_id])

    refused = client.post(url, {"critere-c1": "n1", "reason": ""})

    assert refused.status_code == 200
    assert "Indiquez le motif" in refused.content.decode()
    graded.refresh_from_db()
    assert graded.score == Decimal(1)
    assert PeerGradeChange.objects.count() == 1

    client.post(url, {"critere-c1": "n1", "reason": "Hors sujet."})

    graded.refresh_from_db()
    assert graded.score == Decimal(0)
    assert list(PeerGradeChange.objects.values_list("reason", flat=True)) == ["Hors sujet.", ""]


def test_a_teacher_of_another_course_gets_403_and_a_learner_too(client: Client, session) -> None:  # type: ignore[no-untyped-def]
    response = _learner_responds(
        session, upload=SimpleUploadedFile("essai.pdf", b"%PDF-1.4 x"), text=""
    )
    outsider = UserFactory()
    other = CourseRunFactory()
    course_team_member_set(course=other.course, user=outsider, role=CourseTeamRole.INSTRUCTOR)
    urls = [
        reverse("studio:open_responses", args=[session["run"].pk]),
        reverse("studio:open_response", args=[session["run"].pk, response.public_id]),
        reverse("studio:open_response_file", args=[session["run"].pk, response.public_id]),
    ]

    for user in (outsider, response.user):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    client.force_login(outsider)
    assert client.post(urls[1], {"critere-c1": "n2"}).status_code == 403
    response.refresh_from_db()
    assert response.score is None
    # Another session's id in this session's URL: not found, even for its own team.
    client.force_login(session["teacher"])
    assert client.get(urls[2]).status_code == 200
    wrong = reverse("studio:open_response", args=[other.pk, response.public_id])
    course_team_member_set(
        course=other.course, user=session["teacher"], role=CourseTeamRole.INSTRUCTOR
    )
    assert client.get(wrong).status_code == 404


def test_the_course_team_reads_the_same_percent_as_the_learner(client: Client, session) -> None:  # type: ignore[no-untyped-def]
    response = _learner_responds(session)
    OpenResponse.objects.filter(pk=response.pk).update(
        status=OpenResponseStatus.GRADED, score=Decimal("0.6250"), score_source="peers"
    )
    client.force_login(session["teacher"])

    listed = client.get(reverse("studio:open_responses", args=[session["run"].pk]))
    detail = client.get(
        reverse("studio:open_response", args=[session["run"].pk, response.public_id])
    )

    # 62.5 %, as the player says — not 62 % (a banker's rounding to a whole number).
    assert "<td>62,5 %</td>" in listed.content.decode()
    assert "Score : 62,5 %" in detail.content.decode()
