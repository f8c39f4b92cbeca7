"""Problems authored in the studio, and the session's barème."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments.models import AssessmentType, GradingPolicy
from sankore.catalog.models import CourseRun, CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware.models import Block
from sankore.courseware.tests.factories import chapter, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(db: None) -> CourseRun:
    return CourseRunFactory()


def _teacher_of(run: CourseRun):  # type: ignore[no-untyped-def]
    teacher = UserFactory()
    course_team_member_set(course=run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    return teacher


def test_a_teacher_writes_a_multiple_choice_question(client: Client, run: CourseRun) -> None:
    target = unit(chapter(run))
    client.force_login(_teacher_of(run))

    client.post(
        reverse("studio:block_create", args=[run.pk, target.pk]),
        {
            "type": "choice",
            "title": "Pays sahéliens",
            "prompt": "Quels pays sont sahéliens ?",
            "choices": "[x] Mali\n[x] Niger // Oui.\n[ ] Gabon // Non, il est équatorial.",
            "multiple": "on",
            "partial_credit": "on",
            "points": "2",
            "max_attempts": "3",
            "assessment_type": "Quiz",
            "hints": "Pensez au Sahara.",
        },
    )

    block = Block.objects.get(unit=target)
    assert block.kind == "choice"
    assert block.data["choices"] == [
        {"id": "c1", "text": "Mali", "correct": True, "feedback": ""},
        {"id": "c2", "text": "Niger", "correct": True, "feedback": "Oui."},
        {"id": "c3", "text": "Gabon", "correct": False, "feedback": "Non, il est équatorial."},
    ]
    assert (block.data["multiple"], block.data["partial_credit"], block.data["max_attempts"]) == (
        True,
        True,
        3,
    )
    assert block.data["hints"] == ["Pensez au Sahara."]


def test_a_choice_question_without_a_right_answer_is_refused_with_its_reason(
    client: Client, run: CourseRun
) -> None:
    target = unit(chapter(run))
    client.force_login(_teacher_of(run))

    response = client.post(
        reverse("studio:block_create", args=[run.pk, target.pk]),
        {"type": "choice", "prompt": "?", "choices": "[ ] a\n[ ] b", "points": "1"},
    )

    assert "exactement une bonne réponse" in response.content.decode()
    assert Block.objects.count() == 0


def test_the_barème_is_set_by_the_team_only(client: Client, run: CourseRun) -> None:
    url = reverse("studio:grading", args=[run.pk])
    client.force_login(UserFactory())
    assert client.post(url, {"passing_percent": "50", "types": "Quiz ; 100"}).status_code == 403
    client.force_login(_teacher_of(run))

    client.post(url, {"passing_percent": "60", "types": "Quiz ; 40 ; 1\nExamen ; 60"})

    policy = GradingPolicy.objects.get(course_run=run)
    assert policy.passing_percent == Decimal(60)
    assert list(
        AssessmentType.objects.filter(policy=policy).values_list("name", "weight", "drop_lowest")
    ) == [
        ("Quiz", Decimal(40), 1),
        ("Examen", Decimal(60), 0),
    ]


def test_a_barème_whose_weights_are_off_is_refused(client: Client, run: CourseRun) -> None:
    client.force_login(_teacher_of(run))

    response = client.post(
        reverse("studio:grading", args=[run.pk]), {"passing_percent": "60", "types": "Quiz ; 40"}
    )

    assert "doivent faire 100" in response.content.decode()
    assert not GradingPolicy.objects.filter(course_run=run).exists()
