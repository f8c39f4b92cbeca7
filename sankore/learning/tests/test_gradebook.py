"""The course team's gradebook: every enrolled learner, filters, CSV, corrections."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import services as assessments
from sankore.assessments.models import GradeChange, LearnerGrade
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
    problem = courseware.block_create(
        unit=unit(chapter(run), "Quiz"), kind="short_text", title="Fleuve",
        data={"prompt": "Le fleuve de Niamey ?", "accepted": "Niger", "assessment_type": "Quiz"},
    )  # fmt: skip
    assessments.grading_policy_set(
        course_run=run,
        passing_percent=Decimal(50),
        types=[assessments.TypeLine("Quiz", Decimal(100))],
    )
    publication = courseware.courseware_publish(course_run=run)
    awa, binta = UserFactory(full_name="Awa Diop"), UserFactory(full_name="Binta Sow")
    for learner in (awa, binta):
        enrolment_create(user=learner, course_run=run)
    answer = QueryDict(mutable=True)
    answer["answer"] = "niger"
    assessments.submission_create(
        user=awa, course_run=run, publication=publication, block_key=problem.key,
        answer_data=answer, client_token="t",
    )  # fmt: skip
    teacher = UserFactory()
    course_team_member_set(course=run.course, user=teacher, role=CourseTeamRole.STAFF)
    return {"run": run, "awa": awa, "binta": binta, "teacher": teacher}


def test_the_gradebook_lists_every_enrolled_learner_with_their_grade(
    client: Client, session
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(session["teacher"])

    page = client.get(reverse("studio:gradebook", args=[session["run"].pk])).content.decode()

    assert "2 apprenants" in page
    # « Note » alone is Django's own admin word for a remark: the column says grade.
    assert '<th scope="col">Note</th>' in page
    assert "Awa Diop" in page
    assert "100 %" in page
    assert "Binta Sow" in page  # no answer yet: listed all the same


def test_the_gradebook_filters_by_name_and_by_success(client: Client, session) -> None:  # type: ignore[no-untyped-def]
    client.force_login(session["teacher"])
    url = reverse("studio:gradebook", args=[session["run"].pk])

    failed = client.get(url, {"passed": "non"}).content.decode()
    named = client.get(url, {"q": "awa"}).content.decode()

    assert "Binta Sow" in failed
    assert "Awa Diop" not in failed
    assert "Awa Diop" in named
    assert "Binta Sow" not in named


def test_the_gradebook_reads_in_constant_queries(
    client: Client, session, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(session["teacher"])
    url = reverse("studio:gradebook", args=[session["run"].pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(30):
        enrolment_create(user=UserFactory(), course_run=session["run"])

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert "32 apprenants" in response.content.decode()


def test_the_csv_export_streams_every_learner(client: Client, session) -> None:  # type: ignore[no-untyped-def]
    client.force_login(session["teacher"])

    response = client.get(reverse("studio:gradebook_csv", args=[session["run"].pk]))

    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0] == "\ufeffNom;Adresse;Note (%);Note corrigée (%);Seuil atteint;Inscrit le"
    assert lines[1].startswith(f"Awa Diop;{session['awa'].email};100,00;;oui;")
    assert lines[2].startswith(f"Binta Sow;{session['binta'].email};;;non;")


def test_only_the_course_team_opens_the_gradebook(client: Client, session) -> None:  # type: ignore[no-untyped-def]
    client.force_login(session["awa"])

    assert client.get(reverse("studio:gradebook", args=[session["run"].pk])).status_code == 403
    assert client.get(reverse("studio:gradebook_csv", args=[session["run"].pk])).status_code == 403
    other = CourseRunFactory()
    client.force_login(session["teacher"])
    assert client.get(reverse("studio:gradebook", args=[other.pk])).status_code == 403


def test_a_correction_needs_a_reason_and_is_logged(client: Client, session) -> None:  # type: ignore[no-untyped-def]
    client.force_login(session["teacher"])
    url = reverse("studio:gradebook_learner", args=[session["run"].pk, session["binta"].pk])

    refused = client.post(url, {"percent": "70", "reason": "  "})
    assert refused.status_code == 200
    assert not LearnerGrade.objects.filter(user=session["binta"]).exists()

    client.post(url, {"percent": "70", "reason": "Copie d'examen retrouvée"})

    grade = LearnerGrade.objects.get(user=session["binta"])
    assert (grade.override_percent, grade.passed) == (Decimal(70), True)
    change = GradeChange.objects.get()
    assert (change.changed_by, change.old_percent, change.new_percent, change.reason) == (
        session["teacher"],
        Decimal(0),
        Decimal(70),
        "Copie d'examen retrouvée",
    )
    assert "Copie d&#x27;examen retrouvée" in client.get(url).content.decode()


def test_a_correction_outlives_the_next_answers(session) -> None:  # type: ignore[no-untyped-def]
    assessments.grade_override(
        user=session["awa"], course_run=session["run"], percent=Decimal(40), reason="Plagiat",
        changed_by=session["teacher"],
    )  # fmt: skip
    from sankore.courseware.selectors import outline_of, publication_current

    outline = outline_of(publication_current(course_run_id=session["run"].pk))  # type: ignore[arg-type]
    grade = assessments.grade_refresh(
        user=session["awa"], course_run=session["run"], outline=outline
    )

    assert grade is not None
    assert (grade.percent, grade.effective_percent, grade.passed) == (
        Decimal(100),
        Decimal(40),
        False,
    )
