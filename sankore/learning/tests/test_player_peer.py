"""Open responses in the player: sending, reviewing a peer anonymously, self-reviewing, the
files of responses, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments.models import OpenResponse, OpenResponseStatus, PeerReview
from sankore.catalog.models import CourseTeamRole, Pacing
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware import services as courseware
from sankore.courseware.tests.factories import chapter, unit
from sankore.learning.models import BlockCompletion
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db

RUBRIC = "Clarté : Confus=0 | Correct=1 | Excellent=2"


@pytest.fixture
def essay(db: None) -> dict:  # type: ignore[type-arg]
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    week = unit(chapter(run, "Semaine 1"), "Devoir")
    block = courseware.block_create(
        unit=week, kind="open_response", title="Essai",
        data={"prompt": "Décrivez un dispositif de tutorat.", "allow_text": True,
              "allow_file": True, "file_types": ["pdf", "txt"], "rubric": RUBRIC, "peers": 1,
              "self_assessment": True, "assessment_type": "Devoir", "points": "2"},
    )  # fmt: skip
    courseware.courseware_publish(course_run=run)
    awa, binta = UserFactory(full_name="Awa Ndiaye"), UserFactory(full_name="Binta Sow")
    for learner in (awa, binta):
        enrolment_create(user=learner, course_run=run)
    return {"run": run, "unit": week, "key": block.key, "awa": awa, "binta": binta}


def _url(essay: dict, action: str) -> str:  # type: ignore[type-arg]
    return reverse("player:block_action", args=[essay["run"].pk, essay["key"], action])


def _page(client: Client, essay: dict) -> str:  # type: ignore[type-arg]
    return client.get(
        reverse("player:unit", args=[essay["run"].pk, essay["unit"].key])
    ).content.decode()


def _send(client: Client, essay: dict, text: str = "Un tutorat par les pairs.", **extra) -> object:  # type: ignore[no-untyped-def,type-arg]
    return client.post(_url(essay, "repondre-ouvert"), {"text": text, "token": "tok", **extra})


def test_a_learner_sends_a_response_and_sees_it_waiting_for_peers(client: Client, essay) -> None:  # type: ignore[no-untyped-def]
    client.force_login(essay["awa"])
    page = _page(client, essay)
    assert 'name="text"' in page
    assert "Clarté" in page

    response = _send(client, essay)

    assert response.status_code == 302
    assert OpenResponse.objects.get().text == "Un tutorat par les pairs."
    assert BlockCompletion.objects.filter(user=essay["awa"], block_key=essay["key"]).exists()
    page = _page(client, essay)
    assert "Réponse envoyée." in page
    assert "Évaluations reçues : 0 sur 1." in page
    assert 'name="text"' not in page


def test_a_refused_response_keeps_what_was_typed(client: Client, essay) -> None:  # type: ignore[no-untyped-def]
    client.force_login(essay["awa"])

    _send(client, essay, text="Mon texte", file=SimpleUploadedFile("virus.exe", b"MZ"))

    page = _page(client, essay)
    assert "Ce type de fichier n" in page
    assert ">Mon texte</textarea>" in page
    assert OpenResponse.objects.count() == 0


def test_a_megabyte_of_text_is_refused_clearly(client: Client, essay) -> None:  # type: ignore[no-untyped-def]
    client.force_login(essay["awa"])

    response = _send(client, essay, text="a" * 1_000_000)

    assert response.status_code == 302
    assert "au plus 20" in _page(client, essay)
    assert OpenResponse.objects.count() == 0


def test_two_learners_review_each_other_anonymously_and_both_get_their_grade(
    client: Client,
    essay,  # type: ignore[no-untyped-def]
) -> None:
    for learner in (essay["awa"], essay["binta"]):
        client.force_login(learner)
        _send(client, essay, text=f"Réponse de {learner.full_name.split()[0]}")
    for learner, level in ((essay["awa"], "n3"), (essay["binta"], "n2")):
        client.force_login(learner)
        client.post(_url(essay, "demander-evaluation"))
        page = _page(client, essay)
        other = essay["binta"] if learner == essay["awa"] else essay["awa"]
        assert f"Réponse de {other.full_name.split()[0]}" in page
        assert other.full_name not in page
        assert other.email not in page
        handed = PeerReview.objects.get(reviewer=learner, submitted_at__isnull=True)
        client.post(
            _url(essay, "evaluer"),
            {"reponse": str(handed.response.public_id), "critere-c1": level, "comment": "Clair"},
        )

    client.force_login(essay["binta"])
    page = _page(client, essay)
    assert "Note : 2 point(s) sur 2 (100.0 %)." in page or "Note : 2 point(s) sur 2" in page
    assert "Clair" in page
    assert essay["awa"].full_name not in page
    assert set(OpenResponse.objects.values_list("status", flat=True)) == {OpenResponseStatus.GRADED}


def test_a_review_without_every_criterion_is_refused_with_a_message(client: Client, essay) -> None:  # type: ignore[no-untyped-def]
    for learner in (essay["awa"], essay["binta"]):
        client.force_login(learner)
        _send(client, essay)
    client.post(_url(essay, "demander-evaluation"))
    handed = PeerReview.objects.get(reviewer=essay["binta"])

    client.post(_url(essay, "evaluer"), {"reponse": str(handed.response.public_id)})

    assert "Choisissez un niveau pour chaque critère : Clarté." in _page(client, essay)
    handed.refresh_from_db()
    assert handed.submitted_at is None


def test_a_self_review_is_recorded(client: Client, essay) -> None:  # type: ignore[no-untyped-def]
    client.force_login(essay["awa"])
    _send(client, essay)

    client.post(_url(essay, "auto-evaluer"), {"critere-c1": "n2"})

    review = PeerReview.objects.get(is_self=True)
    assert (review.reviewer, review.total) == (essay["awa"], 1)
    assert "Votre auto-évaluation : 1 point(s)." in _page(client, essay)


def test_the_page_applies_the_delay_rule_without_cron(client: Client, essay) -> None:  # type: ignore[no-untyped-def]
    client.force_login(essay["awa"])
    _send(client, essay)
    client.post(_url(essay, "auto-evaluer"), {"critere-c1": "n3"})
    OpenResponse.objects.update(deadline_at=timezone.now() - datetime.timedelta(minutes=1))

    page = _page(client, essay)

    assert OpenResponse.objects.get().status == OpenResponseStatus.GRADED
    assert "auto-évaluation" in page


def _with_file(client: Client, essay: dict) -> OpenResponse:  # type: ignore[type-arg]
    client.force_login(essay["awa"])
    _send(client, essay, file=SimpleUploadedFile("Awa Ndiaye.pdf", b"%PDF-1.4 essai"))
    return OpenResponse.objects.get()


def test_the_author_downloads_their_file_as_an_attachment(client: Client, essay) -> None:  # type: ignore[no-untyped-def]
    stored = _with_file(client, essay)

    response = client.get(_url(essay, "fichier-reponse"), {"id": str(stored.public_id)})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "Awa" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 essai"  # type: ignore[attr-defined]


def test_another_learner_cannot_fetch_the_file_until_it_is_handed_to_them(
    client: Client,
    essay,  # type: ignore[no-untyped-def]
) -> None:
    stored = _with_file(client, essay)
    client.force_login(essay["binta"])

    assert (
        client.get(_url(essay, "fichier-reponse"), {"id": str(stored.public_id)}).status_code == 404
    )

    _send(client, essay)
    client.post(_url(essay, "demander-evaluation"))
    response = client.get(_url(essay, "fichier-reponse"), {"id": str(stored.public_id)})
    assert response.status_code == 200
    assert "Awa" not in response["Content-Disposition"]  # the reviewer gets a neutral name
    assert response["Content-Disposition"].startswith("attachment")


def test_someone_not_enrolled_can_do_nothing(client: Client, essay) -> None:  # type: ignore[no-untyped-def]
    stored = _with_file(client, essay)
    client.force_login(UserFactory())

    assert _send(client, essay).status_code == 404
    assert client.post(_url(essay, "demander-evaluation")).status_code == 404
    assert (
        client.get(_url(essay, "fichier-reponse"), {"id": str(stored.public_id)}).status_code == 404
    )
    assert OpenResponse.objects.count() == 1


def test_the_course_team_downloads_any_file_and_an_outside_teacher_none(
    client: Client,
    essay,  # type: ignore[no-untyped-def]
) -> None:
    stored = _with_file(client, essay)
    teacher, outsider = UserFactory(), UserFactory()
    course_team_member_set(course=essay["run"].course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    other = CourseRunFactory()
    course_team_member_set(course=other.course, user=outsider, role=CourseTeamRole.INSTRUCTOR)

    client.force_login(teacher)
    assert (
        client.get(_url(essay, "fichier-reponse"), {"id": str(stored.public_id)}).status_code == 200
    )
    client.force_login(outsider)
    assert (
        client.get(_url(essay, "fichier-reponse"), {"id": str(stored.public_id)}).status_code == 404
    )


def test_a_get_on_a_post_action_is_refused(client: Client, essay) -> None:  # type: ignore[no-untyped-def]
    client.force_login(essay["awa"])

    assert client.get(_url(essay, "repondre-ouvert")).status_code == 405
    assert client.get(_url(essay, "fichier-reponse"), {"id": "pas-un-uuid"}).status_code == 404


def test_points_and_percent_are_written_the_french_way_and_rounded_half_up(
    client: Client,
    essay,  # type: ignore[no-untyped-def]
) -> None:
    from decimal import Decimal

    from sankore.courseware.models import Block

    block = Block.objects.get(course_run=essay["run"], key=essay["key"])
    courseware.block_update(block=block, title="Essai", data={**block.data, "points": "1.5"})
    courseware.courseware_publish(course_run=essay["run"])
    client.force_login(essay["awa"])
    _send(client, essay)
    OpenResponse.objects.update(
        status=OpenResponseStatus.GRADED, score=Decimal("0.0625"), score_source="staff"
    )

    page = _page(client, essay)

    # 1.5 × 0.0625 = 0.09375 points; 6.25 % rounds half-up to 6.3 %, as grades do.
    assert "Note : 0,09 point(s) sur 1,50 (6,3 %)." in page
