"""Peer assessment: one response per learner, reviews handed out fairly and never twice, a
median grade, and a deadline after which nobody waits for missing reviews."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import peer
from sankore.assessments import services as assessment_services
from sankore.assessments.models import (
    LearnerGrade,
    OpenResponse,
    OpenResponseStatus,
    PeerGradeChange,
    PeerReview,
    ProblemScore,
    ScoreSource,
)
from sankore.assessments.peer_block import OpenResponseType
from sankore.assessments.peer_files import ResponseFileError
from sankore.assessments.peer_rubric import (
    RubricError,
    peer_score,
    rubric_as_text,
    rubric_clean,
    rubric_parse,
)
from sankore.catalog.models import Pacing
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.core.errors import ServiceError
from sankore.courseware import services as courseware
from sankore.courseware.tests.factories import chapter, unit
from sankore.learning.services import enrolment_create

RUBRIC = "Clarté : Confus=0 | Correct=1 | Excellent=2\nArguments : Absents=0 | Solides=2"
NOW = timezone.make_aware(datetime.datetime(2025, 3, 3, 9, 0))
LATER = NOW + datetime.timedelta(days=8)


def scores(clarity: str, arguments: str) -> dict[str, str]:
    return {"c1": clarity, "c2": arguments}


def build(
    peers: int = 2, *, self_assessment: bool = True, allow_file: bool = True, learners: int = 4
):  # type: ignore[no-untyped-def]
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    week = unit(chapter(run, "Semaine 1"), "Devoir")
    block = courseware.block_create(
        unit=week, kind="open_response", title="Essai",
        data={"prompt": "Décrivez un dispositif de tutorat.", "allow_text": True,
              "allow_file": allow_file, "file_types": ["pdf", "txt", "png"], "rubric": RUBRIC,
              "peers": peers, "self_assessment": self_assessment, "delay_days": 7,
              "assessment_type": "Devoir", "points": "4"},
    )  # fmt: skip
    assessment_services.grading_policy_set(
        course_run=run,
        passing_percent=Decimal(50),
        types=[assessment_services.TypeLine("Devoir", Decimal(100))],
    )
    publication = courseware.courseware_publish(course_run=run)
    people = [UserFactory() for _ in range(learners)]
    for person in people:
        enrolment_create(user=person, course_run=run)
    return run, publication, block.key, people


def submit(run, publication, key, user, text="Mon essai.", upload=None, token=None, **extra):  # type: ignore[no-untyped-def]
    return peer.open_response_submit(
        user=user, course_run=run, publication=publication, block_key=key, text=text,
        upload=upload, client_token=token or f"t-{user.pk}", now=extra.pop("now", NOW), **extra,
    )  # fmt: skip


def review(run, key, reviewer, clarity="n3", arguments="n2", now=NOW):  # type: ignore[no-untyped-def]
    allocated = peer.peer_review_allocate(reviewer=reviewer, course_run=run, block_key=key, now=now)
    return peer.peer_review_submit(
        reviewer=reviewer, course_run=run, block_key=key,
        response_id=str(allocated.response.public_id), scores=scores(clarity, arguments),
        comment="Bien.", now=now,
    )  # fmt: skip


pytestmark = pytest.mark.django_db


# The rubric


def test_a_rubric_reads_the_compact_syntax_and_round_trips() -> None:
    criteria = rubric_clean(rubric_parse(RUBRIC))

    assert criteria[0] == {
        "id": "c1",
        "name": "Clarté",
        "levels": [
            {"id": "n1", "label": "Confus", "points": "0"},
            {"id": "n2", "label": "Correct", "points": "1"},
            {"id": "n3", "label": "Excellent", "points": "2"},
        ],
    }
    assert rubric_as_text(criteria) == "Clarté : Confus=0 | Correct=1 | Excellent=2\n" + (
        "Arguments : Absents=0 | Solides=2"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "rubric_empty"),
        ("Clarté sans deux-points", "rubric_line"),
        ("Clarté : Confus | Bien=1", "rubric_level"),
        ("Clarté : Seul=1", "rubric_levels"),
        ("Clarté : Bas=-1 | Haut=1", "rubric_points"),
        ("Clarté : Bas=0 | Haut=0", "rubric_zero"),
    ],
)
def test_an_unreadable_rubric_is_refused_with_its_reason(text: str, code: str) -> None:
    with pytest.raises(RubricError) as refused:
        rubric_clean(rubric_parse(text))

    assert refused.value.code == code


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=9))
def test_the_score_is_the_median_of_the_totals_over_the_maximum(totals: list[int]) -> None:
    score = peer_score([Decimal(t) for t in totals], max_points=Decimal(40))

    ordered = sorted(totals)
    middle = len(ordered) // 2
    median = (
        Decimal(ordered[middle])
        if len(ordered) % 2
        else (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2
    )
    assert score == (median / 40).quantize(Decimal("0.0001"))
    assert Decimal(0) <= score <= Decimal(1)
    # No single extreme review moves the median past the other totals' range.
    assert peer_score([Decimal(t) for t in [*totals, 40, 0]], max_points=Decimal(40)) >= min(
        Decimal(t) for t in totals
    ) / 40 - Decimal("0.0001")


def test_the_block_needs_a_prompt_an_answer_kind_and_a_rubric() -> None:
    block_type = OpenResponseType()
    base = {"prompt": "Écrivez.", "allow_text": True, "rubric": RUBRIC}

    assert block_type.clean(data=base, course_id=1)["peers"] == 3
    for broken, code in [
        ({**base, "prompt": " "}, "prompt_empty"),
        ({**base, "allow_text": False}, "answer_kind"),
        ({**base, "allow_file": True, "file_types": ["exe"]}, "file_types"),
        ({**base, "peers": 0}, "integer_range"),
        ({**base, "rubric": ""}, "rubric_empty"),
    ]:
        with pytest.raises(ServiceError) as refused:
            block_type.clean(data=broken, course_id=1)
        assert refused.value.code == code


# Submitting


def test_a_response_is_stored_once_and_a_resent_form_is_the_same_response() -> None:
    run, publication, key, (fatou, *_others) = build()

    first = submit(run, publication, key, fatou, text="  Mon essai.\r\nFin.  ")
    again = submit(run, publication, key, fatou, text="autre chose")

    assert (first.replayed, again.replayed) == (False, True)
    assert again.response.pk == first.response.pk
    response = OpenResponse.objects.get()
    assert (response.text, response.status, response.peers_required) == (
        "Mon essai.\nFin.", OpenResponseStatus.PEERS, 2,
    )  # fmt: skip
    assert response.deadline_at == NOW + datetime.timedelta(days=7)
    assert response.rubric["max_points"] == "4"


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty_response"), ("   \n ", "empty_response"), ("x" * 1_000_000, "text_too_long")],
)
def test_an_empty_or_huge_text_is_refused_and_nothing_is_stored(text: str, code: str) -> None:
    run, publication, key, (fatou, *_others) = build()

    with pytest.raises(ServiceError) as refused:
        submit(run, publication, key, fatou, text=text)

    assert refused.value.code == code
    assert OpenResponse.objects.count() == 0


def test_a_second_response_with_another_token_is_refused() -> None:
    run, publication, key, (fatou, *_others) = build()
    submit(run, publication, key, fatou)

    with pytest.raises(peer.AlreadySubmittedError):
        submit(run, publication, key, fatou, text="Encore", token="other")

    assert OpenResponse.objects.get().text == "Mon essai."


def test_a_response_past_the_due_date_is_refused() -> None:
    run, publication, key, (fatou, *_others) = build()

    with pytest.raises(assessment_services.PastDueError):
        submit(run, publication, key, fatou, due_at=NOW - datetime.timedelta(minutes=1))

    assert OpenResponse.objects.count() == 0


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_is_stored_under_a_path_nobody_can_guess(settings) -> None:  # type: ignore[no-untyped-def]
    run, publication, key, (fatou, *_others) = build()

    outcome = submit(
        run, publication, key, fatou, text="",
        upload=SimpleUploadedFile("Fatou Diop devoir.pdf", b"%PDF-1.4 essai"),
    )  # fmt: skip

    stored = outcome.response
    assert stored.file.name.startswith(f"reponses-ouvertes/{run.pk}/")
    assert "Fatou" not in stored.file.name
    assert stored.file.name.endswith(".pdf")
    assert len(stored.file.name.rsplit("/", 1)[-1]) >= 32
    assert (stored.file_name, stored.file_type) == ("Fatou Diop devoir.pdf", "application/pdf")
    assert stored.file.read() == b"%PDF-1.4 essai"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("essai.exe", b"MZ...", "file_type"),
        ("essai.docx", _docx(), "file_type"),  # allowed by the platform, not by this block
        ("essai.pdf", b"<html>not a pdf</html>", "file_content"),
        ("photo.png", b"\xff\xd8\xff\xe0 a jpeg named png", "file_content"),
        ("notes.txt", b"\x00\x01binary", "file_content"),
        ("vide.pdf", b"", "file_empty"),
    ],
)
def test_a_file_of_the_wrong_type_or_content_is_refused(
    name: str, content: bytes, code: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    run, publication, key, (fatou, *_others) = build()

    with pytest.raises(ResponseFileError) as refused:
        submit(run, publication, key, fatou, upload=SimpleUploadedFile(name, content))

    assert refused.value.code == code
    assert OpenResponse.objects.count() == 0


def test_a_file_over_the_limit_is_refused_and_not_kept(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ASSESSMENTS_PEER_FILE_MAX_BYTES = 100
    run, publication, key, (fatou, *_others) = build()

    with pytest.raises(ResponseFileError) as refused:
        submit(
            run, publication, key, fatou, upload=SimpleUploadedFile("e.pdf", b"%PDF-" + b"x" * 200)
        )

    assert refused.value.code == "file_too_big"
    media = settings.MEDIA_ROOT / "reponses-ouvertes"
    assert not media.exists() or not any(media.rglob("*.pdf"))


def test_magic_bytes_accept_real_documents() -> None:
    from sankore.core.uploads import file_check

    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    cases = {
        "a.docx": _docx(),
        "a.odt": odt.getvalue(),
        "a.JPEG": b"\xff\xd8\xff\xe0jfif",
        "a.png": b"\x89PNG\r\n\x1a\nrest",
        "a.txt": "Réponse en UTF-8".encode(),
    }
    for name, content in cases.items():
        allowed = ["pdf", "odt", "docx", "jpg", "png", "txt"]
        assert file_check(SimpleUploadedFile(name, content), allowed=allowed, max_bytes=1000)


# Allocation


def test_a_reviewer_gets_the_response_with_fewest_reviews_never_their_own() -> None:
    run, publication, key, (a, b, c, d) = build(peers=2)
    for person in (a, b, c):
        submit(run, publication, key, person)
    review(run, key, b)  # b reviews the oldest response with fewest reviews: a's

    given = peer.peer_review_allocate(reviewer=c, course_run=run, block_key=key, now=NOW)

    assert OpenResponse.objects.get(user=a).peer_reviews_allocated == 1
    assert given.response.user_id == b.pk  # a has one already: b's has none
    with pytest.raises(peer.NothingToReviewError) as refused:
        peer.peer_review_allocate(reviewer=d, course_run=run, block_key=key, now=NOW)
    assert refused.value.code == "respond_first"


def test_the_same_allocation_is_returned_until_it_is_filled_in() -> None:
    run, publication, key, (a, b, *_rest) = build(peers=1)
    submit(run, publication, key, a)
    submit(run, publication, key, b)

    first = peer.peer_review_allocate(reviewer=a, course_run=run, block_key=key, now=NOW)
    second = peer.peer_review_allocate(reviewer=a, course_run=run, block_key=key, now=NOW)

    assert first.pk == second.pk
    assert PeerReview.objects.count() == 1


def test_allocation_never_hands_a_reviewed_response_nor_more_than_needed() -> None:
    run, publication, key, people = build(peers=2, learners=5)
    for person in people:
        submit(run, publication, key, person)
    refusals: list[str] = []
    for _round in range(3):  # one more round than needed: the extra asks are all refused
        for person in people:
            try:
                review(run, key, person)
            except peer.NothingToReviewError as refused:
                refusals.append(refused.code)

    assert set(refusals) <= {"reviews_done", "nothing_to_review"}
    pairs = list(PeerReview.objects.values_list("reviewer_id", "response__user_id"))
    assert len(pairs) == len(set(pairs)) == 10
    assert all(reviewer != author for reviewer, author in pairs)
    assert sorted(OpenResponse.objects.values_list("peer_reviews_done", flat=True)) == [2] * 5
    assert set(OpenResponse.objects.values_list("status", flat=True)) == {OpenResponseStatus.GRADED}
    assert max(PeerReview.objects.filter(reviewer=p).count() for p in people) == 2


def test_nothing_to_review_when_every_other_response_has_its_reviewers() -> None:
    run, publication, key, (a, b, c, d) = build(peers=1)
    for person in (a, b, c):
        submit(run, publication, key, person)
    for person in (b, c, a):  # b reviews a's, c reviews b's, a reviews c's
        review(run, key, person)
    submit(run, publication, key, d)

    with pytest.raises(peer.NothingToReviewError) as refused:
        peer.peer_review_allocate(reviewer=d, course_run=run, block_key=key, now=NOW)

    assert refused.value.code == "nothing_to_review"
    assert PeerReview.objects.filter(reviewer=d).count() == 0
    assert sorted(OpenResponse.objects.values_list("peer_reviews_allocated", flat=True)) == [
        0, 1, 1, 1,
    ]  # fmt: skip


def test_an_allocation_left_for_an_hour_is_released_and_its_form_refused() -> None:
    run, publication, key, (a, b, c, _d) = build(peers=1)
    for person in (a, b):
        submit(run, publication, key, person)
    stale = peer.peer_review_allocate(reviewer=a, course_run=run, block_key=key, now=NOW)
    later = NOW + datetime.timedelta(hours=1, minutes=1)
    submit(run, publication, key, c, now=later)

    peer.peer_review_allocate(reviewer=c, course_run=run, block_key=key, now=later)  # releases

    assert not PeerReview.objects.filter(pk=stale.pk).exists()
    assert OpenResponse.objects.get(user=b).peer_reviews_allocated == 0
    with pytest.raises(peer.ReviewExpiredError):
        peer.peer_review_submit(
            reviewer=a, course_run=run, block_key=key, response_id=str(stale.response.public_id),
            scores=scores("n3", "n2"), now=later,
        )  # fmt: skip
    again = peer.peer_review_allocate(reviewer=a, course_run=run, block_key=key, now=later)
    assert again.response.user_id == b.pk
    assert again.pk != stale.pk


# Reviews and the grade


def test_n_reviews_make_the_median_grade_and_the_learner_s_problem_score() -> None:
    run, publication, key, (a, b, c, _d) = build(peers=2)
    for person in (a, b, c):
        submit(run, publication, key, person)
    target = OpenResponse.objects.get(user=a)
    review(run, key, a)  # a reviews b's: a's is then the oldest of those with fewest
    for reviewer, levels in ((b, ("n3", "n2")), (c, ("n2", "n1"))):
        allocated = peer.peer_review_allocate(
            reviewer=reviewer, course_run=run, block_key=key, now=NOW
        )
        assert allocated.response_id == target.pk
        peer.peer_review_submit(
            reviewer=reviewer, course_run=run, block_key=key,
            response_id=str(target.public_id), scores=scores(*levels), now=NOW,
        )  # fmt: skip

    target.refresh_from_db()
    # Totals 4 and 1 out of 4: the median is 2.5, that is 0.625.
    assert (target.status, target.score, target.score_source) == (
        OpenResponseStatus.GRADED, Decimal("0.6250"), ScoreSource.PEERS,
    )  # fmt: skip
    score = ProblemScore.objects.get(user=a, block_key=key)
    assert (score.score, score.attempts, score.is_correct) == (Decimal("0.6250"), 1, True)
    assert LearnerGrade.objects.get(user=a).percent == Decimal("62.50")
    assert OpenResponse.objects.get(user=b).reviews_given == 1


def test_an_incomplete_review_is_refused_and_changes_nothing() -> None:
    run, publication, key, (a, b, *_rest) = build(peers=1)
    submit(run, publication, key, a)
    submit(run, publication, key, b)
    allocated = peer.peer_review_allocate(reviewer=b, course_run=run, block_key=key, now=NOW)

    for bad in ({"c1": "n3"}, {"c1": "n3", "c2": "n9"}, {"c1": "n3", "c2": "n2", "c3": "n1"}):
        with pytest.raises(peer.ReviewError):
            peer.peer_review_submit(
                reviewer=b, course_run=run, block_key=key,
                response_id=str(allocated.response.public_id), scores=bad, now=NOW,
            )  # fmt: skip

    allocated.refresh_from_db()
    assert (allocated.submitted_at, allocated.total) == (None, None)
    assert OpenResponse.objects.get(user=a).peer_reviews_done == 0


def test_a_reviewer_cannot_review_a_response_not_handed_to_them() -> None:
    run, publication, key, (a, b, c, _d) = build(peers=1)
    for person in (a, b, c):
        submit(run, publication, key, person)

    with pytest.raises(peer.ReviewExpiredError):
        peer.peer_review_submit(
            reviewer=c, course_run=run, block_key=key,
            response_id=str(OpenResponse.objects.get(user=a).public_id),
            scores=scores("n3", "n2"), now=NOW,
        )  # fmt: skip

    assert PeerReview.objects.count() == 0


def test_a_resent_review_counts_once() -> None:
    run, publication, key, (a, b, *_rest) = build(peers=2)
    submit(run, publication, key, a)
    submit(run, publication, key, b)
    allocated = peer.peer_review_allocate(reviewer=b, course_run=run, block_key=key, now=NOW)
    for _ in range(2):
        peer.peer_review_submit(
            reviewer=b, course_run=run, block_key=key,
            response_id=str(allocated.response.public_id), scores=scores("n3", "n2"), now=NOW,
        )  # fmt: skip

    assert OpenResponse.objects.get(user=a).peer_reviews_done == 1


# The delay rule


def test_before_the_deadline_a_response_waits_for_its_peers() -> None:
    run, publication, key, (a, b, *_rest) = build(peers=2)
    submit(run, publication, key, a)
    submit(run, publication, key, b)
    review(run, key, b)

    assert peer.peer_deadlines_apply(now=NOW + datetime.timedelta(days=6)) == 0

    assert OpenResponse.objects.get(user=a).status == OpenResponseStatus.PEERS


def test_past_the_deadline_the_peer_reviews_received_make_the_grade() -> None:
    run, publication, key, (a, b, *_rest) = build(peers=2)
    submit(run, publication, key, a)
    submit(run, publication, key, b)
    allocated = peer.peer_review_allocate(reviewer=b, course_run=run, block_key=key, now=NOW)
    peer.peer_review_submit(
        reviewer=b, course_run=run, block_key=key, response_id=str(allocated.response.public_id),
        scores=scores("n2", "n2"), now=NOW,
    )  # fmt: skip

    assert peer.peer_deadlines_apply(now=LATER) == 2  # a's graded, b's to the staff queue

    graded = OpenResponse.objects.get(user=a)
    assert (graded.status, graded.score, graded.score_source) == (
        OpenResponseStatus.GRADED, Decimal("0.7500"), ScoreSource.PEERS,
    )  # fmt: skip
    assert OpenResponse.objects.get(user=b).status == OpenResponseStatus.STAFF
    assert peer.peer_deadlines_apply(now=LATER) == 0  # idempotent


def test_past_the_deadline_without_peers_the_self_assessment_makes_the_grade() -> None:
    run, publication, key, (a, *_rest) = build(peers=2)
    submit(run, publication, key, a)
    peer.self_review_submit(
        user=a, course_run=run, block_key=key, scores=scores("n2", "n1"), now=NOW
    )

    assert peer.peer_deadlines_apply(now=LATER - datetime.timedelta(days=2)) == 0
    assert OpenResponse.objects.get(user=a).status == OpenResponseStatus.PEERS
    peer.peer_deadlines_apply(now=LATER)

    graded = OpenResponse.objects.get(user=a)
    assert (graded.score, graded.score_source) == (Decimal("0.2500"), ScoreSource.SELF)
    assert ProblemScore.objects.get(user=a).is_correct is False


def test_past_the_deadline_with_nothing_the_course_team_grades_it_with_an_audit() -> None:
    run, publication, key, (a, *_rest) = build(peers=2, self_assessment=False)
    submit(run, publication, key, a)
    staff = UserFactory()
    peer.peer_deadlines_apply(now=LATER)
    waiting = OpenResponse.objects.get(user=a)
    assert (waiting.status, waiting.score) == (OpenResponseStatus.STAFF, None)
    assert not ProblemScore.objects.filter(user=a).exists()

    peer.peer_grade_override(
        response=waiting, scores=scores("n3", "n2"), reason="", changed_by=staff, now=LATER
    )

    waiting.refresh_from_db()
    assert (waiting.status, waiting.score, waiting.score_source) == (
        OpenResponseStatus.GRADED, Decimal("1.0000"), ScoreSource.STAFF,
    )  # fmt: skip
    change = PeerGradeChange.objects.get()
    assert (change.old_score, change.new_score, change.changed_by) == (None, Decimal(1), staff)
    assert LearnerGrade.objects.get(user=a).percent == Decimal("100.00")


def test_a_self_assessment_is_refused_when_the_block_does_not_ask_for_it() -> None:
    run, publication, key, (a, *_rest) = build(self_assessment=False)
    submit(run, publication, key, a)

    with pytest.raises(peer.ReviewError) as refused:
        peer.self_review_submit(user=a, course_run=run, block_key=key, scores=scores("n1", "n1"))

    assert refused.value.code == "no_self_assessment"
    assert PeerReview.objects.count() == 0


def test_overriding_a_peer_grade_needs_a_reason_and_is_kept_in_the_audit_log() -> None:
    run, publication, key, (a, b, *_rest) = build(peers=1)
    submit(run, publication, key, a)
    submit(run, publication, key, b)
    review(run, key, b)
    graded = OpenResponse.objects.get(user=a)
    staff = UserFactory()

    with pytest.raises(peer.ReviewError) as refused:
        peer.peer_grade_override(
            response=graded, scores=scores("n1", "n1"), reason="  ", changed_by=staff
        )
    assert refused.value.code == "reason_required"
    assert PeerGradeChange.objects.count() == 0

    peer.peer_grade_override(
        response=graded, scores=scores("n1", "n1"), reason="Plagiat avéré.", changed_by=staff
    )

    graded.refresh_from_db()
    assert (graded.score, graded.score_source) == (Decimal("0.0000"), ScoreSource.OVERRIDE)
    change = PeerGradeChange.objects.get()
    assert (change.old_score, change.new_score, change.reason) == (
        Decimal("1.0000"), Decimal(0), "Plagiat avéré.",
    )  # fmt: skip
    assert ProblemScore.objects.get(user=a).score == Decimal(0)


def test_the_deadline_task_runs_through_the_tasks_api() -> None:
    from sankore.assessments.tasks import peer_deadlines_apply_task

    run, publication, key, (a, *_rest) = build(self_assessment=False)
    submit(run, publication, key, a, now=timezone.now() - datetime.timedelta(days=8))

    result = peer_deadlines_apply_task.enqueue()

    assert result.return_value == 1
    assert OpenResponse.objects.get(user=a).status == OpenResponseStatus.STAFF


def test_the_command_is_idempotent_and_says_what_it_did() -> None:
    run, publication, key, (a, *_rest) = build(self_assessment=False)
    submit(run, publication, key, a, now=timezone.now() - datetime.timedelta(days=8))
    first, second = io.StringIO(), io.StringIO()

    call_command("peer_deadlines_apply", "--now", stdout=first)
    call_command("peer_deadlines_apply", "--now", stdout=second)

    assert "1 response(s) changed state" in first.getvalue()
    assert "0 response(s) changed state" in second.getvalue()
    assert OpenResponse.objects.get(user=a).status == OpenResponseStatus.STAFF


def test_an_open_response_block_survives_export_and_import() -> None:
    import json

    from sankore.courseware.models import Block
    from sankore.courseware.package_export import package_export

    run, _publication, _key, _people = build(learners=0)
    buffer = io.BytesIO()
    package_export(course_run=run, target=buffer)

    target = CourseRunFactory(course=run.course)
    buffer.seek(0)
    courseware.package_import_into_session(file=buffer, course_run=target)

    original = Block.objects.get(course_run=run, kind="open_response")
    copied = Block.objects.get(course_run=target, kind="open_response")
    assert (copied.key, copied.title, copied.data) == (original.key, original.title, original.data)
    assert copied.data["rubric"][1]["levels"][1] == {"id": "n2", "label": "Solides", "points": "2"}
    buffer.seek(0)
    assert "not_exported" not in json.loads(zipfile.ZipFile(buffer).read("manifest.json"))


# Found in review


def test_a_staff_grade_is_rounded_half_up_like_a_peer_grade() -> None:
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    block = courseware.block_create(
        unit=unit(chapter(run)), kind="open_response",
        data={"prompt": "Écrivez.", "allow_text": True, "rubric": "Fond : Rien=0 | Un=1 | Tout=32",
              "peers": 1, "assessment_type": "Devoir"},
    )  # fmt: skip
    publication = courseware.courseware_publish(course_run=run)
    learner = UserFactory()
    enrolment_create(user=learner, course_run=run)
    response = submit(run, publication, block.key, learner).response

    peer.peer_grade_override(
        response=response, scores={"c1": "n2"}, reason="", changed_by=UserFactory()
    )

    response.refresh_from_db()
    # 1 / 32 = 0.03125: half-up, as the median of the same total would be.
    assert response.score == Decimal("0.0313")
    assert peer_score([Decimal(1)], max_points=Decimal(32)) == Decimal("0.0313")


def test_a_review_with_a_level_that_does_not_exist_names_its_criterion() -> None:
    run, publication, key, (a, b, *_rest) = build(peers=1)
    submit(run, publication, key, a)
    submit(run, publication, key, b)
    allocated = peer.peer_review_allocate(reviewer=b, course_run=run, block_key=key, now=NOW)

    with pytest.raises(peer.ReviewError) as refused:
        peer.peer_review_submit(
            reviewer=b, course_run=run, block_key=key,
            response_id=str(allocated.response.public_id), scores=scores("n3", "n9"), now=NOW,
        )  # fmt: skip

    assert refused.value.code == "rubric_incomplete"
    assert str(refused.value.message).endswith(" : Arguments.")
    allocated.refresh_from_db()
    assert allocated.submitted_at is None


def test_rubric_points_have_at_most_two_decimals_as_review_totals_are_kept() -> None:
    # A review's total is stored with two decimals: 0,125 would become 0,13 (or 0,12) and
    # the score would no longer be the median over the rubric's maximum.
    with pytest.raises(RubricError) as refused:
        rubric_clean(rubric_parse("Clarté : Confus=0 | Correct=0,125 | Excellent=1"))

    assert refused.value.code == "rubric_points_places"
    assert (
        rubric_clean(rubric_parse("Clarté : Confus=0 | Correct=0,25"))[0]["levels"][1]["points"]
        == "0.25"
    )


def test_an_odt_whose_mimetype_entry_is_huge_is_refused_without_reading_it() -> None:
    from sankore.core.uploads import file_check

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text" + " " * 20_000_000)
    assert len(bomb.getvalue()) < 100_000  # a few kilobytes sent, 20 MB unpacked

    with pytest.raises(ResponseFileError) as refused:
        file_check(SimpleUploadedFile("a.odt", bomb.getvalue()), allowed=["odt"], max_bytes=10**6)

    assert refused.value.code == "file_content"


def test_a_self_assessment_is_refused_once_the_deadline_has_passed_or_the_grade_is_final() -> None:
    run, publication, key, (a, b, *_rest) = build(peers=1)
    submit(run, publication, key, a)
    submit(run, publication, key, b)
    review(run, key, b)  # a's response is graded by its peer

    with pytest.raises(peer.ReviewError) as refused:
        peer.self_review_submit(user=a, course_run=run, block_key=key, scores=scores("n3", "n2"))
    assert refused.value.code == "self_closed"

    # b's response got no peer in time: a self-assessment sent after the deadline (cron
    # not run yet) must not become its grade; the course team grades it.
    with pytest.raises(peer.ReviewError) as refused:
        peer.self_review_submit(
            user=b, course_run=run, block_key=key, scores=scores("n3", "n2"), now=LATER
        )
    assert refused.value.code == "self_closed"
    assert PeerReview.objects.filter(is_self=True).count() == 0
    peer.peer_deadlines_apply(now=LATER)
    assert OpenResponse.objects.get(user=b).status == OpenResponseStatus.STAFF
