"""Reads of the partnerships app: who sees which partnership, the ideas' list, the
matchmaking's candidates (a few queries whatever their number) and the programme's
dashboard."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    When,
)
from django.http import Http404

from sankore.accounts.models import Role, RoleAssignment
from sankore.accounts.permissions import AnyUser, user_is_programme_staff
from sankore.catalog.models import Course, Discipline, Language
from sankore.institutions.geography import NORTH_COUNTRIES, Hemisphere, Region
from sankore.institutions.models import Institution
from sankore.partnerships import matching
from sankore.partnerships.models import (
    Capability,
    IdeaStatus,
    InstitutionProfile,
    MatchWeights,
    Partnership,
    PartnershipEvent,
    PartnershipState,
    ProjectIdea,
)
from sankore.partnerships.services import ACADEMIC_KINDS, UNDER_WAY


def institution_ids_spoken_for(*, user: AnyUser) -> set[int]:
    """Institutions in whose name the user acts in partnerships (staff or signatory)."""
    if not user.is_authenticated:
        return set()
    return set(
        RoleAssignment.objects.filter(
            user_id=user.pk, role__in=[Role.INSTITUTION_STAFF, Role.SIGNATORY]
        ).values_list("institution_id", flat=True)
    )


def partnership_queryset_visible_to(*, user: AnyUser) -> QuerySet[Partnership]:
    """Programme staff see every partnership; the people of an institution see its own."""
    partnerships = Partnership.objects.select_related("proposer", "partner")
    if user_is_programme_staff(user=user):
        return partnerships
    ids = institution_ids_spoken_for(user=user)
    return partnerships.filter(Q(proposer_id__in=ids) | Q(partner_id__in=ids))


def partnership_get_for(*, user: AnyUser, pk: int) -> Partnership:
    partnership = partnership_queryset_visible_to(user=user).filter(pk=pk).first()
    if partnership is None:
        raise Http404
    return partnership


def partnership_events(*, partnership: Partnership) -> QuerySet[PartnershipEvent]:
    return partnership.events.select_related("actor").order_by("at", "pk")


def idea_list(
    *,
    kind: str = "",
    discipline: Discipline | None = None,
    language: str = "",
    audience: str = "",
    region: str = "",
) -> QuerySet[ProjectIdea]:
    """Open ideas, newest first; a discipline also finds the ideas of its sub-disciplines."""
    ideas = ProjectIdea.objects.filter(status=IdeaStatus.OPEN).select_related(
        "institution", "discipline", "language"
    )
    if kind:
        ideas = ideas.filter(kind=kind)
    if discipline is not None:
        ideas = ideas.filter(Q(discipline=discipline) | Q(discipline__parent=discipline))
    if language:
        ideas = ideas.filter(language_id=language)
    if audience:
        ideas = ideas.filter(audience=audience)
    if region:
        ideas = ideas.filter(institution__region=region)
    return ideas.order_by("-created_at", "-pk")


def match_weights_current() -> matching.Weights:
    row = MatchWeights.objects.first()
    if row is None:
        return matching.Weights()
    return matching.Weights(
        discipline=row.discipline, capabilities=row.capabilities, language=row.language,
        north_south=row.north_south, past_collaborations=row.past_collaborations, load=row.load,
    )  # fmt: skip


def _tree() -> matching.DisciplineTree:
    parents: dict[int, int | None] = {}
    names: dict[int, str] = {}
    for discipline in Discipline.objects.only("pk", "parent_id", "name_fr", "name_en"):
        parents[discipline.pk] = discipline.parent_id
        names[discipline.pk] = discipline.name
    return matching.DisciplineTree(parents=parents, names=names)


def _language_names() -> dict[str, str]:
    return {language.code: language.name for language in Language.objects.all()}


@dataclass(frozen=True)
class _Facts:
    """What the database says of the institutions under comparison."""

    disciplines: dict[int, set[int]]
    languages: dict[int, set[str]]
    capabilities: dict[int, set[str]]
    collaborations: dict[int, Counter[str]]
    under_way: Counter[int]


def _facts(institution_ids: Sequence[int]) -> _Facts:
    ids = list(institution_ids)
    disciplines: dict[int, set[int]] = defaultdict(set)
    languages: dict[int, set[str]] = defaultdict(set)
    capabilities: dict[int, set[str]] = defaultdict(set)
    profiles = InstitutionProfile.objects.filter(institution_id__in=ids)
    for institution_id, values in profiles.values_list("institution_id", "capabilities"):
        capabilities[institution_id] = set(values or [])
    by_profile = dict(profiles.values_list("pk", "institution_id"))
    for profile_id, discipline_id in InstitutionProfile.disciplines.through.objects.filter(
        institutionprofile_id__in=list(by_profile)
    ).values_list("institutionprofile_id", "discipline_id"):
        disciplines[by_profile[profile_id]].add(discipline_id)
    for profile_id, code in InstitutionProfile.languages.through.objects.filter(
        institutionprofile_id__in=list(by_profile)
    ).values_list("institutionprofile_id", "language_id"):
        languages[by_profile[profile_id]].add(code)
    # The courses already on the platform say what an institution teaches, in what language,
    # and with whom it built them.
    published = Course.objects.filter(is_published=True)
    members: dict[int, set[int]] = defaultdict(set)
    for through in (Course.owners.through, Course.partners.through):
        for course_id, institution_id in through.objects.filter(course__in=published).values_list(
            "course_id", "institution_id"
        ):
            members[course_id].add(institution_id)
    own_courses = {course for course, people in members.items() if people & set(ids)}
    for course_id, discipline_id in Course.disciplines.through.objects.filter(
        course_id__in=own_courses
    ).values_list("course_id", "discipline_id"):
        for institution_id in members[course_id] & set(ids):
            disciplines[institution_id].add(discipline_id)
    for course_id, code in Course.languages.through.objects.filter(
        course_id__in=own_courses
    ).values_list("course_id", "language_id"):
        for institution_id in members[course_id] & set(ids):
            languages[institution_id].add(code)
    regions = dict(Institution.objects.values_list("pk", "region"))
    collaborations: dict[int, Counter[str]] = defaultdict(Counter)
    for course_id in own_courses:
        people = members[course_id]
        for institution_id in people & set(ids):
            for region in {regions.get(other, "") for other in people - {institution_id}}:
                if region:
                    collaborations[institution_id][region] += 1
    # Courses produced by a partnership count as built together too.
    for proposer, partner in Partnership.objects.filter(
        state__in=[PartnershipState.PRODUCED, PartnershipState.CLOSED]
    ).values_list("proposer_id", "partner_id"):
        for one, other in ((proposer, partner), (partner, proposer)):
            if one in ids and regions.get(other):
                collaborations[one][regions[other]] += 1
    under_way: Counter[int] = Counter()
    for proposer, partner in Partnership.objects.filter(state__in=list(UNDER_WAY)).values_list(
        "proposer_id", "partner_id"
    ):
        under_way[proposer] += 1
        under_way[partner] += 1
    return _Facts(disciplines, languages, capabilities, collaborations, under_way)


def _party(
    institution: Institution, facts: _Facts, *, sought: frozenset[str] = frozenset()
) -> matching.Party:
    return matching.Party(
        institution_id=institution.pk,
        name=institution.name,
        is_north=institution.hemisphere == Hemisphere.NORTH,
        region=institution.region,
        region_name=str(Region(institution.region).label) if institution.region else "",
        disciplines=frozenset(facts.disciplines.get(institution.pk, set())),
        languages=frozenset(facts.languages.get(institution.pk, set())),
        capabilities=frozenset(facts.capabilities.get(institution.pk, set())),
        sought=sought,
        collaborations_by_region=dict(facts.collaborations.get(institution.pk, Counter())),
        partnerships_under_way=facts.under_way.get(institution.pk, 0),
    )


@dataclass(frozen=True)
class Candidate:
    institution: Institution
    match: matching.Match
    # A partnership already under way between the two (then no new proposal is offered).
    current: Partnership | None = None


def match_candidates(
    *, institution: Institution, idea: ProjectIdea | None = None, limit: int = 20
) -> list[Candidate]:
    """Candidate partners for the institution (or for one of its project ideas), best first.

    For an idea, what is looked for is the idea's discipline, language and « nous
    cherchons »; for an institution, its profile's disciplines and languages and the
    capabilities it lacks."""
    pool = list(
        Institution.objects.filter(kind__in=list(ACADEMIC_KINDS))
        .exclude(pk=institution.pk)
        .exclude(partnership_profile__open_to_partnerships=False)
    )
    facts = _facts([institution.pk, *(candidate.pk for candidate in pool)])
    own = facts.capabilities.get(institution.pk, set())
    if idea is not None:
        sought = frozenset(idea.seeks) or frozenset(Capability.values) - own - set(idea.brings)
        seeker = matching.Party(
            **{
                **_party(institution, facts).__dict__,
                "disciplines": frozenset({idea.discipline_id}),
                "languages": frozenset({idea.language_id}),
                "capabilities": frozenset(own | set(idea.brings)),
                "sought": sought,
            }
        )
    else:
        seeker = _party(institution, facts, sought=frozenset(Capability.values) - own)
    matches = matching.rank(
        seeker=seeker,
        candidates=[_party(candidate, facts) for candidate in pool],
        weights=match_weights_current(),
        tree=_tree(),
        capability_names=dict(Capability.choices),
        language_names=_language_names(),
        limit=limit,
    )
    by_id = {candidate.pk: candidate for candidate in pool}
    shown = [m.candidate.institution_id for m in matches]
    current: dict[int, Partnership] = {}
    for partnership in Partnership.objects.filter(
        Q(proposer=institution, partner_id__in=shown)
        | Q(partner=institution, proposer_id__in=shown)
    ).exclude(state__in=[PartnershipState.DECLINED, PartnershipState.CLOSED]):
        other = (
            partnership.partner_id
            if partnership.proposer_id == institution.pk
            else partnership.proposer_id
        )
        current.setdefault(other, partnership)
    return [
        Candidate(by_id[m.candidate.institution_id], m, current.get(m.candidate.institution_id))
        for m in matches
    ]


# --- The programme's dashboard ---------------------------------------------------------------
#
# Counted by the database: a handful of queries whatever the number of partnerships.

DAY = datetime.timedelta(days=1)
_DURATION = ExpressionWrapper(F("signed_at") - F("proposed_at"), output_field=DurationField())


def region_name(code: str) -> str:
    """The AUF region's name in the reader's language, "" when unknown."""
    return str(Region(code).label) if code in Region.values else ""


def _region_label(code: str) -> str:
    return region_name(code) or "—"


@dataclass(frozen=True)
class RegionPairCount:
    """A region pair, the North one first (codes, "" when unknown), and its partnerships."""

    first: str
    second: str
    count: int

    @property
    def key(self) -> str:
        """The pair as a filter value: « europe-ouest:afrique-ouest »."""
        return f"{self.first}:{self.second}"

    @property
    def label(self) -> str:
        return f"{_region_label(self.first)} → {_region_label(self.second)}"


@dataclass(frozen=True)
class Dashboard:
    by_state: list[tuple[str, Any, int]]  # (state, label, count), every state in workflow order
    by_region_pair: list[RegionPairCount]  # most partnerships first
    total: int
    signed_count: int
    days_to_agreement_median: float | None
    days_to_agreement_max: float | None


def region_pair(partnership: Partnership) -> tuple[str, str]:
    """The pair as « North region → South region » (or in proposal order for two of a kind)."""
    one, other = partnership.proposer, partnership.partner
    if one.hemisphere == Hemisphere.SOUTH and other.hemisphere == Hemisphere.NORTH:
        one, other = other, one
    return _region_label(one.region), _region_label(other.region)


def _pair_side(side: str) -> Case:
    """``region_pair`` as SQL: one side's region code, the North one first (``"first"``)."""
    north = sorted(NORTH_COUNTRIES)
    swapped = ~Q(proposer__country__in=north) & Q(partner__country__in=north)
    one, other = ("partner", "proposer") if side == "first" else ("proposer", "partner")
    return Case(
        When(swapped, then=F(f"{one}__region")),
        default=F(f"{other}__region"),
        output_field=CharField(),
    )


def days_to_agreement(partnership: Partnership) -> float | None:
    """Days from the proposal to the last signature, to a tenth of a day."""
    if partnership.signed_at is None:
        return None
    return round((partnership.signed_at - partnership.proposed_at) / DAY, 1)


def programme_partnerships(
    *, state: str = "", pair: tuple[str, str] | None = None
) -> QuerySet[Partnership]:
    """Every partnership, newest first, optionally of one state and one region pair (codes,
    North first), with its institutions, ``pair_first``/``pair_second`` and
    ``course_count``."""
    partnerships = (
        Partnership.objects.select_related("proposer", "partner")
        .annotate(pair_first=_pair_side("first"), pair_second=_pair_side("second"))
        .annotate(course_count=Count("courses", distinct=True))
    )
    if state:
        partnerships = partnerships.filter(state=state)
    if pair is not None:
        partnerships = partnerships.filter(pair_first=pair[0], pair_second=pair[1])
    return partnerships.order_by("-proposed_at", "-pk")


def programme_dashboard() -> Dashboard:
    """Partnerships by state and by region pair, and the time to agreement (four queries)."""
    partnerships = Partnership.objects.order_by()
    states = dict(
        partnerships.values_list("state").annotate(count=Count("pk")).values_list("state", "count")
    )
    pairs = [
        RegionPairCount(first or "", second or "", count)
        for first, second, count in partnerships.annotate(
            pair_first=_pair_side("first"), pair_second=_pair_side("second")
        )
        .values_list("pair_first", "pair_second")
        .annotate(count=Count("pk"))
        .values_list("pair_first", "pair_second", "count")
    ]
    signed = partnerships.filter(signed_at__isnull=False).annotate(duration=_DURATION)
    figures = signed.aggregate(count=Count("pk"), longest=Max("duration"))
    n = figures["count"]
    median: float | None = None
    if n:
        # The middle one or two, found by the database: no need to load every duration.
        middle = signed.order_by("duration", "pk").values_list("duration", flat=True)
        values = list(middle[(n - 1) // 2 : n // 2 + 1])
        median = round(sum(value / DAY for value in values) / len(values), 1)
    return Dashboard(
        by_state=[
            (state.value, state.label, states.get(state.value, 0)) for state in PartnershipState
        ],
        by_region_pair=sorted(
            pairs, key=lambda row: (-row.count, row.label.casefold(), row.first, row.second)
        ),
        total=sum(states.values()),
        signed_count=n,
        days_to_agreement_median=median,
        days_to_agreement_max=round(figures["longest"] / DAY, 1) if n else None,
    )


def match_weights_history(*, limit: int = 50) -> QuerySet[MatchWeights]:
    """The weights set so far, the one in force first, with who set them."""
    return MatchWeights.objects.select_related("created_by").order_by("-created_at", "-pk")[:limit]
