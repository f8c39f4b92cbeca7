"""The reviewer assignment: hand-checked small calls for each rule, then properties over any
call — never a conflict, never beyond a load, a full assignment whenever one exists (checked
against a plain max-flow), the cheapest one on calls small enough to try them all, the same
proposal whatever the input order."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sankore.calls.assignment import (
    BEST_AFFINITY,
    Application,
    Proposal,
    Reviewer,
    affinity,
    affinity_points,
    conflict,
    propose,
)

# Institutions: 1 Dakar, 2 Montréal, 3 Liège, 4 Antananarivo.
AGRONOMY, ECOLOGY, LAW = 10, 11, 12


def _reviewer(id: int, **fields: Any) -> Reviewer:
    return Reviewer(**{"id": id, "max_load": 5, **fields})


def _pairs(proposal: Proposal) -> set[tuple[int, int]]:
    return {(pair.reviewer_id, pair.application_id) for pair in proposal.pairs}


def test_a_reviewer_of_the_lead_institution_is_never_proposed() -> None:
    application = Application(id=1, lead_institution_id=1, disciplines=frozenset({AGRONOMY}))
    insider = _reviewer(20, institution_id=1, disciplines=frozenset({AGRONOMY}))
    outsider = _reviewer(21, institution_id=2)
    proposal = propose(applications=[application], reviewers=[insider, outsider], per_application=1)
    assert _pairs(proposal) == {(21, 1)}
    assert str(conflict(application, insider)) == "Expert de l’établissement porteur"


def test_a_reviewer_of_a_partner_institution_is_never_proposed() -> None:
    application = Application(id=1, lead_institution_id=1, partner_institution_ids=frozenset({3}))
    partner = _reviewer(20, institution_id=3, languages=frozenset({"fr"}))
    independent = _reviewer(21)  # attached to no institution: never in conflict by it
    proposal = propose(applications=[application], reviewers=[partner, independent])
    assert _pairs(proposal) == {(21, 1)}
    assert str(conflict(application, partner)) == "Expert d’un établissement partenaire"
    assert [s.reason for s in proposal.shortfalls] == ["Seul 1 expert sans conflit disponible"]


def test_declared_conflicts_on_the_application_or_an_institution_are_respected() -> None:
    application = Application(id=1, lead_institution_id=1, partner_institution_ids=frozenset({3}))
    on_application = _reviewer(20, conflict_application_ids=frozenset({1}))
    on_partner = _reviewer(21, conflict_institution_ids=frozenset({3}))
    free = _reviewer(22, conflict_application_ids=frozenset({2}))
    proposal = propose(applications=[application], reviewers=[on_application, on_partner, free])
    assert _pairs(proposal) == {(22, 1)}
    assert str(conflict(application, on_application)) == (
        "Conflit d’intérêts déclaré sur cette candidature"
    )
    assert str(conflict(application, on_partner)) == (
        "Conflit d’intérêts déclaré avec un établissement de la candidature"
    )


def test_the_maximum_load_is_never_exceeded_even_for_the_best_reviewer() -> None:
    applications = [Application(id=i, lead_institution_id=1, language="fr") for i in (1, 2, 3)]
    star = _reviewer(20, max_load=1, languages=frozenset({"fr"}))
    plain = _reviewer(21)
    proposal = propose(applications=applications, reviewers=[star, plain], per_application=1)
    assert proposal.loads == {20: 1, 21: 2}
    assert not proposal.shortfalls


def test_fixed_pairs_are_kept_and_count_in_the_load() -> None:
    applications = [Application(id=i, lead_institution_id=1, language="fr") for i in (1, 2)]
    star = _reviewer(20, max_load=1, languages=frozenset({"fr"}))
    plain = _reviewer(21)
    # Staff put the better reviewer on application 2: application 1 gets the other one.
    proposal = propose(
        applications=applications, reviewers=[star, plain], per_application=1, fixed=[(20, 2)]
    )
    assert _pairs(proposal) == {(20, 2), (21, 1)}
    assert proposal.loads == {20: 1, 21: 1}
    fixed_pair = next(pair for pair in proposal.pairs if pair.application_id == 2)
    assert fixed_pair.fixed
    assert str(fixed_pair.reasons[0].text) == "Affectation fixée par l’équipe"


def test_removed_pairs_are_never_proposed() -> None:
    application = Application(id=1, lead_institution_id=1, language="fr")
    best = _reviewer(20, languages=frozenset({"fr"}))
    others = [_reviewer(21), _reviewer(22)]
    proposal = propose(applications=[application], reviewers=[best, *others], removed=[(20, 1)])
    assert _pairs(proposal) == {(21, 1), (22, 1)}


def test_bids_change_the_choice_and_a_no_is_taken_only_when_needed() -> None:
    application = Application(id=1, lead_institution_id=1)
    twins = [_reviewer(20), _reviewer(21), _reviewer(22)]
    wants = propose(
        applications=[application], reviewers=twins, per_application=1, bids={(22, 1): "oui"}
    )
    assert _pairs(wants) == {(22, 1)}
    declines = propose(
        applications=[application],
        reviewers=twins[:2],
        bids={(20, 1): "non"},
        per_application=2,
    )
    # A « non » is no conflict: with only two reviewers it is taken, and said so.
    assert _pairs(declines) == {(20, 1), (21, 1)}
    declined = next(pair for pair in declines.pairs if pair.reviewer_id == 20)
    assert declined.affinity == -100
    assert str(declined.reasons[-1].text) == "A demandé à ne pas expertiser cette candidature"
    maybe = propose(
        applications=[application],
        reviewers=twins,
        bids={(20, 1): "non", (21, 1): "peut-etre"},
        per_application=1,
    )
    assert _pairs(maybe) == {(21, 1)}


def test_the_affinity_is_explained_part_by_part() -> None:
    application = Application(
        id=1, lead_institution_id=1, disciplines=frozenset({AGRONOMY, ECOLOGY}),
        region="afrique-ouest", language="fr",
    )  # fmt: skip
    reviewer = _reviewer(
        20, disciplines=frozenset({AGRONOMY, LAW}), regions=frozenset({"afrique-ouest"}),
        languages=frozenset({"fr", "en"}),
    )  # fmt: skip
    points, reasons = affinity(application, reviewer, "peut-etre")
    # Half the disciplines (20 of 40), the language (20), the region (10), « peut-être » (15).
    assert points == affinity_points(application, reviewer, "peut-etre") == 65
    assert [(str(r.text), r.points) for r in reasons] == [
        ("Disciplines de la candidature couvertes : 1 sur 2", 20),
        ("Pratique la langue de la candidature (fr)", 20),
        ("Connaît la région (afrique-ouest)", 10),
        ("Pourrait expertiser cette candidature", 15),
    ]


def test_loads_are_balanced_between_equal_reviewers() -> None:
    applications = [Application(id=i, lead_institution_id=1) for i in range(1, 7)]
    proposal = propose(
        applications=applications, reviewers=[_reviewer(20), _reviewer(21), _reviewer(22)]
    )
    assert proposal.loads == {20: 4, 21: 4, 22: 4}


def test_a_chain_of_moves_staffs_everyone_where_taking_the_best_would_not() -> None:
    # Applications 1 and 2 are equally hard to staff, so 1 goes first and takes its best
    # match, 20; but 20 is the only reviewer left for 2 (21 is full with a fixed pair, 23 is of
    # its institution): the proposal moves 1 to 23 to give 20 to 2.
    first = Application(id=1, lead_institution_id=1, language="fr")
    second = Application(id=2, lead_institution_id=3)
    elsewhere = Application(id=3, lead_institution_id=4)
    best = _reviewer(20, max_load=1, languages=frozenset({"fr"}))
    full = _reviewer(21, max_load=1, institution_id=1)
    other = _reviewer(23, institution_id=3)
    proposal = propose(
        applications=[first, second, elsewhere],
        reviewers=[best, full, other],
        per_application=1,
        fixed=[(21, 3)],
    )
    assert _pairs(proposal) == {(23, 1), (20, 2), (21, 3)}
    assert not proposal.shortfalls


def test_an_application_short_of_reviewers_is_reported_with_why() -> None:
    applications = [
        Application(id=1, lead_institution_id=1),
        Application(id=2, lead_institution_id=1),
        Application(id=3, lead_institution_id=2),
    ]
    reviewers = [_reviewer(20, max_load=1, institution_id=2), _reviewer(21, max_load=1)]
    proposal = propose(applications=applications, reviewers=reviewers, per_application=1)
    assert len(proposal.pairs) == 2
    (short,) = proposal.shortfalls
    assert (short.needed, short.assigned, short.eligible, short.conflicted) == (1, 0, 2, 0)
    assert str(short.reason) == "Les 2 autres experts sans conflit ont atteint leur charge maximale"
    alone = propose(applications=[Application(id=4, lead_institution_id=9)], reviewers=[])
    assert str(alone.shortfalls[0].reason) == "Aucun expert sans conflit disponible"


@pytest.mark.parametrize(
    ("fixed", "removed", "message"),
    [
        ([(20, 1)], [], "in conflict"),
        ([(21, 1)], [(21, 1)], "also removed"),
        ([(21, 1), (21, 2)], [], "maximum load"),
        ([(99, 1)], [], "not in the call"),
    ],
)
def test_staff_decisions_that_break_a_rule_are_refused(
    fixed: list[tuple[int, int]], removed: list[tuple[int, int]], message: str
) -> None:
    applications = [
        Application(id=1, lead_institution_id=1),
        Application(id=2, lead_institution_id=3),
    ]
    reviewers = [_reviewer(20, institution_id=1), _reviewer(21, max_load=1)]
    with pytest.raises(ValueError, match=message):
        propose(applications=applications, reviewers=reviewers, fixed=fixed, removed=removed)


# --- Properties over random calls --------------------------------------------------------


@st.composite
def calls(
    draw: st.DrawFn,
    max_applications: int = 7,
    max_reviewers: int = 6,
    *,
    min_size: int = 0,
    min_load: int = 0,
    max_per_application: int = 3,
    institution_count: int = 4,
) -> dict[str, Any]:
    """A call small enough to check by hand, with conflicts, bids, staff decisions; the
    fewer the institutions, the more conflicts."""
    institutions = st.sampled_from(range(1, institution_count + 1))
    applications = [
        Application(
            id=draw(st.integers(1, 50)) * 100 + n,  # unique, in no particular order
            lead_institution_id=draw(institutions),
            partner_institution_ids=draw(st.frozensets(institutions, max_size=2)),
            disciplines=draw(st.frozensets(st.integers(1, 4), max_size=3)),
            region=draw(st.sampled_from(["", "a", "b"])),
            language=draw(st.sampled_from(["fr", "en"])),
        )
        for n in range(draw(st.integers(min_size, max_applications)))
    ]
    app_ids = [a.id for a in applications]
    reviewers = [
        Reviewer(
            id=draw(st.integers(1, 50)) * 100 + n,
            max_load=draw(st.integers(min_load, 3)),
            institution_id=draw(st.none() | institutions),
            disciplines=draw(st.frozensets(st.integers(1, 4), max_size=3)),
            regions=draw(st.frozensets(st.sampled_from(["a", "b"]))),
            languages=draw(st.frozensets(st.sampled_from(["fr", "en"]))),
            conflict_application_ids=frozenset(
                draw(st.lists(st.sampled_from(app_ids), max_size=2)) if app_ids else ()
            ),
            conflict_institution_ids=draw(st.frozensets(institutions, max_size=1)),
        )
        for n in range(draw(st.integers(min_size, max_reviewers)))
    ]
    all_pairs = [(r.id, a.id) for r in reviewers for a in applications]
    bids = {
        pair: draw(st.sampled_from(["oui", "peut-etre", "non"]))
        for pair in all_pairs
        if draw(st.booleans())
    }
    removed = (
        draw(st.sets(st.sampled_from(all_pairs), max_size=len(all_pairs) // 5))
        if all_pairs
        else set()
    )
    by_id = {a.id: a for a in applications}
    loads: dict[int, int] = {}
    fixed = set()
    wished = (
        draw(st.sets(st.sampled_from(all_pairs), max_size=len(all_pairs) // 4))
        if all_pairs
        else set()
    )
    for reviewer in reviewers:
        for app_id in app_ids:
            pair = (reviewer.id, app_id)
            if (
                pair in wished
                and pair not in removed
                and conflict(by_id[app_id], reviewer) is None
                and loads.get(reviewer.id, 0) < reviewer.max_load
            ):
                fixed.add(pair)
                loads[reviewer.id] = loads.get(reviewer.id, 0) + 1
    return {
        "applications": applications,
        "reviewers": reviewers,
        "bids": bids,
        "per_application": draw(st.integers(1, max_per_application)),
        "fixed": fixed,
        "removed": removed,
    }


def _allowed(call: Mapping[str, Any]) -> dict[tuple[int, int], bool]:
    """Every pair that may be proposed (fixed ones aside)."""
    return {
        (r.id, a.id): conflict(a, r) is None
        and (r.id, a.id) not in call["removed"]
        and (r.id, a.id) not in call["fixed"]
        for a in call["applications"]
        for r in call["reviewers"]
    }


def _max_flow(call: Mapping[str, Any]) -> int:
    """How many pairs a best assignment has, fixed ones included: Ford–Fulkerson on the plain
    graph source → application → reviewer → sink, independent of the code under test."""
    k = call["per_application"]
    fixed_by_app = {
        a.id: sum(1 for p in call["fixed"] if p[1] == a.id) for a in call["applications"]
    }
    fixed_by_rev = {r.id: sum(1 for p in call["fixed"] if p[0] == r.id) for r in call["reviewers"]}
    capacity: dict[tuple[Any, Any], int] = {}
    for a in call["applications"]:
        capacity[("s", ("a", a.id))] = max(0, k - fixed_by_app[a.id])
    for r in call["reviewers"]:
        capacity[(("r", r.id), "t")] = r.max_load - fixed_by_rev[r.id]
    for (r_id, a_id), ok in _allowed(call).items():
        if ok:
            capacity[(("a", a_id), ("r", r_id))] = 1
    neighbours: dict[Any, set[Any]] = {}
    for u, v in list(capacity):
        neighbours.setdefault(u, set()).add(v)
        neighbours.setdefault(v, set()).add(u)
        capacity.setdefault((v, u), 0)

    def path(node: Any, seen: set[Any]) -> bool:
        if node == "t":
            return True
        seen.add(node)
        for nxt in neighbours.get(node, ()):
            if nxt not in seen and capacity[(node, nxt)] > 0 and path(nxt, seen):
                capacity[(node, nxt)] -= 1
                capacity[(nxt, node)] += 1
                return True
        return False

    flow = 0
    while path("s", set()):
        flow += 1
    return flow + len(call["fixed"])


def _cost(call: Mapping[str, Any], pairs: Iterable[tuple[int, int]], balance: int = 3) -> int:
    """What the proposal minimises: 100 − affinity per pair, plus the growing load cost."""
    apps = {a.id: a for a in call["applications"]}
    reviewers = {r.id: r for r in call["reviewers"]}
    pairs = list(pairs)
    total = sum(
        BEST_AFFINITY - affinity_points(apps[a], reviewers[r], call["bids"].get((r, a)))
        for r, a in pairs
    )
    for r in reviewers:
        load = sum(1 for pair in pairs if pair[0] == r)
        total += balance * load * (load - 1) // 2
    return total


@settings(deadline=None, max_examples=200)  # a slow shared machine must not fail a pure function
@given(call=calls())
def test_the_hard_rules_hold_and_no_application_is_short_when_it_could_be_served(
    call: dict[str, Any],
) -> None:
    proposal = propose(**call)
    apps = {a.id: a for a in call["applications"]}
    reviewers = {r.id: r for r in call["reviewers"]}
    pairs = [(p.reviewer_id, p.application_id) for p in proposal.pairs]
    assert len(pairs) == len(set(pairs))
    assert all(conflict(apps[a], reviewers[r]) is None for r, a in pairs)
    assert not set(pairs) & call["removed"]
    assert call["fixed"] <= set(pairs)
    assert {p for p in proposal.pairs if p.fixed} == {
        p for p in proposal.pairs if (p.reviewer_id, p.application_id) in call["fixed"]
    }
    for reviewer in reviewers.values():
        assert proposal.loads[reviewer.id] == sum(1 for r, _a in pairs if r == reviewer.id)
        assert proposal.loads[reviewer.id] <= reviewer.max_load
    # As many pairs as a maximum flow: whenever a full assignment exists, this is one.
    assert len(pairs) == _max_flow(call)
    k = call["per_application"]
    short = {s.application_id for s in proposal.shortfalls}
    assert short == {a for a in apps if sum(1 for _r, x in pairs if x == a) < k}


@settings(deadline=None, max_examples=150)  # a slow shared machine must not fail a pure function
@given(call=calls(3, 4, min_size=2, min_load=2, max_per_application=2, institution_count=10))
def test_a_full_assignment_is_the_cheapest_one(call: dict[str, Any]) -> None:
    proposal = propose(**call)
    if proposal.shortfalls:
        return
    k, allowed = call["per_application"], _allowed(call)
    reviewers = {r.id: r for r in call["reviewers"]}
    choices = []
    for a in call["applications"]:
        own_fixed = [p for p in call["fixed"] if p[1] == a.id]
        candidates = [r for r in reviewers if allowed[(r, a.id)]]
        need = max(0, k - len(own_fixed))
        choices.append(
            [own_fixed + [(r, a.id) for r in c] for c in itertools.combinations(candidates, need)]
        )
    best = None
    for combination in itertools.product(*choices):
        pairs = [pair for chosen in combination for pair in chosen]
        loads = {r: sum(1 for p in pairs if p[0] == r) for r in reviewers}
        if all(loads[r] <= reviewers[r].max_load for r in reviewers):
            cost = _cost(call, pairs)
            best = cost if best is None else min(best, cost)
    assert best is not None
    assert _cost(call, _pairs(proposal)) == best


def _cheaper_exchange(call: Mapping[str, Any], proposal: Proposal, balance: int = 3) -> bool:
    """Whether some exchange of reviewers lowers the cost while every application keeps as
    many: a negative cycle in the residual graph (Bellman–Ford), the textbook certificate
    that a flow is the cheapest for what it serves."""
    apps = {a.id: a for a in call["applications"]}
    reviewers = {r.id: r for r in call["reviewers"]}
    pairs = _pairs(proposal)
    movable = pairs - set(call["fixed"])
    edges: list[tuple[Any, Any, int]] = []
    for (r, a), ok in _allowed(call).items():
        cost = BEST_AFFINITY - affinity_points(apps[a], reviewers[r], call["bids"].get((r, a)))
        if (r, a) in movable:
            edges.append((("r", r), ("a", a), -cost))  # take r off a
        elif ok:
            edges.append((("a", a), ("r", r), cost))  # put r on a
    for r, reviewer in reviewers.items():
        load = proposal.loads[r]
        if load < reviewer.max_load:
            edges.append((("r", r), "t", balance * load))  # one more on r's pile
        if any(pair[0] == r for pair in movable):
            edges.append(("t", ("r", r), -balance * (load - 1)))  # one fewer
    nodes = {u for u, _v, _c in edges} | {v for _u, v, _c in edges}
    distance = dict.fromkeys(nodes, 0)
    for _round in range(len(nodes) + 1):
        changed = False
        for u, v, cost in edges:
            if distance[u] + cost < distance[v]:
                distance[v] = distance[u] + cost
                changed = True
        if not changed:
            return False
    return True


@settings(deadline=None, max_examples=300)  # a slow shared machine must not fail a pure function
@given(call=calls(min_load=1, institution_count=8))
def test_no_exchange_of_reviewers_would_make_a_cheaper_proposal(call: dict[str, Any]) -> None:
    assert not _cheaper_exchange(call, propose(**call))


@settings(deadline=None, max_examples=150)  # a slow shared machine must not fail a pure function
@given(call=calls(), seed=st.integers(0, 2**32))
def test_the_input_order_does_not_change_the_proposal(call: dict[str, Any], seed: int) -> None:
    rng = random.Random(seed)
    shuffled = {
        **call,
        "applications": rng.sample(call["applications"], len(call["applications"])),
        "reviewers": rng.sample(call["reviewers"], len(call["reviewers"])),
        "bids": dict(rng.sample(list(call["bids"].items()), len(call["bids"]))),
        "fixed": rng.sample(sorted(call["fixed"]), len(call["fixed"])),
        "removed": rng.sample(sorted(call["removed"]), len(call["removed"])),
    }

    def plain(proposal: Proposal) -> tuple[Any, ...]:
        pairs = [
            (p.reviewer_id, p.application_id, p.affinity, p.fixed, [str(r.text) for r in p.reasons])
            for p in proposal.pairs
        ]
        shortfalls = [(s.application_id, s.assigned, str(s.reason)) for s in proposal.shortfalls]
        return pairs, sorted(proposal.loads.items()), shortfalls

    assert plain(propose(**shuffled)) == plain(propose(**call))


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(call=calls())
def test_removing_a_proposed_pair_then_proposing_again_never_brings_it_back(
    call: dict[str, Any],
) -> None:
    first = propose(**call)
    movable = [(p.reviewer_id, p.application_id) for p in first.pairs if not p.fixed]
    if not movable:
        return
    removed = call["removed"] | {movable[0]}
    again = propose(**{**call, "removed": removed})
    assert movable[0] not in _pairs(again)
    assert call["fixed"] <= _pairs(again)


def test_duplicate_ids_are_refused() -> None:
    application = Application(id=1, lead_institution_id=1)
    with pytest.raises(ValueError, match="unique"):
        propose(applications=[application, replace(application, region="a")], reviewers=[])
