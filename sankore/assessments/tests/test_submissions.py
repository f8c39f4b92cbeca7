"""Answering problems: graded on the server, stored append-only, idempotent, within the
attempts; the learner's grade follows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import services
from sankore.assessments.block_types import AnswerError
from sankore.assessments.models import LearnerGrade, ProblemScore, Submission
from sankore.assessments.services import AttemptsExhaustedError, TypeLine
from sankore.catalog.models import CourseRun, Pacing
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.core.errors import NotFoundError, ServiceError
from sankore.courseware import services as courseware
from sankore.courseware.models import PublishedBlock, PublishedOutline
from sankore.courseware.tests.factories import chapter, text_block, unit
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db

CHOICES = "[ ] Dakar // Non : Dakar est la capitale du Sénégal.\n[x] Ouagadougou\n[ ] Bamako"


def _post(**values: str | list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


@pytest.fixture
def quiz(db: None) -> dict:  # type: ignore[type-arg]
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    week = unit(chapter(run, "Semaine 1"), "Quiz")
    text_block(week, "Révisons.")
    capital = courseware.block_create(
        unit=week, kind="choice", title="Capitale",
        data={"prompt": "Capitale du Burkina Faso ?", "choices": CHOICES, "max_attempts": 2,
              "assessment_type": "Quiz", "points": "2", "explanation": "C'est **Ouagadougou**."},
    )  # fmt: skip
    pi = courseware.block_create(
        unit=week, kind="numeric", title="Pi",
        data={"prompt": "Valeur de π à 0,01 près ?", "answer": "3,14", "tolerance": "0,01",
              "assessment_type": "Examen", "points": "1"},
    )  # fmt: skip
    word = courseware.block_create(
        unit=week, kind="short_text", title="Mot",
        data={"prompt": "Le fleuve de Bamako ?", "accepted": "Niger\nle Niger"},
    )  # fmt: skip
    services.grading_policy_set(
        course_run=run,
        passing_percent=Decimal(60),
        types=[TypeLine("Quiz", Decimal(40)), TypeLine("Examen", Decimal(60))],
    )
    publication = courseware.courseware_publish(course_run=run)
    learner = UserFactory()
    enrolment_create(user=learner, course_run=run)
    return {"run": run, "publication": publication, "learner": learner, "capital": capital,
            "pi": pi, "word": word}  # fmt: skip


def _submit(quiz: dict, block, token: str, **answer: str | list[str]):  # type: ignore[no-untyped-def,type-arg]
    return services.submission_create(
        user=quiz["learner"], course_run=quiz["run"], publication=quiz["publication"],
        block_key=block.key, answer_data=_post(**answer), client_token=token,
    )  # fmt: skip


def test_correct_answers_stay_on_the_server(quiz) -> None:  # type: ignore[no-untyped-def]
    published = PublishedBlock.objects.get(publication=quiz["publication"], key=quiz["capital"].key)

    assert "correct" not in str(published.content)
    assert "Ouagadougou" in str(published.content)  # the choice itself, not which is right
    assert published.grading is not None
    assert published.grading["correct"] == ["c2"]
    assert published.grading["explanation_html"] == "<p>C'est <strong>Ouagadougou</strong>.</p>\n"


def test_a_wrong_then_right_answer_is_stored_twice_and_grades_the_learner(quiz) -> None:  # type: ignore[no-untyped-def]
    wrong = _submit(quiz, quiz["capital"], "t1", choice="c1")
    right = _submit(quiz, quiz["capital"], "t2", choice="c2")

    assert (wrong.result.correct, wrong.result.score) == (False, Decimal(0))
    assert wrong.result.feedback == ["<p>Non : Dakar est la capitale du Sénégal.</p>\n"]
    assert (right.result.correct, right.submission.attempt) == (True, 2)
    assert list(Submission.objects.order_by("attempt").values_list("answer", "score")) == [
        (["c1"], Decimal("0.0000")),
        (["c2"], Decimal("1.0000")),
    ]
    grade = LearnerGrade.objects.get(user=quiz["learner"])
    # Quiz (40 %): 1; Examen (60 %): 0 → 40 %, under the 60 % threshold.
    assert (grade.percent, grade.passed) == (Decimal("40.00"), False)

    _submit(quiz, quiz["pi"], "t3", answer="3,145")

    grade.refresh_from_db()
    assert (grade.percent, grade.passed) == (Decimal("100.00"), True)
    assert grade.passed_at is not None


def test_the_same_token_twice_is_one_submission(quiz) -> None:  # type: ignore[no-untyped-def]
    first = _submit(quiz, quiz["capital"], "same", choice="c1")
    again = _submit(quiz, quiz["capital"], "same", choice="c2")

    assert again.replayed
    assert again.submission.pk == first.submission.pk
    assert Submission.objects.count() == 1
    assert ProblemScore.objects.get().attempts == 1


def test_no_answer_past_the_last_attempt(quiz) -> None:  # type: ignore[no-untyped-def]
    _submit(quiz, quiz["capital"], "a", choice="c1")
    _submit(quiz, quiz["capital"], "b", choice="c3")

    with pytest.raises(AttemptsExhaustedError):
        _submit(quiz, quiz["capital"], "c", choice="c2")

    assert Submission.objects.count() == 2
    assert ProblemScore.objects.get().score == 0


@pytest.mark.parametrize(
    ("block", "answer", "code"),
    [
        ("capital", {}, "empty_answer"),
        ("capital", {"choice": ["c1", "c2"]}, "one_answer"),
        ("capital", {"choice": "zzz"}, "unknown_choice"),
        ("pi", {"answer": "trois"}, "not_a_number"),
        ("pi", {"answer": ""}, "empty_answer"),
        ("word", {"answer": "x" * 1_000_000}, "answer_too_long"),
    ],
)
def test_malformed_answers_are_refused_and_nothing_is_stored(
    quiz, block: str, answer: dict, code: str
) -> None:  # type: ignore[no-untyped-def,type-arg]
    with pytest.raises(AnswerError) as refused:
        _submit(quiz, quiz[block], "t", **answer)

    assert refused.value.code == code
    assert (Submission.objects.count(), ProblemScore.objects.count()) == (0, 0)


def test_text_answers_are_normalised(quiz) -> None:  # type: ignore[no-untyped-def]
    assert _submit(quiz, quiz["word"], "t", answer="  LE niger ").result.correct


def test_a_problem_of_another_course_is_refused(quiz) -> None:  # type: ignore[no-untyped-def]
    other = CourseRunFactory()
    foreign = courseware.block_create(
        unit=unit(chapter(other)), kind="short_text", data={"prompt": "?", "accepted": "a"}
    )
    courseware.courseware_publish(course_run=other)

    with pytest.raises(NotFoundError):
        _submit(quiz, foreign, "t", answer="a")
    with pytest.raises(NotFoundError):
        services.submission_create(
            user=quiz["learner"], course_run=quiz["run"],
            publication=PublishedOutline.objects.get(course_run=other), block_key=foreign.key,
            answer_data=_post(answer="a"), client_token="t",
        )  # fmt: skip
    assert Submission.objects.count() == 0


def test_a_text_block_is_not_a_problem(quiz) -> None:  # type: ignore[no-untyped-def]
    text = quiz["run"].chapters.get().units.get().blocks.get(kind="text")

    with pytest.raises(NotFoundError):
        _submit(quiz, text, "t", answer="x")


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([TypeLine("Quiz", Decimal(40)), TypeLine("Examen", Decimal(50))], "weights_total"),
        ([TypeLine("Quiz", Decimal(50)), TypeLine("Quiz", Decimal(50))], "type_names"),
        ([], "no_type"),
    ],
)
def test_a_policy_whose_weights_do_not_add_up_is_refused(quiz, lines, code: str) -> None:  # type: ignore[no-untyped-def]
    before = services.policy_as_text(quiz["run"].grading)

    with pytest.raises(ServiceError) as refused:
        services.grading_policy_set(
            course_run=quiz["run"], passing_percent=Decimal(50), types=lines
        )

    assert refused.value.code == code
    quiz["run"].grading.refresh_from_db()
    assert services.policy_as_text(quiz["run"].grading) == before


def test_policy_lines_read_as_authors_write_them() -> None:
    assert services.policy_lines_parse("Quiz ; 30 ; 2\nExamen;70") == [
        TypeLine("Quiz", Decimal(30), 2),
        TypeLine("Examen", Decimal(70), 0),
    ]
    with pytest.raises(ServiceError):
        services.policy_lines_parse("Quiz trente")


def test_problem_data_is_checked_when_authored(db: None) -> None:
    run: CourseRun = CourseRunFactory()
    target = unit(chapter(run))

    with pytest.raises(ServiceError) as no_right_answer:
        courseware.block_create(
            unit=target, kind="choice", data={"prompt": "?", "choices": "[ ] a\n[ ] b"}
        )
    with pytest.raises(ServiceError) as bad_pattern:
        courseware.block_create(
            unit=target, kind="short_text", data={"prompt": "?", "pattern": "(("}
        )

    assert no_right_answer.value.code == "choices"
    assert bad_pattern.value.code == "pattern"


def test_ordering_and_matching_problems_are_graded_by_shares(db: None) -> None:
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    target = unit(chapter(run), "Associer")
    ordering = courseware.block_create(
        unit=target, kind="ordering",
        data={"prompt": "Remettez dans l'ordre", "items": "Objectifs\nActivités\nÉvaluation"},
    )  # fmt: skip
    matching = courseware.block_create(
        unit=target, kind="matching",
        data={"prompt": "Associez", "pairs": "Sénégal = Dakar\nMali = Bamako\nNiger = Niamey"},
    )  # fmt: skip
    publication = courseware.courseware_publish(course_run=run)
    learner = UserFactory()
    enrolment_create(user=learner, course_run=run)
    published = PublishedBlock.objects.get(publication=publication, key=matching.key)
    rights = {choice["html"]: choice["id"] for choice in published.content["choices"]}
    assert "Dakar" in str(published.content)
    assert "p1" not in str([c["id"] for c in published.content["choices"]])

    def submit(block, token: str, **answer: str):  # type: ignore[no-untyped-def]
        return services.submission_create(
            user=learner, course_run=run, publication=publication, block_key=block.key,
            answer_data=_post(**answer), client_token=token,
        )  # fmt: skip

    half = submit(ordering, "o1", **{"position-i1": "1", "position-i2": "3", "position-i3": "2"})
    whole = submit(ordering, "o2", **{"position-i1": "1", "position-i2": "2", "position-i3": "3"})
    dakar, niamey = rights["<p>Dakar</p>\n"], rights["<p>Niamey</p>\n"]
    two_of_three = submit(
        matching, "m1", **{"match-p1": dakar, "match-p2": niamey, "match-p3": niamey}
    )

    assert half.result.score == Decimal(1) / Decimal(3)
    assert whole.result.correct
    assert two_of_three.result.score == Decimal(2) / Decimal(3)
    with pytest.raises(AnswerError) as refused:
        submit(ordering, "o3", **{"position-i1": "1", "position-i2": "1", "position-i3": "2"})
    assert refused.value.code == "not_a_permutation"


def test_no_answer_after_the_due_date(quiz) -> None:  # type: ignore[no-untyped-def]
    import datetime

    from django.utils import timezone

    from sankore.assessments.services import PastDueError

    with pytest.raises(PastDueError):
        services.submission_create(
            user=quiz["learner"], course_run=quiz["run"], publication=quiz["publication"],
            block_key=quiz["capital"].key, answer_data=_post(choice="c2"), client_token="late",
            due_at=timezone.now() - datetime.timedelta(minutes=1),
        )  # fmt: skip

    assert Submission.objects.count() == 0
