"""The reviewer assignment of a call: time ``calls.assignment.propose`` on a synthetic call.

    .venv/bin/python bench/call_assignment.py            # 500 applications × 150 reviewers, 2 each
    .venv/bin/python bench/call_assignment.py --applications 1000 --reviewers 300 --runs 5

The call is drawn from a seeded generator (``--seed``), so every run measures the same data:
40 disciplines, 8 regions, four languages (French for most), 120 institutions, applications
led by one with up to three partners, reviewers from one of them or independent, a maximum
load of 5 to 10, a few declared conflicts and about 15 bids per reviewer. No database; Django
is set up only because the reasons are translated strings. Prints the p50 of the runs (the
target is under 10 s) and what the proposal looks like.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sankore.calls.assignment import Application, Reviewer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sankore.config.settings")

REGIONS = [
    "afrique-ouest", "afrique-centre", "maghreb", "ocean-indien", "caraibe", "asie-pacifique",
    "europe-ouest", "amerique-nord",
]  # fmt: skip
LANGUAGES = ["fr"] * 7 + ["en", "ar", "pt"]


def generate(
    seed: int, applications: int, reviewers: int
) -> tuple[list[Application], list[Reviewer], dict[tuple[int, int], str]]:
    from sankore.calls.assignment import Application, Reviewer

    rng = random.Random(seed)
    institutions = range(1, 121)
    disciplines = range(1, 41)
    apps = [
        Application(
            id=1000 + n,
            lead_institution_id=rng.choice(institutions),
            partner_institution_ids=frozenset(rng.sample(institutions, rng.randint(0, 3))),
            disciplines=frozenset(rng.sample(disciplines, rng.randint(1, 3))),
            region=rng.choice(REGIONS),
            language=rng.choice(LANGUAGES),
        )
        for n in range(applications)
    ]
    experts = [
        Reviewer(
            id=5000 + n,
            max_load=rng.randint(5, 10),
            institution_id=rng.choice(institutions) if rng.random() < 0.7 else None,
            disciplines=frozenset(rng.sample(disciplines, rng.randint(2, 6))),
            regions=frozenset(rng.sample(REGIONS, rng.randint(1, 3))),
            languages=frozenset({"fr"} | set(rng.sample(LANGUAGES, rng.randint(0, 2)))),
            conflict_application_ids=frozenset(
                a.id for a in rng.sample(apps, 2) if rng.random() < 0.1
            ),
            conflict_institution_ids=frozenset(
                rng.sample(institutions, 1) if rng.random() < 0.05 else ()
            ),
        )
        for n in range(reviewers)
    ]
    bids = {
        (expert.id, app.id): rng.choice(["oui", "oui", "peut-etre", "non"])
        for expert in experts
        for app in rng.sample(apps, min(15, len(apps)))
    }
    return apps, experts, bids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--reviewers", type=int, default=150)
    parser.add_argument("--per-application", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from sankore.calls.assignment import propose

    apps, experts, bids = generate(args.seed, args.applications, args.reviewers)
    times = []
    for _run in range(args.runs):
        started = time.perf_counter()
        proposal = propose(
            applications=apps, reviewers=experts, bids=bids, per_application=args.per_application
        )
        times.append(time.perf_counter() - started)
    loads = sorted(proposal.loads.values())
    bid_counts = {"oui": 0, "peut-etre": 0, "non": 0}
    for pair in proposal.pairs:
        if (bid := bids.get((pair.reviewer_id, pair.application_id))) is not None:
            bid_counts[bid] += 1
    print(
        f"{args.applications} applications × {args.reviewers} reviewers, "
        f"{args.per_application} each, capacity {sum(e.max_load for e in experts)}: "
        f"p50 {statistics.median(times):.2f} s over {args.runs} runs "
        f"(min {min(times):.2f}, max {max(times):.2f})"
    )
    print(
        f"{len(proposal.pairs)} pairs, {len(proposal.shortfalls)} applications short; "
        f"mean affinity {proposal.total_affinity / max(1, len(proposal.pairs)):.1f}; "
        f"loads {loads[0]}–{loads[-1]} (median {statistics.median(loads):g}); "
        f"bids kept: oui {bid_counts['oui']}, peut-être {bid_counts['peut-etre']}, "
        f"non {bid_counts['non']} of {sum(1 for b in bids.values() if b == 'non')}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
