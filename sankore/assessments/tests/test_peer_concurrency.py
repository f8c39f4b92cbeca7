"""Peer assessment under concurrency (PostgreSQL only: ``SELECT … FOR UPDATE SKIP LOCKED``
and row locks are what keep it right): reviewers asking at the same moment never get a
response more often than it needs, never their own, never one twice; reviews sent at the
same moment (even two learners reviewing each other) all count, once; a response sent
twice at once is stored once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from sankore.accounts.models import User
from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import peer
from sankore.assessments import services as assessment_services
from sankore.assessments.models import OpenResponse, OpenResponseStatus, PeerReview
from sankore.catalog.models import CourseRun, Pacing
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.core.errors import ServiceError
from sankore.courseware import services as courseware
from sankore.courseware.models import PublishedOutline
from sankore.courseware.tests.factories import chapter, unit
from sankore.learning.services import enrolment_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

RUBRIC = "Clarté : Confus=0 | Correct=1 | Excellent=2\nArguments : Absents=0 | Solides=2"
REVIEWERS = 6


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and SKIP LOCKED are PostgreSQL's (set DATABASE_URL to run)")


def _block(peers: int, learners: int) -> tuple[CourseRun, PublishedOutline, str, list[User]]:
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    block = courseware.block_create(
        unit=unit(chapter(run, "Semaine 1"), "Devoir"), kind="open_response", title="Essai",
        data={"prompt": "Décrivez un dispositif de tutorat.", "allow_text": True,
              "allow_file": True, "file_types": ["pdf"], "rubric": RUBRIC, "peers": peers,
              "self_assessment": False, "delay_days": 7, "assessment_type": "Devoir",
              "points": "4"},
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


def _at_once(calls: list[Callable[[], str]]) -> list[str]:
    """Run the calls from as many connections, released together; each one's outcome (a
    service's refusal code, or the repr of anything else it raised)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(number: int) -> None:
        try:
            barrier.wait()
            outcomes[number] = calls[number]()
        except ServiceError as refused:
            outcomes[number] = refused.code
        except Exception as error:  # reported by the assertions, not lost
            outcomes[number] = f"crash: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _allocate(run: CourseRun, key: str, reviewer: User) -> Callable[[], str]:
    def call() -> str:
        peer.peer_review_allocate(
            reviewer=User.objects.get(pk=reviewer.pk),
            course_run=CourseRun.objects.get(pk=run.pk),
            block_key=key,
        )
        return "allocated"

    return call


def _review(run: CourseRun, key: str, handed: PeerReview) -> Callable[[], str]:
    def call() -> str:
        peer.peer_review_submit(
            reviewer=User.objects.get(pk=handed.reviewer_id),
            course_run=CourseRun.objects.get(pk=run.pk),
            block_key=key,
            response_id=str(handed.response.public_id),
            scores={"c1": "n3", "c2": "n2"},
        )
        return "reviewed"

    return call


def _assert_allocations_consistent(run: CourseRun) -> None:
    reviews = list(
        PeerReview.objects.filter(course_run=run, is_self=False).select_related("response")
    )
    pairs = [(review.reviewer_id, review.response_id) for review in reviews]
    assert len(pairs) == len(set(pairs))  # (reviewer, response) never twice
    assert all(review.reviewer_id != review.response.user_id for review in reviews)
    open_per_reviewer = Counter(r.reviewer_id for r in reviews if r.submitted_at is None)
    assert max(open_per_reviewer.values(), default=0) <= 1
    handed = Counter(review.response_id for review in reviews)
    done = Counter(review.response_id for review in reviews if review.submitted_at is not None)
    given = Counter(review.reviewer_id for review in reviews if review.submitted_at is not None)
    for response in OpenResponse.objects.filter(course_run=run):
        assert handed[response.pk] <= response.peers_required
        assert response.peer_reviews_allocated == handed[response.pk]
        assert response.peer_reviews_done == done[response.pk]
        assert response.reviews_given == given[response.user_id]


@pytest.mark.parametrize("peers", [1, 2])
def test_reviewers_asking_at_once_never_share_more_than_needed_nor_get_their_own(
    peers: int,
) -> None:
    run, publication, key, people = _block(peers, REVIEWERS)
    for person in people:
        peer.open_response_submit(
            user=person, course_run=run, publication=publication, block_key=key,
            text=f"Essai {person.pk}", upload=None, client_token=f"t-{person.pk}",
        )  # fmt: skip

    for _round in range(peers):
        asked = _at_once([_allocate(run, key, person) for person in people])

        # SKIP LOCKED may tell a reviewer to come back later, never hand a row twice.
        assert set(asked) <= {"allocated", "nothing_to_review"}, asked
        assert "allocated" in asked
        _assert_allocations_consistent(run)

        handed = list(
            PeerReview.objects.filter(course_run=run, submitted_at__isnull=True).select_related(
                "response"
            )
        )
        sent = _at_once([_review(run, key, review) for review in handed])

        # Learners reviewing each other at the same moment lock the same two rows.
        assert sent == ["reviewed"] * len(handed), sent
        _assert_allocations_consistent(run)

    # Whoever was told to come back later finishes alone: a response waits only when the
    # only reviewers left with reviews to do are its author (the delay rule grades it).
    for _pass in range(peers + 1):
        for person in people:
            try:
                _allocate(run, key, person)()
            except peer.NothingToReviewError:
                continue
            _review(run, key, PeerReview.objects.get(reviewer=person, submitted_at__isnull=True))()
    _assert_allocations_consistent(run)
    given = Counter(PeerReview.objects.values_list("reviewer_id", flat=True))
    for response in OpenResponse.objects.all():
        graded = response.peer_reviews_done == peers
        assert response.status == (
            OpenResponseStatus.GRADED if graded else OpenResponseStatus.PEERS
        )
        if not graded:
            reviewed_it = set(response.reviews.values_list("reviewer_id", flat=True))
            idle = {p.pk for p in people if given[p.pk] < peers} - {response.user_id}
            assert idle <= reviewed_it


def test_one_reviewer_asking_from_four_tabs_at_once_gets_one_response() -> None:
    run, publication, key, people = _block(2, 5)
    for person in people:
        peer.open_response_submit(
            user=person, course_run=run, publication=publication, block_key=key,
            text="Essai", upload=None, client_token=f"t-{person.pk}",
        )  # fmt: skip
    reviewer = people[0]

    asked = _at_once([_allocate(run, key, reviewer) for _tab in range(4)])

    assert set(asked) <= {"allocated", "allocation_race"}, asked
    assert PeerReview.objects.filter(reviewer=reviewer).count() == 1
    _assert_allocations_consistent(run)


def _submit(
    run: CourseRun, key: str, learner: User, token: str, *, with_file: bool = False
) -> Callable[[], str]:
    def call() -> str:
        outcome = peer.open_response_submit(
            user=User.objects.get(pk=learner.pk),
            course_run=CourseRun.objects.get(pk=run.pk),
            publication=PublishedOutline.objects.get(course_run_id=run.pk),
            block_key=key,
            text="Mon essai.",
            upload=SimpleUploadedFile("essai.pdf", b"%PDF-1.4 essai") if with_file else None,
            client_token=token,
        )
        return "replayed" if outcome.replayed else "stored"

    return call


def test_a_response_sent_twice_at_once_with_one_token_is_stored_once(settings) -> None:  # type: ignore[no-untyped-def]
    run, _publication, key, (learner,) = _block(2, 1)

    outcomes = _at_once([_submit(run, key, learner, "same-token", with_file=True)] * 2)

    assert sorted(outcomes) == ["replayed", "stored"], outcomes
    stored = OpenResponse.objects.get()
    assert stored.client_token == "same-token"
    # The file of the response that lost the race is not left behind.
    files = list((settings.MEDIA_ROOT / "reponses-ouvertes").rglob("*.pdf"))
    assert [path.name for path in files] == [stored.file.name.rsplit("/", 1)[-1]]


def test_two_different_responses_sent_at_once_store_one_and_refuse_the_other() -> None:
    run, _publication, key, (learner,) = _block(2, 1)

    outcomes = _at_once([_submit(run, key, learner, f"token-{n}") for n in range(4)])

    assert sorted(outcomes) == ["already_submitted"] * 3 + ["stored"], outcomes
    assert OpenResponse.objects.count() == 1
