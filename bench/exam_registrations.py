"""Exam registrations at once: N learners for S seats, print confirmed / waiting / errors.

    DATABASE_URL=postgres://… .venv/bin/python bench/exam_registrations.py
    DATABASE_URL=postgres://… .venv/bin/python bench/exam_registrations.py \\
        --learners 500 --seats 50 --workers 8 --threads 10

Issue 6's target: 500 registrations for 50 seats give exactly 50 confirmed, 450 waiting
(positions 1..450, each once) and 0 errors. The learners are spread over ``workers``
processes of ``threads`` threads, each thread with its own database connection, all released
at one instant; a thread registers its learners one after the other, so at most
``workers × threads`` registrations are in flight (keep it under PostgreSQL's
``max_connections``, 100 by default). Every registration goes through
``services.registration_create``, as the page's would.

It writes to the database of ``DATABASE_URL``, migrated (never SQLite: its writes are
serialised, the run would prove nothing): a centre, a session, a sitting and the learners,
all tagged with the run's number, deleted at the end unless ``--keep``.

Measured on 1 December 2026 (2 cores shared with a CI run, PostgreSQL on the same machine,
8 processes × 10 threads): 500 registrations in 8.5 s after the start delay, 50 confirmed,
450 waiting, 0 errors; p50 1.3 s and p95 2.0 s per registration, most of it queueing on the
sitting's row lock, which every registration of one sitting takes in turn.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sankore.config.settings")


def _setup() -> None:
    import django

    django.setup()


def _prepare(*, learners: int, seats: int, tag: str) -> tuple[int, list[int]]:
    from django.utils import timezone

    from sankore.accounts.models import User
    from sankore.catalog.tests.factories import CourseRunFactory
    from sankore.exams import services
    from sankore.institutions.models import Institution, InstitutionKind
    from sankore.learning.services import enrolment_create

    institution = Institution.objects.create(
        name=f"Campus numérique de Dakar ({tag})", slug=f"campus-{tag}",
        kind=InstitutionKind.CAMPUS, country="SN", city="Dakar", time_zone="Africa/Dakar",
    )  # fmt: skip
    centre = services.exam_centre_create(institution=institution, address="Point E, Dakar")
    run = CourseRunFactory(course__title=f"Examen de charge {tag}", capacity=None)
    now = timezone.now().astimezone(centre.zone).replace(tzinfo=None, microsecond=0)
    sitting = services.exam_sitting_create(
        course_run=run, centre=centre, mode="papier", duration_minutes=120, seats=seats,
        local_start=now + datetime.timedelta(days=30),
        local_registration_opens=now - datetime.timedelta(days=1),
        local_registration_closes=now + datetime.timedelta(days=20),
    ).sitting  # fmt: skip
    ids = []
    for number in range(learners):
        user = User.objects.create_user(
            email=f"{tag}-{number}@example.org", password=None, full_name=f"Candidat {number}"
        )
        enrolment_create(user=user, course_run=run)
        ids.append(user.pk)
    return sitting.pk, ids


def _worker(sitting_id: int, learner_ids: list[int], threads: int, start_at: float) -> list:
    """Register the learners from ``threads`` threads released at ``start_at``; each
    outcome as (status or refusal code or error, seconds)."""
    _setup()
    from django.db import connection

    from sankore.accounts.models import User
    from sankore.core.errors import ServiceError
    from sankore.exams import services
    from sankore.exams.models import ExamSitting

    sitting = ExamSitting.objects.select_related("centre").get(pk=sitting_id)
    users = {user.pk: user for user in User.objects.filter(pk__in=learner_ids)}
    connection.close()
    shares = [learner_ids[n::threads] for n in range(threads)]
    outcomes: list[tuple[str, float]] = []
    lock = threading.Lock()

    def run(share: list[int]) -> None:
        try:
            time.sleep(max(0.0, start_at - time.time()))
            for learner_id in share:
                began = time.perf_counter()
                try:
                    outcome = services.registration_create(
                        learner=users[learner_id], sitting=sitting
                    ).status
                except ServiceError as refused:
                    outcome = f"refused: {refused.code}"
                except Exception as error:  # counted as an error, printed below
                    outcome = f"error: {error!r}"
                with lock:
                    outcomes.append((outcome, time.perf_counter() - began))
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(share,)) for share in shares if share]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return outcomes


def _clean(*, sitting_id: int, tag: str) -> None:
    from sankore.accounts.models import User
    from sankore.exams.models import ExamRegistration, ExamSitting

    sitting = ExamSitting.objects.select_related("centre__institution", "course_run__course").get(
        pk=sitting_id
    )
    ExamRegistration.objects.filter(sitting=sitting).delete()
    run, centre = sitting.course_run, sitting.centre
    sitting.delete()
    institution = centre.institution
    centre.delete()
    institution.delete()
    course = run.course
    run.delete()
    course.delete()
    User.objects.filter(email__startswith=f"{tag}-").delete()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8, help="processes")
    parser.add_argument("--threads", type=int, default=10, help="threads per process")
    parser.add_argument("--keep", action="store_true", help="keep the rows made")
    args = parser.parse_args()
    _setup()
    from django.db import connection

    from sankore.exams.models import ExamRegistration

    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL database: SQLite serialises every write.")
        return 2
    tag = f"bench-exams-{int(time.time())}"
    print(f"Preparing {args.learners} learners and a sitting of {args.seats} seats ({tag})…")
    sitting_id, ids = _prepare(learners=args.learners, seats=args.seats, tag=tag)
    connection.close()
    shares = [ids[n :: args.workers] for n in range(args.workers)]
    start_at = time.time() + 3.0  # time for every process to start and load Django
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [
            pool.submit(_worker, sitting_id, share, args.threads, start_at) for share in shares
        ]
        outcomes = [outcome for future in futures for outcome in future.result()]
    wall = time.perf_counter() - began
    counts = Counter(outcome for outcome, _seconds in outcomes)
    rows = ExamRegistration.objects.filter(sitting_id=sitting_id)
    seats = sorted(rows.filter(status="confirmee").values_list("seat_number", flat=True))
    positions = sorted(rows.filter(status="attente").values_list("waiting_position", flat=True))
    errors = sum(n for outcome, n in counts.items() if outcome.startswith(("error", "refused")))
    seconds = [s * 1000 for _outcome, s in outcomes]
    print(f"registrations: {len(outcomes)} in {wall:.1f} s (including the 3 s start delay)")
    print(f"confirmed: {counts.get('confirmee', 0)}  waiting: {counts.get('attente', 0)}  "
          f"errors: {errors}")  # fmt: skip
    for outcome, number in sorted(counts.items()):
        if outcome not in ("confirmee", "attente"):
            print(f"  {number} × {outcome}")
    print(f"ms per registration: p50 {statistics.median(seconds):.0f}, "
          f"p95 {_percentile(seconds, 0.95):.0f}, max {max(seconds):.0f}")  # fmt: skip
    right = (
        seats == list(range(1, args.seats + 1))
        and positions == list(range(1, args.learners - args.seats + 1))
        and errors == 0
    )
    print("seats 1..S once, positions 1..N-S once, 0 errors:", "yes" if right else "NO")
    if not args.keep:
        _clean(sitting_id=sitting_id, tag=tag)
    return 0 if right else 1


if __name__ == "__main__":
    raise SystemExit(main())
