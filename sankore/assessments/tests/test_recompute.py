"""Grades computed by the database, for one learner or a whole session: the same results as
the arithmetic of ``grading`` (random data, hypothesis), pools counted as k items, a
background recomputation keyed by versions, and answers racing it keep their grade."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import grading, recompute, services
from sankore.assessments.models import (
    GradeRecomputation,
    LearnerGrade,
    ProblemScore,
    RecomputationStatus,
)
from sankore.assessments.services import TypeLine
from sankore.catalog.models import Pacing
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware import services as courseware
from sankore.courseware.selectors import Outline
from sankore.courseware.tests.factories import chapter, text_block, unit

pytestmark = pytest.mark.django_db

D = Decimal
NOW = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)


def _outline(units: list[dict[str, Any]]) -> Outline:
    return Outline({"chapters": [{"key": "c1", "title": "Chapitre", "units": units}]}, version=1)


def _problem(key: str, type_name: str | None) -> dict[str, Any]:
    graded = {"type": type_name, "points": "1"} if type_name else None
    return {"key": key, "kind": "choice", "title": key, "completion": "submit", "graded": graded}


def _expected(
    *,
    rules: list[grading.AssessmentTypeRule],
    units: list[dict[str, Any]],
    scores: dict[str, Decimal],
    threshold: Decimal,
) -> grading.CourseGrade:
    """The oracle: ``course_grade`` fed as the pool rule says (k items: the answered drawn
    problems by key, then zeros)."""
    by_type: dict[str, list[Decimal]] = {}
    for data in units:
        graded = [b for b in data["blocks"] if b["graded"]]
        if data.get("pool_size") is None:
            for block in graded:
                by_type.setdefault(block["graded"]["type"], []).append(
                    scores.get(block["key"], D(0))
                )
            continue
        answered = sorted(b["key"] for b in graded if b["key"] in scores)[: data["pool_size"]]
        filled = [scores[key] for key in answered]
        filled += [D(0)] * (data["pool_size"] - len(filled))
        if graded:
            by_type.setdefault(graded[0]["graded"]["type"], []).extend(filled)
    return grading.course_grade(rules=rules, scores_by_type=by_type, threshold_percent=threshold)


def _set_policy(run: Any, lines: list[tuple[str, int, int]], threshold: int = 50) -> None:
    services.grading_policy_set(
        course_run=run,
        passing_percent=D(threshold),
        types=[TypeLine(name, D(weight), drop) for name, weight, drop in lines],
    )


def _scores(run: Any, user: Any, scores: dict[str, Decimal], at: datetime.datetime = NOW) -> None:
    ProblemScore.objects.bulk_create(
        ProblemScore(user=user, course_run=run, block_key=key, attempts=1, score=value,
                     updated_at=at)
        for key, value in scores.items()
    )  # fmt: skip


weights = st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=3).filter(
    lambda ws: sum(ws) <= 100
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    cuts=weights,
    drops=st.lists(st.integers(min_value=0, max_value=3), min_size=3, max_size=3),
    threshold=st.integers(min_value=0, max_value=100),
)
def test_the_database_computes_what_the_arithmetic_says(
    db: None, data: st.DataObject, cuts: list[int], drops: list[int], threshold: int
) -> None:
    names = ["Quiz", "Devoir", "Examen", "Autre"][: len(cuts) + 1]
    lines = [
        (name, cut, drops[i % 3]) for i, (name, cut) in enumerate(zip(names, cuts, strict=False))
    ]
    lines.append((names[len(cuts)], 100 - sum(cuts), drops[len(cuts) % 3]))
    run = CourseRunFactory()
    _set_policy(run, lines, threshold)
    units = []
    counter = 0
    for index in range(data.draw(st.integers(min_value=1, max_value=3))):
        blocks = []
        pool_type = data.draw(st.sampled_from([*names, None]))
        for _ in range(data.draw(st.integers(min_value=0, max_value=4))):
            counter += 1
            blocks.append(
                _problem(
                    f"p{counter}",
                    pool_type if index == 0 else data.draw(st.sampled_from([*names, None])),
                )
            )
        pool = data.draw(st.none() | st.integers(min_value=1, max_value=3)) if index == 0 else None
        if pool is not None and (pool >= len(blocks) or not blocks):
            pool = None  # what publication stores: no pool when all are drawn
        units.append({"key": f"u{index}", "title": "U", "pool_size": pool, "blocks": blocks})
    outline = _outline(units)
    keys = [b["key"] for u in units for b in u["blocks"]] + ["unknown"]
    learners = []
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        learner = UserFactory()
        answered = data.draw(
            st.dictionaries(st.sampled_from(keys), st.decimals(min_value=0, max_value=1, places=4))
        )
        _scores(run, learner, answered)
        learners.append((learner, answered))

    written = recompute.grades_compute(
        course_run_id=run.pk, outline=outline, content_version=1, now=NOW
    )

    rules = [grading.AssessmentTypeRule(n, D(w), d) for n, w, d in lines]
    assert written == len([1 for _learner, answered in learners if answered])
    for learner, answered in learners:
        grade = LearnerGrade.objects.filter(user=learner, course_run=run).first()
        if not answered:
            assert grade is None  # nothing answered, no grade row
            continue
        expected = _expected(rules=rules, units=units, scores=answered, threshold=D(threshold))
        assert grade is not None
        assert grade.percent == expected.percent
        assert grade.passed == expected.passed
        assert (grade.passed_at is not None) == expected.passed
        got = {line["name"]: line for line in grade.by_type}
        assert [line["name"] for line in grade.by_type] == [rule.name for rule in rules]
        for type_grade in expected.by_type:
            line = got[type_grade.name]
            assert line["counted"] == type_grade.counted
            assert line["dropped"] == type_grade.dropped
            assert abs(D(line["score"]) - type_grade.score) <= D("0.0001")
            assert line["weight"] == f"{type_grade.weight:.2f}"


def test_a_pool_counts_its_size_whatever_was_answered(db: None) -> None:
    run = CourseRunFactory()
    _set_policy(run, [("Quiz", 100, 0)])
    units = [
        {"key": "fixe", "title": "U", "blocks": [_problem("a", "Quiz")]},
        {"key": "tirage", "title": "U", "pool_size": 2,
         "blocks": [_problem("p1", "Quiz"), _problem("p2", "Quiz"), _problem("p3", "Quiz")]},
    ]  # fmt: skip
    learner = UserFactory()
    _scores(run, learner, {"a": D(1), "p3": D("0.5")})

    recompute.grades_compute(
        course_run_id=run.pk, outline=_outline(units), content_version=1, now=NOW
    )

    grade = LearnerGrade.objects.get(user=learner, course_run=run)
    # Three items: a (1), the drawn p3 (0.5) and the second drawn, not answered yet (0).
    assert grade.percent == D("50.00")
    assert grade.by_type == [
        {"name": "Quiz", "weight": "100.00", "score": "0.5000", "counted": 3, "dropped": 0}
    ]


def test_one_statement_per_batch_whatever_the_number_of_learners(db: None) -> None:
    run = CourseRunFactory()
    _set_policy(run, [("Quiz", 100, 1)])
    outline = _outline(
        [{"key": "u", "title": "U", "blocks": [_problem("a", "Quiz"), _problem("b", "Quiz")]}]
    )
    for index in range(30):
        _scores(run, UserFactory(), {"a": D(index % 2), "b": D("0.5")})
    with CaptureQueriesContext(connection) as queries:
        written = recompute.grades_compute(
            course_run_id=run.pk, outline=outline, content_version=1, now=NOW
        )
    assert written == 30
    # The policy, its types, the learners' id ranges, and one statement for the batch.
    assert len(queries) == 4
    assert set(LearnerGrade.objects.filter(course_run=run).values_list("percent", flat=True)) == {
        D("50.00"), D("100.00")
    }  # fmt: skip


def test_a_grade_computed_from_newer_scores_is_not_overwritten(db: None) -> None:
    run = CourseRunFactory()
    _set_policy(run, [("Quiz", 100, 0)])
    outline = _outline([{"key": "u", "title": "U", "blocks": [_problem("a", "Quiz")]}])
    learner = UserFactory()
    _scores(run, learner, {"a": D(0)})
    recompute.grades_compute(course_run_id=run.pk, outline=outline, content_version=1, now=NOW)
    # An answer raced the statement: its grade was computed from a score newer than ours.
    LearnerGrade.objects.filter(user=learner).update(
        percent=D(100), scores_at=NOW + datetime.timedelta(seconds=1)
    )

    recompute.grades_compute(course_run_id=run.pk, outline=outline, content_version=2, now=NOW)

    grade = LearnerGrade.objects.get(user=learner)
    assert (grade.percent, grade.content_version) == (D(100), 1)


def test_an_override_decides_passing_after_a_recomputation(db: None) -> None:
    run = CourseRunFactory()
    _set_policy(run, [("Quiz", 100, 0)], threshold=60)
    outline = _outline([{"key": "u", "title": "U", "blocks": [_problem("a", "Quiz")]}])
    learner = UserFactory()
    _scores(run, learner, {"a": D("0.2")})
    services.grade_override(
        user=learner,
        course_run=run,
        percent=D(75),
        reason="Oral de rattrapage",
        changed_by=UserFactory(),
    )
    recompute.grades_compute(course_run_id=run.pk, outline=outline, content_version=1, now=NOW)
    grade = LearnerGrade.objects.get(user=learner)
    assert (grade.percent, grade.override_percent, grade.passed) == (D("20.00"), D(75), True)


@pytest.fixture
def graded_session(db: None) -> dict[str, Any]:
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    week = unit(chapter(run), "Quiz")
    text_block(week, "Révisons.")
    quiz = courseware.block_create(
        unit=week, kind="short_text",
        data={"prompt": "Le fleuve de Niamey ?", "accepted": "Niger", "assessment_type": "Quiz"},
    )  # fmt: skip
    exam = courseware.block_create(
        unit=week, kind="short_text",
        data={"prompt": "Le fleuve de Kinshasa ?", "accepted": "Congo",
              "assessment_type": "Examen"},
    )  # fmt: skip
    _set_policy(run, [("Quiz", 50, 0), ("Examen", 50, 0)])
    courseware.courseware_publish(course_run=run)
    learners = [UserFactory() for _ in range(3)]
    for learner in learners:
        _scores(run, learner, {quiz.key: D(1), exam.key: D(0)}, at=timezone.now())
    services.grades_recompute_run(
        recomputation_id=GradeRecomputation.objects.create(
            course_run=run, policy_version=1, content_version=1
        ).pk
    )
    return {"run": run, "week": week, "quiz": quiz, "exam": exam, "learners": learners}


def test_a_new_barème_recomputes_every_grade_in_the_background(
    graded_session: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    run = graded_session["run"]
    assert set(LearnerGrade.objects.filter(course_run=run).values_list("percent", flat=True)) == {
        D(50)
    }
    with django_capture_on_commit_callbacks(execute=True):
        _set_policy(run, [("Quiz", 80, 0), ("Examen", 20, 0)])

    job = GradeRecomputation.objects.get(course_run=run, policy_version=2)
    assert (job.status, job.content_version, job.learners) == (RecomputationStatus.DONE, 1, 3)
    assert list(
        LearnerGrade.objects.filter(course_run=run)
        .values_list("percent", "policy_version")
        .distinct()
    ) == [(D(80), 2)]


def test_asking_twice_or_running_twice_does_the_work_once(
    graded_session: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    run = graded_session["run"]
    with django_capture_on_commit_callbacks(execute=True):
        _set_policy(run, [("Quiz", 80, 0), ("Examen", 20, 0)])
        again = services.grades_recompute_request(course_run=run)
    job = GradeRecomputation.objects.get(course_run=run, policy_version=2)
    assert again == job
    finished = job.finished_at
    with CaptureQueriesContext(connection) as queries:
        services.grades_recompute_run(recomputation_id=job.pk)
    job.refresh_from_db()
    assert job.finished_at == finished
    assert len(queries) <= 3  # the lock and the job: no grade touched


def test_an_outdated_request_is_superseded_and_changes_nothing(
    graded_session: dict[str, Any],
) -> None:
    run = graded_session["run"]
    _set_policy(run, [("Quiz", 80, 0), ("Examen", 20, 0)])  # version 2, not run (no commit)
    stale = GradeRecomputation.objects.get(course_run=run, policy_version=1, content_version=1)
    GradeRecomputation.objects.filter(pk=stale.pk).update(status=RecomputationStatus.QUEUED)
    before = list(LearnerGrade.objects.filter(course_run=run).values_list("percent", "updated_at"))

    job = services.grades_recompute_run(recomputation_id=stale.pk)

    assert job.status == RecomputationStatus.SUPERSEDED
    assert (
        list(LearnerGrade.objects.filter(course_run=run).values_list("percent", "updated_at"))
        == before
    )


def test_publishing_recomputes_only_when_what_counts_changed(
    graded_session: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    run, week = graded_session["run"], graded_session["week"]
    with django_capture_on_commit_callbacks(execute=True):
        text_block(week, "Un paragraphe de plus.")
        courseware.courseware_publish(course_run=run)
    assert not GradeRecomputation.objects.filter(course_run=run, content_version=2).exists()

    with django_capture_on_commit_callbacks(execute=True):
        courseware.block_update(block=graded_session["exam"], data={
            "prompt": "Le fleuve de Kinshasa ?", "accepted": "Congo", "assessment_type": "Quiz"
        })  # fmt: skip
        courseware.courseware_publish(course_run=run)

    job = GradeRecomputation.objects.get(course_run=run, content_version=3)
    assert job.status == RecomputationStatus.DONE
    # Both problems are quizzes now: 1 and 0 average to 50 % of the quiz, 50 % weight.
    assert set(
        LearnerGrade.objects.filter(course_run=run).values_list("percent", "content_version")
    ) == {(D(25), 3)}


def test_type_scores_are_kept_to_four_decimals(db: None) -> None:
    run = CourseRunFactory()
    _set_policy(run, [("Quiz", 100, 0)])
    outline = _outline([{"key": "u", "title": "U", "blocks": [_problem(k, "Quiz") for k in "abc"]}])
    learner = UserFactory()
    _scores(run, learner, {"a": D(1)})
    recompute.grades_compute(course_run_id=run.pk, outline=outline, content_version=1, now=NOW)
    grade = LearnerGrade.objects.get(user=learner)
    assert grade.by_type[0]["score"] == "0.3333"
    assert grade.percent == (D(100) / 3).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_programme_staff_run_a_failed_recomputation_again_from_the_admin(
    client: Any, graded_session: dict[str, Any]
) -> None:
    from django.urls import reverse

    from sankore.accounts.models import Role
    from sankore.accounts.tests.factories import RoleAssignmentFactory

    run = graded_session["run"]
    _set_policy(run, [("Quiz", 80, 0), ("Examen", 20, 0)])  # version 2 (no commit: not run)
    failed = GradeRecomputation.objects.get(course_run=run, policy_version=2)
    GradeRecomputation.objects.filter(pk=failed.pk).update(status=RecomputationStatus.FAILED)
    staff = RoleAssignmentFactory(role=Role.PROGRAMME_STAFF).user
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client.force_login(staff)
    url = reverse("admin:assessments_graderecomputation_changelist")

    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "run_again", "_selected_action": [failed.pk]})

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == RecomputationStatus.DONE
    assert set(LearnerGrade.objects.filter(course_run=run).values_list("percent", flat=True)) == {
        D(80)
    }
