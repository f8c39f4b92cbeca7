"""The matchmaking score: exact figures on known pairs, and properties over any pair — never
lowered by a shared discipline or a sought capability, always between 0 and 100, the same
ranking for the same data."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sankore.partnerships.matching import DisciplineTree, Party, Weights, rank, score

# A small taxonomy: sciences (1) > biology (2) > agronomy (3), ecology (4); law (5) > tax law (6).
TREE = DisciplineTree(
    parents={1: None, 2: 1, 3: 2, 4: 2, 5: None, 6: 5},
    names={1: "Sciences", 2: "Biologie", 3: "Agronomie", 4: "Écologie", 5: "Droit", 6: "Fiscalité"},
)
CAPABILITIES = ["studio-video", "ingenierie-pedagogique", "hebergement", "tutorat", "traduction"]
NAMES = {c: c for c in CAPABILITIES}
LANGUAGES = {"fr": "français", "en": "anglais", "wo": "wolof"}


def _score(seeker: Party, candidate: Party, weights: Weights | None = None) -> Any:
    return score(
        seeker=seeker, candidate=candidate, weights=weights or Weights(), tree=TREE,
        capability_names=NAMES, language_names=LANGUAGES,
    )  # fmt: skip


OUAGA = Party(
    institution_id=1, name="Université de Ouagadougou", is_north=False, region="afrique-ouest",
    region_name="Afrique de l'Ouest", disciplines=frozenset({3}), languages=frozenset({"fr"}),
    capabilities=frozenset({"tutorat"}), sought=frozenset({"studio-video", "hebergement"}),
)  # fmt: skip


def test_a_perfect_complement_scores_the_weights_of_what_it_brings() -> None:
    bordeaux = Party(
        institution_id=2, name="Université de Bordeaux", is_north=True, region="europe-ouest",
        disciplines=frozenset({3}), languages=frozenset({"fr", "en"}),
        capabilities=frozenset({"studio-video", "hebergement"}),
        collaborations_by_region={"afrique-ouest": 1},
    )  # fmt: skip
    match = _score(OUAGA, bordeaux)
    # 30 + 25 + 15 + 15 + 15 × 1/3 = 90 points of 100; no load.
    assert match.score == 90.0
    assert [str(reason.text) for reason in match.reasons] == [
        "Même discipline : Agronomie",
        "Apporte ce que vous cherchez : studio-video, hebergement",
        "Langue d’enseignement commune : français",
        "Binôme Nord–Sud : un établissement du Nord et un du Sud",
        "A déjà co-construit 1 cours avec un établissement de votre région (Afrique de l'Ouest)",
    ]
    assert [reason.points for reason in match.reasons] == [30.0, 25.0, 15.0, 15.0, 5.0]


def test_closeness_follows_the_taxonomy() -> None:
    assert TREE.closeness(3, 3) == 1.0
    assert TREE.closeness(3, 2) == TREE.closeness(2, 3) == 0.6
    assert TREE.closeness(3, 4) == 0.4
    assert TREE.closeness(3, 1) == 0.2  # grandparent: same family
    assert TREE.closeness(3, 6) == 0.0


def test_a_neighbouring_discipline_is_explained_as_such() -> None:
    ecologists = Party(
        institution_id=3, name="Écologues", is_north=False, disciplines=frozenset({4})
    )
    match = _score(OUAGA, ecologists)
    assert str(match.reasons[0].text) == "Discipline voisine : Écologie, proche de Agronomie"
    assert match.parts["discipline"] == 0.4


def test_the_load_lowers_the_score_and_says_why() -> None:
    busy = Party(
        institution_id=4, name="Occupée", is_north=True, disciplines=frozenset({3}),
        partnerships_under_way=5,
    )  # fmt: skip
    idle = Party(institution_id=5, name="Libre", is_north=True, disciplines=frozenset({3}))
    assert _score(OUAGA, idle).score - _score(OUAGA, busy).score == 10.0
    assert str(_score(OUAGA, busy).reasons[-1].text) == "Déjà engagé dans 5 partenariats en cours"
    assert _score(OUAGA, busy).reasons[-1].points == -10.0


def test_weights_set_by_the_programme_change_the_order() -> None:
    same_field_south = Party(
        institution_id=6, name="Même discipline, au Sud", is_north=False, disciplines=frozenset({3})
    )
    other_field_north = Party(
        institution_id=7, name="Autre discipline, au Nord", is_north=True,
        capabilities=frozenset({"studio-video", "hebergement"}),
    )  # fmt: skip
    candidates = [same_field_south, other_field_north]

    def order(weights: Weights) -> list[int]:
        return [
            m.candidate.institution_id
            for m in rank(
                seeker=OUAGA,
                candidates=candidates,
                weights=weights,
                tree=TREE,
                capability_names=NAMES,
                language_names=LANGUAGES,
            )
        ]

    assert order(Weights(discipline=60, capabilities=10, north_south=10)) == [6, 7]
    assert order(Weights(discipline=10, capabilities=40, north_south=40)) == [7, 6]


def test_ties_are_ranked_by_name_then_id_and_the_seeker_is_never_its_own_candidate() -> None:
    twins = [
        Party(institution_id=9, name="Zinder", is_north=False),
        Party(institution_id=8, name="Écoles d'Abidjan", is_north=False),
        Party(institution_id=10, name="ecoles d'abidjan", is_north=False),
        OUAGA,
    ]
    ranked = rank(
        seeker=OUAGA, candidates=twins, weights=Weights(), tree=TREE,
        capability_names=NAMES, language_names=LANGUAGES,
    )  # fmt: skip
    assert [m.candidate.institution_id for m in ranked] == [8, 10, 9]


parties = st.builds(
    Party,
    institution_id=st.integers(min_value=100, max_value=10_000),
    name=st.text(min_size=1, max_size=20),
    is_north=st.booleans(),
    region=st.sampled_from(["", "afrique-ouest", "europe-ouest", "maghreb"]),
    disciplines=st.frozensets(st.sampled_from(list(TREE.parents)), max_size=4),
    languages=st.frozensets(st.sampled_from(list(LANGUAGES)), max_size=3),
    capabilities=st.frozensets(st.sampled_from(CAPABILITIES), max_size=5),
    sought=st.frozensets(st.sampled_from(CAPABILITIES), max_size=5),
    collaborations_by_region=st.dictionaries(
        st.sampled_from(["afrique-ouest", "europe-ouest", "maghreb"]),
        st.integers(min_value=0, max_value=10),
        max_size=3,
    ),
    partnerships_under_way=st.integers(min_value=0, max_value=10),
)
weights = st.builds(
    Weights,
    discipline=st.integers(0, 100), capabilities=st.integers(0, 100),
    language=st.integers(0, 100), north_south=st.integers(0, 100),
    past_collaborations=st.integers(0, 100), load=st.integers(0, 100),
)  # fmt: skip


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(
    seeker=parties, candidate=parties, weights=weights, extra=st.sampled_from(list(TREE.parents))
)
def test_a_shared_discipline_never_lowers_the_score(
    seeker: Party, candidate: Party, weights: Weights, extra: int
) -> None:
    richer = Party(**{**candidate.__dict__, "disciplines": candidate.disciplines | {extra}})
    assert _score(seeker, richer, weights).score >= _score(seeker, candidate, weights).score


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(seeker=parties, candidate=parties, weights=weights, extra=st.sampled_from(CAPABILITIES))
def test_a_complementary_capability_never_lowers_the_score(
    seeker: Party, candidate: Party, weights: Weights, extra: str
) -> None:
    richer = Party(**{**candidate.__dict__, "capabilities": candidate.capabilities | {extra}})
    assert _score(seeker, richer, weights).score >= _score(seeker, candidate, weights).score


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(seeker=parties, candidate=parties, weights=weights)
def test_the_score_stays_between_0_and_100_and_is_deterministic(
    seeker: Party, candidate: Party, weights: Weights
) -> None:
    first = _score(seeker, candidate, weights)
    assert 0 <= first.score <= 100
    assert _score(seeker, candidate, weights) == first


@settings(deadline=None)  # a slow shared machine must not fail a pure function
@given(seeker=parties, candidates=st.lists(parties, max_size=8), weights=weights)
def test_the_ranking_is_sorted_and_does_not_depend_on_input_order(
    seeker: Party, candidates: list[Party], weights: Weights
) -> None:
    def ids(pool: list[Party]) -> list[tuple[int, float]]:
        return [
            (m.candidate.institution_id, m.score)
            for m in rank(
                seeker=seeker,
                candidates=pool,
                weights=weights,
                tree=TREE,
                capability_names=NAMES,
                language_names=LANGUAGES,
            )
        ]

    unique = list({party.institution_id: party for party in candidates}.values())
    forward, backward = ids(unique), ids(list(reversed(unique)))
    assert forward == backward
    assert [score for _id, score in forward] == sorted((s for _id, s in forward), reverse=True)


@pytest.mark.parametrize("disciplines", [frozenset(), frozenset({6})])
def test_no_common_ground_gives_no_discipline_reason(disciplines: frozenset[int]) -> None:
    stranger = Party(institution_id=11, name="Juristes", is_north=False, disciplines=disciplines)
    assert all("discipline" not in str(r.text).lower() for r in _score(OUAGA, stranger).reasons)
