"""The matchmaking score: pure arithmetic over what two institutions are, no database.

Six parts, each between 0 and 1, weighted by the programme's ``MatchWeights``:

- disciplines: for each discipline the seeker works in, the closest one the candidate works
  in (same 1, parent or child 0.6, sisters 0.4, same family 0.2), averaged;
- capabilities: the share of what the seeker looks for that the candidate brings;
- language: 1 when they teach in a common language;
- North–South: 1 when one is of the North and the other of the South;
- past collaborations: courses the candidate already co-built with institutions of the
  seeker's region (three or more count fully);
- load, subtracted: the candidate's partnerships under way (five or more count fully).

The score is out of 100: the weighted sum over the sum of the positive weights, never
below 0. Candidates are ranked by score, then name, then id: the same data always gives the
same list. Adding a shared discipline or a sought capability to a candidate never lowers its
score (the property tests check it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_stubs_ext import StrOrPromise

from sankore.core.text import fold

SAME, PARENT_OR_CHILD, SISTERS, SAME_FAMILY = 1.0, 0.6, 0.4, 0.2
FULL_PAST_COLLABORATIONS = 3
FULL_LOAD = 5


@dataclass(frozen=True)
class Weights:
    discipline: int = 30
    capabilities: int = 25
    language: int = 15
    north_south: int = 15
    past_collaborations: int = 15
    load: int = 10

    @property
    def positive_total(self) -> int:
        return (
            self.discipline
            + self.capabilities
            + self.language
            + self.north_south
            + self.past_collaborations
        )


@dataclass(frozen=True)
class DisciplineTree:
    """Each discipline's parent (None for a top one) and its name in the reader's language."""

    parents: Mapping[int, int | None]
    names: Mapping[int, str] = field(default_factory=dict)
    # Each discipline's top ancestor, worked out once (a ranking asks it thousands of times).
    roots: Mapping[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roots", {d: self._climb(d) for d in self.parents})

    def _climb(self, discipline: int) -> int:
        seen = {discipline}
        while (parent := self.parents.get(discipline)) is not None and parent not in seen:
            seen.add(parent)
            discipline = parent
        return discipline

    def root(self, discipline: int) -> int:
        return self.roots.get(discipline, discipline)

    def closeness(self, a: int, b: int) -> float:
        if a == b:
            return SAME
        parent_a, parent_b = self.parents.get(a), self.parents.get(b)
        if parent_a == b or parent_b == a:
            return PARENT_OR_CHILD
        if parent_a is not None and parent_a == parent_b:
            return SISTERS
        if self.root(a) == self.root(b):
            return SAME_FAMILY
        return 0.0

    def name(self, discipline: int) -> str:
        return self.names.get(discipline, str(discipline))


@dataclass(frozen=True)
class Party:
    """What the matchmaking knows of one institution (or of a project idea's needs)."""

    institution_id: int
    name: str
    is_north: bool
    region: str = ""
    region_name: str = ""
    disciplines: frozenset[int] = frozenset()
    languages: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()
    # What a seeker looks for (a candidate's is not read).
    sought: frozenset[str] = frozenset()
    # Courses co-built with institutions of each region, and partnerships under way.
    collaborations_by_region: Mapping[str, int] = field(default_factory=dict)
    partnerships_under_way: int = 0


@dataclass(frozen=True)
class Reason:
    """One plain-language line of the explanation; ``points`` is its share of the score
    (negative for the load)."""

    text: StrOrPromise
    points: float


@dataclass(frozen=True)
class Match:
    candidate: Party
    score: float
    reasons: tuple[Reason, ...]
    parts: Mapping[str, float]


def _discipline_part(
    seeker: Party, candidate: Party, tree: DisciplineTree
) -> tuple[float, list[tuple[int, int, float]]]:
    """The averaged closeness, and for each seeker discipline its best match (if any)."""
    if not seeker.disciplines:
        return 0.0, []
    best: list[tuple[int, int, float]] = []
    total = 0.0
    for wanted in sorted(seeker.disciplines):
        found = max(
            ((tree.closeness(wanted, offered), -offered) for offered in candidate.disciplines),
            default=(0.0, 0),
        )
        total += found[0]
        if found[0] > 0:
            best.append((wanted, -found[1], found[0]))
    return total / len(seeker.disciplines), best


def score(
    *,
    seeker: Party,
    candidate: Party,
    weights: Weights,
    tree: DisciplineTree,
    capability_names: Mapping[str, StrOrPromise],
    language_names: Mapping[str, str],
) -> Match:
    discipline, closest = _discipline_part(seeker, candidate, tree)
    shared = seeker.sought & candidate.capabilities
    # In the order the names are given (the programme's list), unknown ones last.
    brought = [c for c in capability_names if c in shared] + sorted(shared - set(capability_names))
    capabilities = len(brought) / len(seeker.sought) if seeker.sought else 0.0
    common_languages = sorted(seeker.languages & candidate.languages)
    language = 1.0 if common_languages else 0.0
    north_south = 1.0 if seeker.is_north != candidate.is_north else 0.0
    past_count = candidate.collaborations_by_region.get(seeker.region, 0) if seeker.region else 0
    past = min(past_count, FULL_PAST_COLLABORATIONS) / FULL_PAST_COLLABORATIONS
    load = min(candidate.partnerships_under_way, FULL_LOAD) / FULL_LOAD
    parts = {
        "discipline": discipline,
        "capabilities": capabilities,
        "language": language,
        "north_south": north_south,
        "past_collaborations": past,
        "load": load,
    }
    scale = 100 / weights.positive_total if weights.positive_total else 0.0

    def points(weight: int, part: float) -> float:
        return round(weight * part * scale, 1)

    reasons: list[Reason] = []
    if closest:
        same = [tree.name(wanted) for wanted, offered, value in closest if value == SAME]
        near = [
            (tree.name(offered), tree.name(wanted))
            for wanted, offered, value in closest
            if value < SAME
        ]
        if same:
            text: StrOrPromise = format_lazy("{}{}", _("Même discipline : "), ", ".join(same))
        else:
            offered_name, wanted_name = near[0]
            text = _("Discipline voisine : %(offered)s, proche de %(wanted)s") % {
                "offered": offered_name, "wanted": wanted_name,
            }  # fmt: skip
        reasons.append(Reason(text, points(weights.discipline, discipline)))
    if brought:
        names = ", ".join(str(capability_names.get(c, c)) for c in brought)
        reasons.append(
            Reason(
                _("Apporte ce que vous cherchez : %(names)s") % {"names": names},
                points(weights.capabilities, capabilities),
            )
        )
    if common_languages:
        names = ", ".join(language_names.get(code, code) for code in common_languages)
        reasons.append(
            Reason(
                _("Langue d’enseignement commune : %(languages)s") % {"languages": names},
                points(weights.language, language),
            )
        )
    if north_south:
        reasons.append(
            Reason(
                _("Binôme Nord–Sud : un établissement du Nord et un du Sud"),
                points(weights.north_south, north_south),
            )
        )
    if past_count:
        reasons.append(
            Reason(
                ngettext_lazy(
                    "A déjà co-construit %(count)d cours avec un établissement de votre "
                    "région (%(region)s)",
                    "A déjà co-construit %(count)d cours avec des établissements de votre "
                    "région (%(region)s)",
                    "count",
                )
                % {"count": past_count, "region": seeker.region_name or seeker.region},
                points(weights.past_collaborations, past),
            )
        )
    if candidate.partnerships_under_way:
        reasons.append(
            Reason(
                ngettext_lazy(
                    "Déjà engagé dans %(count)d partenariat en cours",
                    "Déjà engagé dans %(count)d partenariats en cours",
                    "count",
                )
                % {"count": candidate.partnerships_under_way},
                -points(weights.load, load),
            )
        )
    weighted = (
        weights.discipline * discipline
        + weights.capabilities * capabilities
        + weights.language * language
        + weights.north_south * north_south
        + weights.past_collaborations * past
        - weights.load * load
    )
    total = max(0.0, round(weighted * scale, 1))
    return Match(candidate=candidate, score=total, reasons=tuple(reasons), parts=parts)


def rank(
    *,
    seeker: Party,
    candidates: Iterable[Party],
    weights: Weights,
    tree: DisciplineTree,
    capability_names: Mapping[str, StrOrPromise],
    language_names: Mapping[str, str],
    limit: int | None = None,
) -> Sequence[Match]:
    """Every candidate but the seeker itself, best first; ties by name, then id."""
    matches = [
        score(
            seeker=seeker,
            candidate=candidate,
            weights=weights,
            tree=tree,
            capability_names=capability_names,
            language_names=language_names,
        )
        for candidate in candidates
        if candidate.institution_id != seeker.institution_id
    ]
    matches.sort(key=lambda m: (-m.score, fold(m.candidate.name), m.candidate.institution_id))
    return matches[:limit] if limit is not None else matches
