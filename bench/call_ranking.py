"""The committee's pages of a big call: time the ranking page (and, with ``--all``, the
manage page and both CSV exports) as programme staff open them, through Django's test client.

    .venv/bin/python bench/call_ranking.py                 # 500 applications, 150 reviewers
    .venv/bin/python bench/call_ranking.py --normalise --runs 50
    .venv/bin/python bench/call_ranking.py --all           # the manage page and the CSVs too
    .venv/bin/python bench/call_ranking.py --propose       # then the assignment proposal

The call lives in a temporary SQLite database made for the run (migrated, then deleted; or
``--database PATH`` to keep it): a published call closed yesterday, with the programme's
default grid, 120 institutions, ``--applications`` submitted applications (amounts of 10,000
to 60,000 EUR, one to three confirmed partners each), ``--reviewers`` experts on the panel,
two confirmed reviewers per application (1,000 pairs for 500) each with its review handed in
(a score per criterion drawn from a seeded generator, ``--seed``), and a decision on one
application in five. The rows are written in bulk, not through the services: only the pages
are measured. Each page is asked once untimed (templates compiled, connection warm), then
``--runs`` times; prints p50, p95 and max, its queries and its size. The target is under a
second for the ranking page of 500 applications × 2 reviews.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sankore.config.settings")

REGIONS = ["afrique-ouest", "afrique-centre", "maghreb", "ocean-indien", "caraibe"]
COUNTRIES = ["SN", "BF", "CI", "CM", "MG", "HT", "MA", "BE", "FR", "CA"]


def _build(*, applications: int, reviewers: int, seed: int) -> tuple[str, int]:
    """The call and its people; returns its slug and the programme staff member's id."""
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from sankore.accounts.models import Role, RoleAssignment, User
    from sankore.calls import services
    from sankore.calls.models import (
        Application,
        ApplicationPartner,
        ApplicationStatus,
        AssignmentState,
        CallReviewer,
        Criterion,
        Decision,
        DecisionValue,
        Expert,
        PartnerStatus,
        Review,
        ReviewAssignment,
        ReviewStatus,
    )
    from sankore.institutions.models import Institution, InstitutionKind

    rng = random.Random(seed)
    now = timezone.now()
    staff = User.objects.create_user(
        email="programme@bench.example", password=None, full_name="Équipe du programme"
    )
    RoleAssignment.objects.create(user=staff, role=Role.PROGRAMME_STAFF)
    call = services.call_create(
        by=staff, title="Appel CLOM de charge", description="Un appel de mesure.",
        opens_at=now - datetime.timedelta(days=90), closes_at=now - datetime.timedelta(days=1),
        review_ends_at=now + datetime.timedelta(days=30),
        results_on=(now + datetime.timedelta(days=40)).date(),
        total_budget=Decimal(applications) * Decimal(12000),
    )  # fmt: skip
    services.call_publish(call=call, by=staff)
    institutions = Institution.objects.bulk_create(
        Institution(
            name=f"Université de mesure {n}",
            slug=f"mesure-{n}",
            kind=InstitutionKind.UNIVERSITY,
            country=COUNTRIES[n % len(COUNTRIES)],
            region=REGIONS[n % len(REGIONS)],
        )
        for n in range(120)
    )
    made = Application.objects.bulk_create(
        Application(
            call=call,
            lead=rng.choice(institutions),
            title=f"CLOM de mesure n° {n}",
            answers={"resume": "Un CLOM pour mesurer la page du comité."},
            requested_amount=Decimal(rng.randrange(10_000, 60_001, 500)),
            status=ApplicationStatus.SUBMITTED,
            submitted_at=now - datetime.timedelta(days=3),
            receipt_number=f"{call.pk}-{n:08X}",
        )
        for n in range(applications)
    )
    ApplicationPartner.objects.bulk_create(
        ApplicationPartner(
            application=application,
            institution=partner,
            role="Studio",
            status=PartnerStatus.CONFIRMED,
        )
        for application in made
        for partner in rng.sample(
            [i for i in institutions if i.pk != application.lead_id], rng.randint(1, 3)
        )
    )
    people = User.objects.bulk_create(
        User(
            email=f"expert{n}@bench.example", full_name=f"Experte {n}", password=make_password(None)
        )
        for n in range(reviewers)
    )
    experts = Expert.objects.bulk_create(
        Expert(
            user=person,
            institution=rng.choice(institutions) if n % 3 else None,
            languages=["fr"],
            max_load=12,
        )
        for n, person in enumerate(people)
    )
    panel = CallReviewer.objects.bulk_create(
        CallReviewer(call=call, expert=expert, max_load=12) for expert in experts
    )
    pairs = [
        ReviewAssignment(
            application=application,
            reviewer=panel[(2 * n + k) % len(panel)],
            state=AssignmentState.CONFIRMED,
            affinity=rng.randint(20, 90),
            reasons=[["Pratique la langue de la candidature (fr)", 20]],
            assigned_by=staff,
        )
        for n, application in enumerate(made)
        for k in range(2)
    ]
    ReviewAssignment.objects.bulk_create(pairs, batch_size=500)
    keys = list(Criterion.objects.filter(call=call).values_list("key", flat=True))
    Review.objects.bulk_create(
        (
            Review(
                assignment=pair,
                scores={key: rng.randint(1, 5) for key in keys},
                comment_to_applicant="Un dossier clair ; le budget est à préciser.",
                comment_to_committee="Rien de confidentiel.",
                status=ReviewStatus.SUBMITTED,
                submitted_at=now - datetime.timedelta(hours=rng.randint(1, 20)),
            )
            for pair in pairs
        ),
        batch_size=500,
    )
    Decision.objects.bulk_create(
        Decision(
            application=application,
            value=rng.choice(DecisionValue.values),
            motivation="Décision de mesure.",
            decided_by=staff,
        )
        for application in made[::5]
    )
    return call.slug, staff.pk


def _time(client: object, url: str, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> int:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return len(body)

    with CaptureQueriesContext(connection) as queries:
        size = get()  # untimed: templates compiled, caches warm
    count = len(queries.captured_queries)  # before the next request resets the log
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    return times, count, size


def _time_proposal(*, slug: str, staff_id: int, seed: int) -> bool:
    """The reviews and pairs taken away, ten bids per reviewer drawn: the whole proposal as
    staff ask for it (inputs read, min-cost flow, pairs written). Target: under 10 s."""
    from sankore.accounts.models import User
    from sankore.calls import reviewing
    from sankore.calls.models import Application, Bid, Call, CallReviewer, ReviewAssignment

    call = Call.objects.get(slug=slug)
    ReviewAssignment.objects.filter(application__call=call).delete()
    draw = random.Random(seed)
    application_ids = list(Application.objects.filter(call=call).values_list("pk", flat=True))
    Bid.objects.bulk_create(
        Bid(reviewer_id=reviewer_id, application_id=application_id,
            value=draw.choice(["oui", "peut-etre", "non"]))
        for reviewer_id in CallReviewer.objects.filter(call=call).values_list("pk", flat=True)
        for application_id in draw.sample(application_ids, 10)
    )  # fmt: skip
    started = time.perf_counter()
    summary = reviewing.assignment_propose(call=call, by=User.objects.get(pk=staff_id))
    took = time.perf_counter() - started
    print(
        f"assignment proposed in {took:.2f} s: {summary.proposed} pairs, "
        f"{len(summary.shortfalls)} applications short, total affinity {summary.total_affinity}"
    )
    return took >= 10


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--reviewers", type=int, default=150)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--normalise", action="store_true", help="normalisation per reviewer")
    parser.add_argument("--all", action="store_true", help="the manage page and CSVs too")
    parser.add_argument("--database", help="SQLite file to build and keep (else temporary)")
    parser.add_argument(
        "--propose", action="store_true",
        help="then time the assignment proposal (the service, database included) from scratch",
    )  # fmt: skip
    args = parser.parse_args(argv)

    workdir = tempfile.TemporaryDirectory(prefix="sankore-bench-")
    path = Path(args.database) if args.database else Path(workdir.name) / "ranking.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DEBUG", "false")  # no query log, as in production
    os.environ.setdefault("AXES_ENABLED", "false")

    import warnings

    import django

    django.setup()
    # Whitenoise looks for collected static files, which the pages measured do not need.
    warnings.filterwarnings("ignore", message="No directory at")
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from sankore.accounts.models import User

    setup_test_environment()  # the test client's host, e-mails kept in memory
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter() - started
    started = time.perf_counter()
    slug, staff_id = _build(
        applications=args.applications, reviewers=args.reviewers, seed=args.seed
    )
    print(
        f"{args.applications} applications, {args.reviewers} reviewers, "
        f"{2 * args.applications} reviews handed in (SQLite {path}; migrated in "
        f"{migrated:.0f} s, built in {time.perf_counter() - started:.1f} s)"
    )
    client = Client()
    client.force_login(User.objects.get(pk=staff_id))
    ranking = reverse("calls:ranking", args=[slug])
    query = "?normalisation=1" if args.normalise else "?normalisation=0"
    pages = [("ranking (normalised)" if args.normalise else "ranking", ranking + query)]
    if args.all:
        pages += [
            ("manage", reverse("calls:manage", args=[slug])),
            ("applications CSV", reverse("calls:export_applications", args=[slug])),
            ("reviews CSV", reverse("calls:export_reviews", args=[slug])),
        ]
    failed = False
    for name, url in pages:
        times, queries, size = _time(client, url, args.runs)
        cuts = statistics.quantiles(times, n=20, method="inclusive") if len(times) > 1 else times
        p95 = cuts[-1]
        print(
            f"{name}: p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms over {args.runs} runs; {queries} queries, "
            f"{size / 1000:.0f} KB"
        )
        failed |= name.startswith("ranking") and p95 >= 1.0
    if args.propose:
        failed |= _time_proposal(slug=slug, staff_id=staff_id, seed=args.seed)
    workdir.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
