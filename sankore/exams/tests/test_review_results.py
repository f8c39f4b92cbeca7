"""Review of the results pages: scores the team may type that used to crash the page, a CSV
cell that used to crash the import, and who may enter results and act as the jury."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.exams import results
from sankore.exams.models import ExamResult, ExamSitting
from sankore.exams.results import ResultError, ResultRowsError
from sankore.exams.tests.result_helpers import AFTER_THE_EXAM, exam

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys_dir(settings: Any, tmp_path: Path) -> None:
    settings.CREDENTIALS_KEYS_DIR = tmp_path / "keys"


# Numbers ``number_parse`` reads but that no score is: too big for two decimals in the
# decimal context (« 1e309 », 30 digits), too precise, not a number at all.
BAD_SCORES = ["1e309", "1E30", "999999999999999999999999999999", "-1e309", "1e-400", "12,345"]
NOT_NUMBERS = ["NaN", "inf", "-Infinity", "1e", "12,3.4", "½"]


@pytest.mark.parametrize("text", BAD_SCORES + NOT_NUMBERS)
def test_a_score_out_of_decimal_range_is_refused_with_a_message_on_the_page(
    client: Client, text: str
) -> None:
    given = exam(candidates=1)
    client.force_login(given.team)

    refused = client.post(
        reverse("exams:results", args=[given.sitting.pk]),
        {f"note_{given.candidates[0].pk}": text},
    )

    assert refused.status_code == 400
    assert 'class="errorlist"' in refused.content.decode()
    assert not ExamResult.objects.exists()


@pytest.mark.parametrize("text", BAD_SCORES)
def test_the_service_refuses_such_a_score_one_by_one_too(text: str) -> None:
    given = exam(candidates=1)
    score = results.results_csv.score_parse(text)
    assert score is not None
    assert score.score is not None

    with pytest.raises(ResultError) as refused:
        results.result_record(
            registration=given.candidates[0], score=score.score, absent=False, by=given.team,
            now=AFTER_THE_EXAM,
        )  # fmt: skip

    assert refused.value.code in ("score_out_of_range", "score_decimals")
    assert not ExamResult.objects.exists()


@pytest.mark.parametrize("text", ["1e309", "999999999999999999999999999999"])
def test_an_import_with_a_huge_score_lists_the_line_and_stores_nothing(
    client: Client, text: str
) -> None:
    given = exam(candidates=2)
    client.force_login(given.team)
    data = f"place;note\n1;12\n2;{text}\n".encode()

    refused = client.post(
        reverse("exams:results_import", args=[given.sitting.pk]),
        {"file": SimpleUploadedFile("notes.csv", data, "text/csv")},
    )

    assert refused.status_code == 400
    assert "Ligne 3" in refused.content.decode()
    assert not ExamResult.objects.exists()


@pytest.mark.parametrize("seat", ["²", "①", "٣", "99999999999999999999999", "9" * 5000])
def test_an_import_with_a_strange_seat_number_says_so_and_stores_nothing(
    client: Client, seat: str
) -> None:
    given = exam(candidates=1)
    client.force_login(given.team)
    data = f"place;note\n{seat};12\n".encode()

    refused = client.post(
        reverse("exams:results_import", args=[given.sitting.pk]),
        {"file": SimpleUploadedFile("notes.csv", data, "text/csv")},
    )

    assert refused.status_code == 400
    assert "Ligne 2" in refused.content.decode()
    assert not ExamResult.objects.exists()


def test_a_results_form_with_missing_or_unknown_fields_stores_only_what_it_names(
    client: Client,
) -> None:
    given = exam(candidates=2)
    client.force_login(given.team)
    url = reverse("exams:results", args=[given.sitting.pk])

    # A missing field is a candidate not entered yet; a made-up one is ignored.
    saved = client.post(url, {f"note_{given.candidates[0].pk}": "12", "note_999999": "20"})

    assert saved.status_code == 302
    assert list(ExamResult.objects.values_list("registration_id", flat=True)) == [
        given.candidates[0].pk
    ]


# --- Who is the jury ----------------------------------------------------------------------


def _tutor_of(sitting: ExamSitting) -> Any:
    tutor = UserFactory()
    course_team_member_set(course=sitting.course_run.course, user=tutor, role=CourseTeamRole.TUTOR)
    return tutor


def test_a_tutor_neither_enters_results_nor_validates_them(client: Client) -> None:
    # Tutors follow learners, they do not certify them (the credentials app's rule): the
    # jury's validation issues certificates, so it is not theirs, nor are the scores.
    given = exam(candidates=1)
    tutor = _tutor_of(given.sitting)
    client.force_login(tutor)
    pk = given.sitting.pk

    assert client.get(reverse("exams:results", args=[pk])).status_code == 403
    assert (
        client.post(
            reverse("exams:results", args=[pk]), {f"note_{given.candidates[0].pk}": "15"}
        ).status_code
        == 403
    )
    upload = SimpleUploadedFile("notes.csv", b"place;note\n1;15\n", "text/csv")
    assert (
        client.post(reverse("exams:results_import", args=[pk]), {"file": upload}).status_code == 403
    )
    assert client.post(reverse("exams:results_validate", args=[pk])).status_code == 403
    assert client.post(reverse("exams:results_publish_retry", args=[pk])).status_code == 403
    with pytest.raises(ResultError) as refused:
        results.results_enter(
            sitting=given.sitting, texts={given.candidates[0].pk: "15"}, by=tutor,
            now=AFTER_THE_EXAM,
        )  # fmt: skip
    assert refused.value.code == "not_allowed"
    assert not isinstance(refused.value, ResultRowsError)
    assert not ExamResult.objects.exists()
    given.sitting.refresh_from_db()
    assert given.sitting.results_validated_at is None


def test_the_course_instructor_still_enters_results(client: Client) -> None:
    given = exam(candidates=1)
    instructor = UserFactory()
    course_team_member_set(course=given.run.course, user=instructor, role=CourseTeamRole.INSTRUCTOR)
    client.force_login(instructor)

    assert client.get(reverse("exams:results", args=[given.sitting.pk])).status_code == 200


def test_the_results_email_subject_is_text_not_html_escaped(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    # A subject is plain text: rendered with autoescape, « R&D » read « R&amp;D ».
    given = exam(candidates=1)
    given.run.course.title = "Eau & assainissement <urbain>"
    given.run.course.save(update_fields=["title"])
    results.results_enter(
        sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
        texts={given.candidates[0].pk: "12"},
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)

    (sent,) = mailoutbox
    assert sent.subject == "Résultats de l’examen « Eau & assainissement <urbain> »"
