"""Who reviews which application of a call: a proposal staff then adjust, no database.

The rules that are never broken: a reviewer never reviews an application of their own
institution (the lead's or a partner's), nor one they declared a conflict with (the
application itself or one of its institutions); never more applications than their maximum
load; never the same application twice. A « non » bid is not a conflict: it is a heavy
penalty, so that such a reviewer is only chosen when nobody else can be.

Within these rules the proposal first gives every application its reviewers if at all
possible, then maximises the affinity of the pairs and balances the loads. Affinity is an
integer out of 100: the share of the application's disciplines the reviewer covers (40), the
application's language (20), its region (10) and the bid (« oui » 30, « peut-être » 15, none
0, « non » −100). Balance is a cost of ``balance`` points (3 by default) for each application
already on the reviewer's pile: a reviewer five applications busier than another must be 15
points better to get the next one.

The algorithm is a min-cost flow solved by successive shortest paths: applications supply
``per_application`` units each, every allowed pair is an edge of capacity 1 and cost
``100 − affinity``, every reviewer sends to the sink through parallel edges whose cost grows
with the load (convex, hence balance). The applications are served one at a time, the
hardest to staff first (fewest allowed reviewers for what they need), each of their units
along a shortest path found by Dijkstra with potentials (Johnson's reduced costs, all costs
being non-negative) stopped as soon as the sink is reached. A path may move reviewers from
application to application, which is why it finds a full assignment whenever one exists —
the final flow is a maximum one: an application left short has no path to any spare
capacity, and no later step can open one. When every application is served, the result is
the cheapest flow overall whatever the order; the order only decides who is short when not
everyone can be. Why not a greedy pass followed by swaps: swaps get stuck on instances where
a full assignment needs a chain of moves, which is exactly what a shortest path is.

Pairs staff fixed are kept and count in the loads; pairs they removed are never proposed.
Everything is sorted by ids first, and every tie is broken by ids: the same call gives the
same proposal whatever order its data comes in. 500 applications × 150 reviewers, two each,
take under a second (``bench/call_assignment.py``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_stubs_ext import StrOrPromise

Bid = Literal["oui", "peut-etre", "non"]

DISCIPLINES, LANGUAGE, REGION = 40, 20, 10
BID_POINTS: Mapping[str, int] = {"oui": 30, "peut-etre": 15, "non": -100}
BEST_AFFINITY = DISCIPLINES + LANGUAGE + REGION + BID_POINTS["oui"]
BALANCE = 3
_INFINITE = float("inf")


@dataclass(frozen=True)
class Application:
    id: int
    lead_institution_id: int
    partner_institution_ids: frozenset[int] = frozenset()
    disciplines: frozenset[int] = frozenset()
    region: str = ""
    language: str = ""

    @property
    def institution_ids(self) -> frozenset[int]:
        return self.partner_institution_ids | {self.lead_institution_id}


@dataclass(frozen=True)
class Reviewer:
    id: int
    max_load: int
    # None for an independent expert, attached to no institution.
    institution_id: int | None = None
    disciplines: frozenset[int] = frozenset()
    regions: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    conflict_application_ids: frozenset[int] = frozenset()
    conflict_institution_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Reason:
    """One line of why a pair is proposed; ``points`` is its share of the affinity."""

    text: StrOrPromise
    points: int


@dataclass(frozen=True)
class Pair:
    reviewer_id: int
    application_id: int
    affinity: int
    reasons: tuple[Reason, ...]
    # Decided by staff before the proposal (kept as it is), rather than proposed.
    fixed: bool = False


@dataclass(frozen=True)
class Shortfall:
    """An application that could not get all its reviewers, and why."""

    application_id: int
    needed: int
    assigned: int
    # Reviewers without a conflict and not removed by staff (whatever their load).
    eligible: int
    conflicted: int
    removed: int
    reason: StrOrPromise


@dataclass(frozen=True)
class Proposal:
    pairs: tuple[Pair, ...]  # by application, then reviewer
    loads: Mapping[int, int]  # every reviewer's, fixed pairs included
    shortfalls: tuple[Shortfall, ...]  # by application
    total_affinity: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total_affinity", sum(pair.affinity for pair in self.pairs))


def conflict(application: Application, reviewer: Reviewer) -> StrOrPromise | None:
    """Why this reviewer may never review this application, or None if they may (staff
    adjusting a proposal by hand ask the same question)."""
    if reviewer.institution_id is not None:
        if reviewer.institution_id == application.lead_institution_id:
            return _("Expert de l’établissement porteur")
        if reviewer.institution_id in application.partner_institution_ids:
            return _("Expert d’un établissement partenaire")
    if application.id in reviewer.conflict_application_ids:
        return _("Conflit d’intérêts déclaré sur cette candidature")
    if reviewer.conflict_institution_ids & application.institution_ids:
        return _("Conflit d’intérêts déclaré avec un établissement de la candidature")
    return None


def _discipline_points(application: Application, reviewer: Reviewer) -> int:
    if not application.disciplines:
        return 0
    shared = len(application.disciplines & reviewer.disciplines)
    return DISCIPLINES * shared // len(application.disciplines)


def affinity_points(application: Application, reviewer: Reviewer, bid: str | None) -> int:
    """The pair's affinity, between −100 and 100 (the hot loop: no explanation built)."""
    points = _discipline_points(application, reviewer)
    if application.language and application.language in reviewer.languages:
        points += LANGUAGE
    if application.region and application.region in reviewer.regions:
        points += REGION
    return points + (BID_POINTS[bid] if bid is not None else 0)


def affinity(
    application: Application, reviewer: Reviewer, bid: str | None
) -> tuple[int, tuple[Reason, ...]]:
    """The pair's affinity and its explanation, one line per part that counts."""
    reasons: list[Reason] = []
    if points := _discipline_points(application, reviewer):
        shared = len(application.disciplines & reviewer.disciplines)
        reasons.append(
            Reason(
                _("Disciplines de la candidature couvertes : %(shared)d sur %(total)d")
                % {"shared": shared, "total": len(application.disciplines)},
                points,
            )
        )
    if application.language and application.language in reviewer.languages:
        reasons.append(
            Reason(
                _("Pratique la langue de la candidature (%(language)s)")
                % {"language": application.language},
                LANGUAGE,
            )
        )
    if application.region and application.region in reviewer.regions:
        reasons.append(
            Reason(_("Connaît la région (%(region)s)") % {"region": application.region}, REGION)
        )
    if bid == "oui":
        reasons.append(Reason(_("Souhaite expertiser cette candidature"), BID_POINTS[bid]))
    elif bid == "peut-etre":
        reasons.append(Reason(_("Pourrait expertiser cette candidature"), BID_POINTS[bid]))
    elif bid == "non":
        reasons.append(
            Reason(_("A demandé à ne pas expertiser cette candidature"), BID_POINTS[bid])
        )
    return sum(reason.points for reason in reasons), tuple(reasons)


def _shortfall_reason(*, eligible: int, assigned: int, needed: int) -> StrOrPromise:
    if eligible == 0:
        return _("Aucun expert sans conflit disponible")
    if eligible < needed:
        return ngettext_lazy(
            "Seul %(count)d expert sans conflit disponible",
            "Seuls %(count)d experts sans conflit disponibles",
            "count",
        ) % {"count": eligible}
    return ngettext_lazy(
        "L’autre expert sans conflit a atteint sa charge maximale",
        "Les %(count)d autres experts sans conflit ont atteint leur charge maximale",
        "count",
    ) % {"count": eligible - assigned}


def _unique(items: Iterable[Application] | Iterable[Reviewer], what: str) -> None:
    ids = [item.id for item in items]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{what} ids must be unique")


class _Flow:
    """The residual graph of the min-cost flow, on indexes (applications and reviewers in
    id order), with Johnson potentials keeping every residual cost non-negative."""

    def __init__(
        self,
        costs: list[dict[int, int]],
        capacity: list[int],
        load: list[int],
        balance: int,
    ) -> None:
        self.costs = costs  # per application: reviewer index → cost of the pair
        self.edges = [sorted(c.items()) for c in costs]
        self.capacity = capacity
        self.load = load  # fixed pairs included
        self.balance = balance
        self.taken: list[set[int]] = [set() for _ in costs]  # application → reviewers
        self.piles: list[set[int]] = [set() for _ in capacity]  # reviewer → applications
        self.app_potential = [0] * len(costs)
        self.reviewer_potential = [0] * len(capacity)
        self.sink_potential = 0

    def augment_from(self, start: int) -> bool:
        """Give application ``start`` one more reviewer along the cheapest path, possibly
        moving others; False when no path reaches spare capacity."""
        costs, taken, piles, load, capacity = (
            self.costs, self.taken, self.piles, self.load, self.capacity,
        )  # fmt: skip
        app_pot, rev_pot = self.app_potential, self.reviewer_potential
        sink_pot = self.sink_potential
        app_dist = [_INFINITE] * len(costs)
        rev_dist = [_INFINITE] * len(capacity)
        app_done = [False] * len(costs)
        rev_done = [False] * len(capacity)
        came_to_reviewer = [-1] * len(capacity)  # the application the path came from
        came_to_app = [-1] * len(costs)  # the reviewer the path takes the application from
        sink_dist: float = _INFINITE
        last_reviewer = -1
        app_dist[start] = 0
        # (distance, kind, index): kind 0 the sink (taken first among equals), 1 a reviewer,
        # 2 an application — ties are settled by kind then index, hence by ids.
        heap: list[tuple[float, int, int]] = [(0, 2, start)]
        while heap:
            distance, kind, index = heapq.heappop(heap)
            if kind == 0:
                break
            if kind == 2:
                if app_done[index]:
                    continue
                app_done[index] = True
                base = distance + app_pot[index]
                already = taken[index]
                for reviewer, cost in self.edges[index]:
                    if reviewer in already or rev_done[reviewer]:
                        continue
                    candidate = base + cost - rev_pot[reviewer]
                    if candidate < rev_dist[reviewer]:
                        rev_dist[reviewer] = candidate
                        came_to_reviewer[reviewer] = index
                        heapq.heappush(heap, (candidate, 1, reviewer))
            else:
                if rev_done[index]:
                    continue
                rev_done[index] = True
                base = distance + rev_pot[index]
                if load[index] < capacity[index]:
                    candidate = base + self.balance * load[index] - sink_pot
                    if candidate < sink_dist:
                        sink_dist = candidate
                        last_reviewer = index
                        heapq.heappush(heap, (candidate, 0, 0))
                for app in piles[index]:
                    if app_done[app]:
                        continue
                    candidate = base - costs[app][index] - app_pot[app]
                    if candidate < app_dist[app]:
                        app_dist[app] = candidate
                        came_to_app[app] = index
                        heapq.heappush(heap, (candidate, 2, app))
        if last_reviewer < 0:
            return False
        for i, d in enumerate(app_dist):
            app_pot[i] += int(min(d, sink_dist))
        for i, d in enumerate(rev_dist):
            rev_pot[i] += int(min(d, sink_dist))
        self.sink_potential += int(sink_dist)
        reviewer = last_reviewer
        load[reviewer] += 1
        while True:
            app = came_to_reviewer[reviewer]
            taken[app].add(reviewer)
            piles[reviewer].add(app)
            if app == start:
                return True
            previous = came_to_app[app]
            taken[app].discard(previous)
            piles[previous].discard(app)
            reviewer = previous


def propose(
    *,
    applications: Iterable[Application],
    reviewers: Iterable[Reviewer],
    bids: Mapping[tuple[int, int], str] | None = None,
    per_application: int = 2,
    fixed: Iterable[tuple[int, int]] = (),
    removed: Iterable[tuple[int, int]] = (),
    balance: int = BALANCE,
) -> Proposal:
    """A proposal for the call. ``bids``, ``fixed`` and ``removed`` are keyed by
    (reviewer id, application id); a bid on a pair that is not in the call is ignored.

    ``ValueError`` for data that breaks the rules before anything is proposed: duplicate
    ids, a fixed pair naming an unknown reviewer or application, a fixed pair in conflict or
    also removed, fixed pairs beyond a reviewer's maximum load, an unknown bid.
    """
    apps: Sequence[Application] = sorted(applications, key=lambda a: a.id)
    experts: Sequence[Reviewer] = sorted(reviewers, key=lambda r: r.id)
    _unique(apps, "application")
    _unique(experts, "reviewer")
    if per_application < 0 or balance < 0:
        raise ValueError("per_application and balance are never negative")
    bids = bids or {}
    if unknown := {b for b in bids.values() if b not in BID_POINTS}:
        raise ValueError(f"unknown bids: {sorted(unknown)}")
    app_index = {a.id: i for i, a in enumerate(apps)}
    rev_index = {r.id: i for i, r in enumerate(experts)}
    fixed_pairs = sorted(set(fixed))
    removed_pairs = set(removed)
    load = [0] * len(experts)
    fixed_by_app: list[set[int]] = [set() for _ in apps]
    for reviewer_id, application_id in fixed_pairs:
        if reviewer_id not in rev_index or application_id not in app_index:
            raise ValueError(f"fixed pair ({reviewer_id}, {application_id}) is not in the call")
        r, a = rev_index[reviewer_id], app_index[application_id]
        if conflict(apps[a], experts[r]) is not None:
            raise ValueError(f"fixed pair ({reviewer_id}, {application_id}) is in conflict")
        if (reviewer_id, application_id) in removed_pairs:
            raise ValueError(f"fixed pair ({reviewer_id}, {application_id}) is also removed")
        load[r] += 1
        fixed_by_app[a].add(r)
    if over := [experts[r].id for r in range(len(experts)) if load[r] > experts[r].max_load]:
        raise ValueError(f"fixed pairs exceed the maximum load of reviewers {over}")

    costs: list[dict[int, int]] = []
    eligible, conflicted, removed_count = [0] * len(apps), [0] * len(apps), [0] * len(apps)
    for a, application in enumerate(apps):
        row: dict[int, int] = {}
        for r, reviewer in enumerate(experts):
            if conflict(application, reviewer) is not None:
                conflicted[a] += 1
            elif (reviewer.id, application.id) in removed_pairs:
                removed_count[a] += 1
            else:
                eligible[a] += 1
                if r not in fixed_by_app[a] and reviewer.max_load > 0:
                    bid = bids.get((reviewer.id, application.id))
                    row[r] = BEST_AFFINITY - affinity_points(application, reviewer, bid)
        costs.append(row)

    flow = _Flow(costs, [r.max_load for r in experts], load, balance)
    demand = [max(0, per_application - len(fixed_by_app[a])) for a in range(len(apps))]
    # Hardest to staff first: the fewest spare candidates for what is still needed.
    for a in sorted(range(len(apps)), key=lambda a: (len(costs[a]) - demand[a], apps[a].id)):
        for _unit in range(demand[a]):
            if not flow.augment_from(a):
                break

    pairs: list[Pair] = []
    shortfalls: list[Shortfall] = []
    for a, application in enumerate(apps):
        chosen = sorted((r, True) for r in fixed_by_app[a])
        chosen += sorted((r, False) for r in flow.taken[a])
        for r, is_fixed in sorted(chosen):
            reviewer = experts[r]
            points, reasons = affinity(
                application, reviewer, bids.get((reviewer.id, application.id))
            )
            if is_fixed:
                reasons = (Reason(_("Affectation fixée par l’équipe"), 0), *reasons)
            pairs.append(Pair(reviewer.id, application.id, points, reasons, fixed=is_fixed))
        if len(chosen) < per_application:
            shortfalls.append(
                Shortfall(
                    application_id=application.id,
                    needed=per_application,
                    assigned=len(chosen),
                    eligible=eligible[a],
                    conflicted=conflicted[a],
                    removed=removed_count[a],
                    reason=_shortfall_reason(
                        eligible=eligible[a], assigned=len(chosen), needed=per_application
                    ),
                )
            )
    loads = {reviewer.id: flow.load[r] for r, reviewer in enumerate(experts)}
    return Proposal(pairs=tuple(pairs), loads=loads, shortfalls=tuple(shortfalls))
