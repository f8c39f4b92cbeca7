"""Question pools (k of n per learner, stable, answered ones kept) and supervised exams
(a window, an access code, entries recorded, wrong codes throttled), in the services and
on the learner's unit page."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import selectors, services
from sankore.assessments.models import ExamAccess, LearnerGrade, ProblemScore, Submission
from sankore.assessments.pools import pool_draw
from sankore.assessments.services import ExamClosedError, ExamCodeError, TypeLine
from sankore.catalog.models import CourseTeamRole, Pacing
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.core.errors import NotFoundError
from sankore.courseware import selectors as courseware_selectors
from sankore.courseware import services as courseware
from sankore.courseware.services import OutlineError, PublishError
from sankore.courseware.tests.factories import chapter, file_asset, text_block, unit
from sankore.learning import selectors as learning_selectors
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db

CAPITALS = [("Sénégal", "Dakar"), ("Mali", "Bamako"), ("Niger", "Niamey"), ("Togo", "Lomé"),
            ("Bénin", "Porto-Novo")]  # fmt: skip


def _answer(text: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data["answer"] = text
    return data


# --- The draw --------------------------------------------------------------------------


@given(
    keys=st.lists(st.text("abcdef0123", min_size=3, max_size=8), min_size=1, max_size=12,
                  unique=True),
    size=st.integers(min_value=1, max_value=12),
    user_id=st.integers(min_value=1, max_value=10**6),
    data=st.data(),
)  # fmt: skip
def test_a_draw_is_k_of_the_pool_stable_in_unit_order_and_keeps_what_was_answered(
    keys: list[str], size: int, user_id: int, data: st.DataObject
) -> None:
    answered = data.draw(st.sets(st.sampled_from(keys), max_size=size))
    draw = pool_draw(
        user_id=user_id, course_run_id=7, unit_key="u", problem_keys=keys, size=size,
        answered=answered,
    )  # fmt: skip
    assert len(draw) == min(size, len(keys))
    assert draw == [key for key in keys if key in draw]  # the unit's order
    assert answered <= set(draw)
    again = pool_draw(
        user_id=user_id, course_run_id=7, unit_key="u", problem_keys=keys, size=size,
        answered=answered,
    )  # fmt: skip
    assert again == draw


def test_learners_get_different_draws() -> None:
    keys = [f"p{n}" for n in range(10)]
    draws = {
        tuple(pool_draw(user_id=n, course_run_id=1, unit_key="u", problem_keys=keys, size=3))
        for n in range(1, 30)
    }
    assert len(draws) > 10


# --- A pool in a session ---------------------------------------------------------------


@pytest.fixture
def pooled(db: None) -> dict[str, Any]:
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    intro = unit(chapter(run), "Capitales")
    text_block(intro, "Cinq questions, trois pour chacun.")
    problems = [
        courseware.block_create(
            unit=intro,
            kind="short_text",
            title=f"Capitale {n + 1}",
            data={
                "prompt": f"Capitale du {country} ?",
                "accepted": capital,
                "assessment_type": "Quiz",
            },
        )
        for n, (country, capital) in enumerate(CAPITALS)
    ]
    courseware.unit_update(unit=intro, pool_size=3)
    services.grading_policy_set(
        course_run=run, passing_percent=Decimal(50), types=[TypeLine("Quiz", Decimal(100))]
    )
    publication = courseware.courseware_publish(course_run=run)
    learner = UserFactory()
    enrolment_create(user=learner, course_run=run)
    outline_unit = courseware_selectors.outline_of(publication).unit(intro.key)
    assert outline_unit is not None
    return {"run": run, "unit": intro, "outline_unit": outline_unit, "problems": problems,
            "publication": publication, "learner": learner}  # fmt: skip


def _capital_of(pooled: dict[str, Any], key: str) -> str:
    index = [p.key for p in pooled["problems"]].index(key)
    return CAPITALS[index][1]


def test_a_learner_answers_only_the_problems_drawn_for_them(pooled: dict[str, Any]) -> None:
    run, learner = pooled["run"], pooled["learner"]
    drawn = selectors.problems_drawn(user=learner, course_run=run, unit=pooled["outline_unit"])
    assert len(drawn) == 3
    other = next(p.key for p in pooled["problems"] if p.key not in drawn)

    with pytest.raises(NotFoundError) as refused:
        services.submission_create(
            user=learner, course_run=run, publication=pooled["publication"], block_key=other,
            answer_data=_answer("Dakar"), client_token="t-autre",
        )  # fmt: skip
    assert refused.value.code == "not_drawn"
    assert not Submission.objects.filter(user=learner).exists()

    services.submission_create(
        user=learner, course_run=run, publication=pooled["publication"], block_key=drawn[0],
        answer_data=_answer(_capital_of(pooled, drawn[0])), client_token="t-1",
    )  # fmt: skip
    grade = LearnerGrade.objects.get(user=learner, course_run=run)
    # One of the three drawn problems right: a third, whatever the two others are.
    assert grade.percent == Decimal("33.33")
    assert grade.by_type[0]["counted"] == 3


def test_a_pool_unit_is_done_once_the_drawn_problems_are_answered(pooled: dict[str, Any]) -> None:
    run, learner = pooled["run"], pooled["learner"]
    outline = courseware_selectors.outline_of(pooled["publication"])
    drawn = selectors.problems_drawn(user=learner, course_run=run, unit=pooled["outline_unit"])
    text_key = next(b["key"] for b in pooled["outline_unit"].blocks if b["kind"] == "text")
    from sankore.learning.services import blocks_complete

    blocks_complete(user=learner, course_run=run, block_keys=[text_key, *drawn], outline=outline)

    progress = learning_selectors.learner_progress(user=learner, course_run=run, outline=outline)
    assert progress.counts == (4, 4)  # the text and the three drawn problems, not five
    assert progress.unit_done(pooled["outline_unit"])


def test_the_unit_page_shows_the_learner_their_draw_always_the_same(
    client: Client, pooled: dict[str, Any]
) -> None:
    run, learner = pooled["run"], pooled["learner"]
    client.force_login(learner)
    url = reverse("player:unit", args=[run.pk, pooled["unit"].key])
    first = client.get(url).content.decode()
    drawn = selectors.problems_drawn(user=learner, course_run=run, unit=pooled["outline_unit"])
    shown = [p.key for p in pooled["problems"] if f'id="bloc-{p.key}"' in first]
    assert shown == drawn
    assert "3 sur 5" in first
    assert client.get(url).content.decode().count('class="block block-short_text"') == 3


def test_a_pool_larger_than_its_unit_or_of_mixed_types_is_not_published(
    pooled: dict[str, Any],
) -> None:
    courseware.unit_update(unit=pooled["unit"], pool_size=6)
    with pytest.raises(PublishError) as too_many:
        courseware.courseware_publish(course_run=pooled["run"])
    assert too_many.value.code == "pool_size"
    courseware.unit_update(unit=pooled["unit"], pool_size=2)
    courseware.block_update(block=pooled["problems"][0], data={
        "prompt": "Capitale du Sénégal ?", "accepted": "Dakar", "assessment_type": "Examen"
    })  # fmt: skip
    with pytest.raises(PublishError) as mixed:
        courseware.courseware_publish(course_run=pooled["run"])
    assert mixed.value.code == "pool_types"


def test_a_pool_survives_an_export_and_an_import(pooled: dict[str, Any]) -> None:
    import io
    import zipfile

    from sankore.courseware.package_export import package_export

    buffer = io.BytesIO()
    package_export(course_run=pooled["run"], target=buffer)
    manifest = json.loads(zipfile.ZipFile(buffer).read("manifest.json"))
    assert manifest["chapters"][0]["units"][0]["pool_size"] == 3


# --- Supervised exams ------------------------------------------------------------------

NOW = timezone.now()


@pytest.fixture
def exam(db: None) -> dict[str, Any]:
    run = CourseRunFactory(pacing=Pacing.INSTRUCTOR_LED)
    sitting = unit(chapter(run), "Examen final")
    question = courseware.block_create(
        unit=sitting, kind="short_text", title="Fleuve",
        data={"prompt": "Le fleuve de Niamey ?", "accepted": "Niger", "assessment_type": "Examen"},
    )  # fmt: skip
    sheet = file_asset(run, "sujet.csv", b"question;points\n")
    subject = courseware.block_create(
        unit=sitting, kind="resource", data={"file": sheet.key}, title="Sujet"
    )
    courseware.unit_update(
        unit=sitting, is_supervised_exam=True, exam_access_code="ab12 cd",
        exam_opens_at=NOW - datetime.timedelta(hours=1),
        exam_closes_at=NOW + datetime.timedelta(hours=1),
    )  # fmt: skip
    services.grading_policy_set(
        course_run=run, passing_percent=Decimal(50), types=[TypeLine("Examen", Decimal(100))]
    )
    publication = courseware.courseware_publish(course_run=run)
    learner = UserFactory()
    enrolment_create(user=learner, course_run=run)
    outline_unit = courseware_selectors.outline_of(publication).unit(sitting.key)
    assert outline_unit is not None
    cache.clear()
    return {"run": run, "unit": sitting, "outline_unit": outline_unit, "question": question,
            "subject": subject, "sheet": sheet, "publication": publication,
            "learner": learner}  # fmt: skip


def test_an_exam_needs_its_window_and_a_code_of_six_characters(db: None) -> None:
    sitting = unit(chapter(CourseRunFactory()), "Examen")
    with pytest.raises(OutlineError) as no_window:
        courseware.unit_update(unit=sitting, is_supervised_exam=True, exam_access_code="ABCDEF")
    assert no_window.value.code == "exam_window"
    with pytest.raises(OutlineError) as short:
        courseware.unit_update(
            unit=sitting, is_supervised_exam=True, exam_access_code="AB1",
            exam_opens_at=NOW, exam_closes_at=NOW + datetime.timedelta(hours=2),
        )  # fmt: skip
    assert short.value.code == "exam_code"
    sitting.refresh_from_db()
    assert (sitting.is_supervised_exam, sitting.exam_access_code) == (False, "")


def test_the_publication_keeps_a_digest_never_the_code(exam: dict[str, Any]) -> None:
    assert exam["unit"].exam_access_code == "AB12CD"  # kept without spaces, in capitals
    stored = json.dumps(exam["publication"].outline)
    assert "AB12CD" not in stored
    assert exam["outline_unit"].exam.code_digest


def _submit(exam: dict[str, Any]) -> Any:
    return services.submission_create(
        user=exam["learner"], course_run=exam["run"], publication=exam["publication"],
        block_key=exam["question"].key, answer_data=_answer("Niger"), client_token="t-1",
        due_at=exam["outline_unit"].due_for(enrolled_at=None),
    )  # fmt: skip


def test_no_answer_without_the_access_code(exam: dict[str, Any]) -> None:
    with pytest.raises(ExamCodeError) as refused:
        _submit(exam)
    assert refused.value.code == "exam_code_required"
    assert not Submission.objects.exists()
    assert not ProblemScore.objects.exists()


def test_the_right_code_lets_the_candidate_in_and_answer(exam: dict[str, Any]) -> None:
    access = services.exam_access_grant(
        user=exam["learner"], course_run=exam["run"], unit=exam["outline_unit"], code=" ab12cd "
    )
    assert ExamAccess.objects.get() == access
    outcome = _submit(exam)
    assert outcome.result.correct
    assert LearnerGrade.objects.get(user=exam["learner"]).percent == Decimal(100)


def test_wrong_codes_are_refused_then_throttled(exam: dict[str, Any]) -> None:
    for _ in range(services.EXAM_CODE_TRIES):
        with pytest.raises(ExamCodeError) as wrong:
            services.exam_access_grant(
                user=exam["learner"], course_run=exam["run"], unit=exam["outline_unit"],
                code="ZZZZZZ",
            )  # fmt: skip
        assert wrong.value.code == "exam_code_wrong"
    with pytest.raises(ExamCodeError) as throttled:
        services.exam_access_grant(
            user=exam["learner"], course_run=exam["run"], unit=exam["outline_unit"], code="AB12CD"
        )
    assert throttled.value.code == "exam_code_throttled"
    assert not ExamAccess.objects.exists()


@pytest.mark.parametrize("hours", [-3, 2])  # before it opens, after it closed
def test_outside_its_window_an_exam_lets_nobody_in(exam: dict[str, Any], hours: int) -> None:
    later = NOW + datetime.timedelta(hours=hours)
    with pytest.raises(ExamClosedError):
        services.exam_access_grant(
            user=exam["learner"], course_run=exam["run"], unit=exam["outline_unit"],
            code="AB12CD", now=later,
        )  # fmt: skip
    assert not ExamAccess.objects.exists()


def test_an_answer_after_the_close_is_refused_even_once_in(exam: dict[str, Any]) -> None:
    services.exam_access_grant(
        user=exam["learner"], course_run=exam["run"], unit=exam["outline_unit"], code="AB12CD"
    )
    with pytest.raises(ExamClosedError):
        services.submission_create(
            user=exam["learner"], course_run=exam["run"], publication=exam["publication"],
            block_key=exam["question"].key, answer_data=_answer("Niger"), client_token="t",
            now=NOW + datetime.timedelta(hours=2),
        )  # fmt: skip
    assert not Submission.objects.exists()


def test_the_exam_page_shows_its_questions_only_once_the_code_is_typed(
    client: Client, exam: dict[str, Any]
) -> None:
    run, learner = exam["run"], exam["learner"]
    client.force_login(learner)
    url = reverse("player:unit", args=[run.pk, exam["unit"].key])
    download = reverse("player:block_action", args=[run.pk, exam["subject"].key, "telecharger"])
    sheet = reverse("player:asset", args=[run.pk, exam["sheet"].key, "original"])

    locked = client.get(url).content.decode()
    assert 'name="code"' in locked
    assert "Le fleuve de Niamey" not in locked
    assert client.get(download).status_code == 404
    assert client.get(sheet).status_code == 404  # its files wait too

    unlock = reverse("player:exam_unlock", args=[run.pk, exam["unit"].key])
    wrong = client.post(unlock, {"code": "nope"}, follow=True).content.decode()
    assert "n’est pas le bon" in wrong or "n&#x27;est pas le bon" in wrong
    assert not ExamAccess.objects.exists()

    opened = client.post(unlock, {"code": "ab12cd"}, follow=True).content.decode()
    assert "Le fleuve de Niamey" in opened
    assert 'name="code"' not in opened
    assert client.get(download).status_code == 200
    assert client.get(sheet).status_code == 200


def test_the_course_team_sees_the_exam_without_a_code(client: Client, exam: dict[str, Any]) -> None:
    teacher = UserFactory()
    course_team_member_set(course=exam["run"].course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    client.force_login(teacher)
    page = client.get(reverse("player:unit", args=[exam["run"].pk, exam["unit"].key]))
    assert "Le fleuve de Niamey" in page.content.decode()


def test_a_visitor_not_enrolled_cannot_enter(client: Client, exam: dict[str, Any]) -> None:
    client.force_login(UserFactory())
    unlock = reverse("player:exam_unlock", args=[exam["run"].pk, exam["unit"].key])
    assert client.post(unlock, {"code": "AB12CD"}).status_code == 404
    assert not ExamAccess.objects.exists()
