"""An on-platform exam grades itself: the checked-in candidates' scores on the exam unit,
weighted by each problem's points and scaled to the sitting's maximum; absent when not
checked in; a result the team entered by hand is kept."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from sankore.assessments import selectors as assessment_selectors
from sankore.assessments import services as assessments
from sankore.assessments.services import TypeLine
from sankore.catalog.models import Pacing
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware import selectors as courseware_selectors
from sankore.courseware import services as courseware
from sankore.courseware.tests.factories import chapter, unit
from sankore.exams import results
from sankore.exams.models import ExamMode, ExamRegistration, ExamResult, ResultSource
from sankore.exams.results import ResultError
from sankore.exams.results_platform import results_collect_from_platform
from sankore.exams.tests.factories import campus_staff, centre
from sankore.exams.tests.result_helpers import (
    AFTER_THE_EXAM,
    DURING_THE_EXAM,
    Exam,
    exam,
    past_sitting,
    team_member,
)
from sankore.exams.window import exam_window_open

pytestmark = pytest.mark.django_db

OPENS = datetime.datetime(2024, 6, 12, 9, 0, tzinfo=datetime.UTC)
CODE = "K7QM2X"


@pytest.fixture
def online() -> dict[str, Any]:
    """A supervised exam unit of two problems worth 3 and 1 points; four candidates."""
    run = CourseRunFactory(pacing=Pacing.INSTRUCTOR_LED, course__offers_certificate=True)
    final = unit(chapter(run, "Examen"), "Examen final")
    numeric = courseware.block_create(
        unit=final, kind="numeric", title="Débit",
        data={"prompt": "6 × 7 ?", "answer": "42", "assessment_type": "Examen", "points": "3"},
    )  # fmt: skip
    river = courseware.block_create(
        unit=final, kind="short_text", title="Fleuve",
        data={"prompt": "Le fleuve de Niamey ?", "accepted": "Niger",
              "assessment_type": "Examen", "points": "1"},
    )  # fmt: skip
    courseware.unit_update(
        unit=final, is_supervised_exam=True, exam_access_code=CODE, exam_opens_at=OPENS,
        exam_closes_at=OPENS + datetime.timedelta(hours=2),
    )  # fmt: skip
    assessments.grading_policy_set(
        course_run=run, passing_percent=Decimal(50), types=[TypeLine("Examen", Decimal(100))]
    )
    publication = courseware.courseware_publish(course_run=run)
    dakar = centre()
    given = Exam(
        run=run, centre=dakar, team=team_member(run),
        sitting=past_sitting(at=dakar, run=run, mode=ExamMode.PLATFORM, exam_unit_key=final.key),
    )  # fmt: skip
    given.register(4)
    outline_unit = courseware_selectors.outline_of(publication).unit(final.key)
    cache.clear()
    return {"exam": given, "publication": publication, "unit": outline_unit,
            "numeric": numeric.key, "river": river.key, "code": _window_opened(given)}  # fmt: skip


def _window_opened(given: Exam) -> str:
    """The centre's staff open the sitting's window at its start: the code they read out."""
    return exam_window_open(sitting=given.sitting, by=campus_staff(given.centre), now=OPENS).code


def _answers(online: dict[str, Any], registration: ExamRegistration, **answers: str) -> None:
    given: Exam = online["exam"]
    given.check_in(registration)
    learner = registration.learner
    assessments.exam_access_grant(
        user=learner, course_run=given.run, unit=online["unit"], code=online["code"],
        now=DURING_THE_EXAM,
    )  # fmt: skip
    for name, text in answers.items():
        data = QueryDict(mutable=True)
        data["answer"] = text
        assessments.submission_create(
            user=learner, course_run=given.run, publication=online["publication"],
            block_key=online[name], answer_data=data, client_token=f"{learner.pk}-{name}",
            due_at=online["unit"].due_for(enrolled_at=None), now=DURING_THE_EXAM,
        )  # fmt: skip


def test_the_platform_scores_the_checked_in_candidates_and_marks_the_others_absent(
    online: dict[str, Any],
) -> None:
    given: Exam = online["exam"]
    perfect, river_only, silent, away = given.candidates
    _answers(online, perfect, numeric="42", river="niger")
    _answers(online, river_only, numeric="41", river="Niger")
    _answers(online, silent)

    collected = results_collect_from_platform(sitting=given.sitting, by=given.team,
                                              now=AFTER_THE_EXAM)  # fmt: skip

    assert (collected.stored, collected.passed, collected.absent, collected.kept) == (4, 1, 1, 0)
    stored = {
        r.registration_id: (r.score, r.absent, r.passed, r.source) for r in ExamResult.objects.all()
    }
    assert stored == {
        perfect.pk: (Decimal("20.00"), False, True, ResultSource.PLATFORM),
        river_only.pk: (Decimal("5.00"), False, False, ResultSource.PLATFORM),  # 1 point of 4
        silent.pk: (Decimal("0.00"), False, False, ResultSource.PLATFORM),
        away.pk: (None, True, False, ResultSource.PLATFORM),
    }


def test_collecting_again_keeps_what_the_team_entered_by_hand(online: dict[str, Any]) -> None:
    given: Exam = online["exam"]
    perfect, corrected, *_others = given.candidates
    _answers(online, perfect, numeric="42", river="Niger")
    _answers(online, corrected, numeric="1")
    results_collect_from_platform(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)
    # After an incident in the room, the jury grades this candidate's copy by hand.
    results.result_record(
        registration=corrected, score=Decimal(11), absent=False, by=given.team,
        now=AFTER_THE_EXAM,
    )  # fmt: skip

    again = results_collect_from_platform(sitting=given.sitting, by=given.team,
                                          now=AFTER_THE_EXAM)  # fmt: skip

    assert (again.stored, again.kept) == (0, 1)
    kept = ExamResult.objects.get(registration=corrected)
    assert (kept.score, kept.source) == (Decimal(11), ResultSource.ENTERED)


def test_collecting_is_refused_during_the_exam_for_paper_and_for_others(
    online: dict[str, Any],
) -> None:
    given: Exam = online["exam"]
    paper = exam(candidates=1)

    with pytest.raises(ResultError) as during:
        results_collect_from_platform(sitting=given.sitting, by=given.team, now=DURING_THE_EXAM)
    with pytest.raises(ResultError) as on_paper:
        results_collect_from_platform(sitting=paper.sitting, by=paper.team, now=AFTER_THE_EXAM)
    with pytest.raises(ResultError) as centre_staff:
        results_collect_from_platform(
            sitting=given.sitting, by=campus_staff(given.centre), now=AFTER_THE_EXAM
        )

    assert (during.value.code, on_paper.value.code, centre_staff.value.code) == (
        "sitting_not_ended",
        "not_on_platform",
        "not_allowed",
    )
    assert not ExamResult.objects.exists()


def test_the_results_page_offers_the_platform_button_and_it_collects(
    online: dict[str, Any], client: Client
) -> None:
    given: Exam = online["exam"]
    _answers(online, given.candidates[0], numeric="42", river="Niger")
    client.force_login(given.team)
    url = reverse("exams:results", args=[given.sitting.pk])
    collect = reverse("exams:results_collect", args=[given.sitting.pk])

    assert f'action="{collect}"' in client.get(url).content.decode()
    page = client.post(collect, follow=True)

    assert (
        "Notes relevées sur la plateforme : 4 enregistrées (1 admis, 3 absents)."
        in page.content.decode()
    )
    assert ExamResult.objects.count() == 4


def test_in_a_pool_a_candidate_is_scored_on_the_problems_drawn_for_them(db: None) -> None:
    run = CourseRunFactory(pacing=Pacing.INSTRUCTOR_LED, course__offers_certificate=True)
    final = unit(chapter(run, "Examen"), "Examen final")
    problems = {
        courseware.block_create(
            unit=final, kind="numeric", title=f"Calcul {n}",
            data={"prompt": f"{n} × 2 ?", "answer": str(n * 2), "assessment_type": "Examen",
                  "points": str(n)},
        ).key: str(n * 2)
        for n in (1, 2, 3)
    }  # fmt: skip
    courseware.unit_update(
        unit=final, pool_size=1, is_supervised_exam=True, exam_access_code=CODE,
        exam_opens_at=OPENS, exam_closes_at=OPENS + datetime.timedelta(hours=2),
    )  # fmt: skip
    assessments.grading_policy_set(
        course_run=run, passing_percent=Decimal(50), types=[TypeLine("Examen", Decimal(100))]
    )
    publication = courseware.courseware_publish(course_run=run)
    outline_unit = courseware_selectors.outline_of(publication).unit(final.key)
    assert outline_unit is not None
    dakar = centre()
    given = Exam(
        run=run, centre=dakar, team=team_member(run),
        sitting=past_sitting(at=dakar, run=run, mode=ExamMode.PLATFORM, exam_unit_key=final.key),
    )  # fmt: skip
    (candidate,) = given.register(1)
    given.check_in(candidate)
    learner = candidate.learner
    assessments.exam_access_grant(
        user=learner, course_run=run, unit=outline_unit, code=_window_opened(given),
        now=DURING_THE_EXAM,
    )  # fmt: skip
    (drawn,) = assessment_selectors.problems_drawn(user=learner, course_run=run,
                                                    unit=outline_unit)  # fmt: skip
    data = QueryDict(mutable=True)
    data["answer"] = problems[drawn]
    assessments.submission_create(
        user=learner, course_run=run, publication=publication, block_key=drawn, answer_data=data,
        client_token="t-1", due_at=outline_unit.due_for(enrolled_at=None), now=DURING_THE_EXAM,
    )  # fmt: skip

    results_collect_from_platform(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)

    assert ExamResult.objects.get().score == Decimal("20.00")  # the whole of their one problem
