"""Public JSON API of the catalog: courses (search with facets), sessions, disciplines.

Only published data: a draft course, or a session not published, does not exist here. Session
states are computed at the time of the request.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from pydantic import BaseModel

from sankore.catalog.models import (
    Course,
    CourseRun,
    Discipline,
    Language,
    RunState,
    run_state_filters,
)
from sankore.catalog.search import CourseSearchResult, FacetOption, course_search
from sankore.catalog.search_params import parse_course_search_params
from sankore.catalog.selectors import course_page_get
from sankore.core.api import (
    AbsoluteUrls,
    ApiParamsError,
    ErrorOut,
    PageOut,
    absolute,
    page_links,
    page_of,
)
from sankore.institutions.models import Institution

router = Router(tags=["Catalogue"])

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MAX_ID = 2**63 - 1  # beyond, no database column could hold the id


# --- Schemas ---------------------------------------------------------------------------------


class LanguageOut(BaseModel):
    code: str
    name: str


class DisciplineRefOut(BaseModel):
    slug: str
    name: str


class InstitutionRefOut(BaseModel):
    slug: str
    name: str
    acronym: str
    country: str
    url: str


class SessionOut(BaseModel):
    id: int
    course: str
    course_title: str
    title: str
    start: datetime.datetime
    end: datetime.datetime | None
    enrolment_start: datetime.datetime
    enrolment_end: datetime.datetime | None
    pacing: str
    pacing_label: str
    state: str
    state_label: str
    capacity: int | None
    seats_left: int | None
    is_full: bool
    url: str
    api_url: str


class CourseSummaryOut(BaseModel):
    id: int
    slug: str
    code: str
    title: str
    summary: str
    level: str
    level_label: str
    languages: list[LanguageOut]
    disciplines: list[DisciplineRefOut]
    owners: list[InstitutionRefOut]
    recognitions: list[str]
    ects_credits: int | None
    effort_hours_per_week: float
    duration_weeks: int
    image: str | None
    availability: str | None
    availability_label: str | None
    featured_session: SessionOut | None
    url: str
    api_url: str


class FacetOptionOut(BaseModel):
    value: str
    label: str
    count: int
    selected: bool
    depth: int


class CourseListOut(PageOut[CourseSummaryOut]):
    facets: dict[str, list[FacetOptionOut]]


class SessionListOut(PageOut[SessionOut]):
    pass


class TeacherOut(BaseModel):
    full_name: str
    title: str
    bio: str
    institution: str | None
    photo: str | None


class RecognitionOut(BaseModel):
    attestation: bool
    certificate: bool
    ects_credits: int | None


class CourseDetailOut(CourseSummaryOut):
    description: str
    learning_outcomes: list[str]
    prerequisites: str
    licence: str
    licence_label: str
    total_effort_hours: float
    partners: list[InstitutionRefOut]
    teachers: list[TeacherOut]
    subtitle_languages: list[LanguageOut]
    recognition: RecognitionOut
    sessions: list[SessionOut]
    updated_at: datetime.datetime


class DisciplineOut(BaseModel):
    slug: str
    name: str
    name_fr: str
    name_en: str
    parent: str | None
    depth: int
    position: int


class CourseSearchQuery(Schema):
    """Read again by ``parse_course_search_params`` (shared with the catalog page): typed as
    text here so that a bad value gets its own message rather than a generic one."""

    q: str = Query("", description="Mots cherchés (sans accents ni majuscules requis).")
    availability: list[str] = Query(
        [], description="ouverte, a-venir, en-cours, archivee (répétable ou séparé par virgules)."
    )
    discipline: list[str] = Query(
        [], description="Identifiant d'une discipline (et ses sous-disciplines)."
    )
    language: list[str] = Query([], description="Code d'une langue d'enseignement (fr, en…).")
    level: list[str] = Query([], description="introductif, intermediaire, avance.")
    recognition: list[str] = Query([], description="attestation, certificat, ects.")
    institution: list[str] = Query([], description="Identifiant d'un établissement porteur.")
    country: list[str] = Query([], description="Code ISO 3166 du pays d'un établissement porteur.")
    region: list[str] = Query([], description="Région AUF d'un établissement porteur.")
    page: str = Query("1", description="Numéro de page, de 1 à 10000.")
    page_size: str = Query("20", description="Cours par page, de 1 à 100.")


class SessionQuery(Schema):
    course: str = Query("", description="Identifiant du cours.")
    state: str = Query(
        "", description="ouverte, a-venir, en-cours ou archivee, à l'heure de la requête."
    )
    page: str = Query("1", description="Numéro de page, de 1 à 10000.")
    page_size: str = Query("20", description="Sessions par page, de 1 à 100.")


# --- Serialisation ---------------------------------------------------------------------------


def _institution_ref(urls: AbsoluteUrls, institution: Institution) -> dict[str, Any]:
    return {
        "slug": institution.slug,
        "name": institution.name,
        "acronym": institution.acronym,
        "country": str(institution.country),
        "url": urls("institutions:detail", institution.slug),
    }


def _session(
    urls: AbsoluteUrls, run: CourseRun, course: Course, now: datetime.datetime
) -> dict[str, Any]:
    state = run.state_at(now)
    return {
        "id": run.pk,
        "course": course.slug,
        "course_title": course.title,
        "title": run.display_title,
        "start": run.start,
        "end": run.end,
        "enrolment_start": run.enrolment_start,
        "enrolment_end": run.enrolment_end,
        "pacing": run.pacing,
        "pacing_label": str(run.get_pacing_display()),
        "state": state.value,
        "state_label": str(state.label),
        "capacity": run.capacity,
        "seats_left": run.seats_left,
        "is_full": run.is_full,
        "url": urls("catalog:course_detail", course.slug) + f"?session={run.pk}",
        "api_url": urls("api:session_detail", run.pk),
    }


def _languages(languages: Iterable[Language]) -> list[dict[str, str]]:
    return [{"code": language.code, "name": language.name} for language in languages]


def _course_summary(
    request: HttpRequest,
    urls: AbsoluteUrls,
    course: Course,
    *,
    featured: CourseRun | None,
    now: datetime.datetime,
) -> dict[str, Any]:
    state = featured.state_at(now) if featured else None
    return {
        "id": course.pk,
        "slug": course.slug,
        "code": course.code,
        "title": course.title,
        "summary": course.summary,
        "level": course.level,
        "level_label": str(course.get_level_display()),
        "languages": _languages(course.languages.all()),
        "disciplines": [{"slug": d.slug, "name": d.name} for d in course.disciplines.all()],
        "owners": [_institution_ref(urls, owner) for owner in course.owners.all()],
        "recognitions": [recognition.value for recognition in course.recognitions],
        "ects_credits": course.ects_credits,
        "effort_hours_per_week": float(course.effort_hours_per_week),
        "duration_weeks": course.duration_weeks,
        "image": absolute(request, course.image.url if course.image else None),
        "availability": state.value if state else None,
        "availability_label": str(state.label) if state else None,
        "featured_session": _session(urls, featured, course, now) if featured else None,
        "url": urls("catalog:course_detail", course.slug),
        "api_url": urls("api:course_detail", course.slug),
    }


def _facet_option(option: FacetOption) -> dict[str, Any]:
    return {
        "value": option.value,
        "label": option.label,
        "count": option.count,
        "selected": option.selected,
        "depth": option.depth,
    }


def _course_list(request: HttpRequest, result: CourseSearchResult) -> dict[str, Any]:
    following, preceding = page_links(
        request, page=result.page, page_size=result.page_size, count=result.total
    )
    urls = AbsoluteUrls(request)
    return {
        "count": result.total,
        "next": following,
        "previous": preceding,
        "results": [
            _course_summary(request, urls, course, featured=course.featured_run, now=result.now)  # type: ignore[attr-defined]
            for course in result.courses
        ],
        "facets": {
            facet: [_facet_option(option) for option in options]
            for facet, options in result.facets.items()
        },
    }


# --- Reads -----------------------------------------------------------------------------------


def _published_runs() -> QuerySet[CourseRun]:
    return (
        CourseRun.objects.filter(is_published=True, course__is_published=True)
        .select_related("course")
        .order_by("start", "pk")
    )


def _sessions_matching(*, course: str, state: str, now: datetime.datetime) -> QuerySet[CourseRun]:
    runs = _published_runs()
    if course:
        if (
            not _SLUG.fullmatch(course)
            or not Course.objects.filter(slug=course, is_published=True).exists()
        ):
            raise ApiParamsError(
                _("Cours inconnu : %(course)s.") % {"course": course[:40]}, code="unknown_course"
            )
        runs = runs.filter(course__slug=course)
    if state:
        if state not in RunState.values:
            raise ApiParamsError(
                _("État de session inconnu : %(state)s. États : %(states)s.")
                % {"state": state[:40], "states": ", ".join(RunState.values)},
                code="unknown_state",
            )
        runs = runs.filter(run_state_filters(now)[RunState(state)])
    return runs


def published_course_counts(institution_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Per institution: how many published courses it owns, and how many it partners."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for relation, column in ((Course.owners, 0), (Course.partners, 1)):
        rows = (
            relation.through.objects.filter(
                institution_id__in=institution_ids, course__is_published=True
            )
            .values("institution_id")
            .annotate(courses=Count("course_id"))
        )
        for row in rows:
            counts[row["institution_id"]][column] = row["courses"]
    return {pk: (counts[pk][0], counts[pk][1]) for pk in institution_ids}


def _discipline_tree() -> list[tuple[Discipline, int]]:
    disciplines = list(Discipline.objects.select_related("parent"))
    children: dict[int | None, list[Discipline]] = defaultdict(list)
    for discipline in disciplines:
        children[discipline.parent_id].append(discipline)
    ordered: list[tuple[Discipline, int]] = []
    seen: set[int] = set()
    pending: list[tuple[Discipline, int]] = [(d, 0) for d in reversed(children[None])]
    while pending:
        discipline, depth = pending.pop()
        if discipline.pk not in seen:
            seen.add(discipline.pk)
            ordered.append((discipline, depth))
            pending += [(child, depth + 1) for child in reversed(children[discipline.pk])]
    return ordered


# --- Endpoints -------------------------------------------------------------------------------


@router.get(
    "/courses",
    response={200: CourseListOut, 400: ErrorOut},
    summary="Chercher dans le catalogue",
    description=(
        "Cours publiés correspondant à tous les mots de « q » (sans tenir compte des accents, "
        "des majuscules ni des terminaisons), filtrés par facettes : les valeurs d'une facette "
        "s'additionnent, les facettes se combinent. Chaque facette donne le nombre de cours "
        "de chacune de ses valeurs, compte tenu des autres facettes. Avec « q », par "
        "pertinence ; sinon par disponibilité puis par titre."
    ),
    openapi_extra={"x-example": "/courses?q=economie&availability=ouverte"},
)
def course_list(request: HttpRequest, filters: Query[CourseSearchQuery]) -> dict[str, Any]:
    params, page, page_size = parse_course_search_params(request.GET)
    result = course_search(params=params, page=page, page_size=page_size)
    return _course_list(request, result)


@router.get(
    "/courses/{slug:slug}",
    response={200: CourseDetailOut, 404: ErrorOut},
    url_name="course_detail",
    summary="Un cours",
    description="Tout ce que la page du cours publie, sessions comprises, avec leur état "
    "à l'heure de la requête et la session mise en avant.",
)
def course_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    page = course_page_get(slug=slug, user=AnonymousUser())
    course, now, urls = page.course, page.now, AbsoluteUrls(request)
    summary = _course_summary(request, urls, course, featured=page.selected_run, now=now)
    return {
        **summary,
        "description": course.description,
        "learning_outcomes": course.learning_outcome_list,
        "prerequisites": course.prerequisites,
        "licence": course.licence,
        "licence_label": str(course.get_licence_display()),
        "total_effort_hours": float(course.total_effort_hours),
        "partners": [_institution_ref(urls, partner) for partner in course.partners.all()],
        "teachers": [
            {
                "full_name": teacher.full_name,
                "title": teacher.title,
                "bio": teacher.bio,
                "institution": teacher.institution.name if teacher.institution else None,
                "photo": absolute(request, teacher.photo.url if teacher.photo else None),
            }
            for teacher in course.teachers.all()
        ],
        "subtitle_languages": _languages(course.subtitle_languages.all()),
        "recognition": {
            "attestation": course.offers_attestation,
            "certificate": course.offers_certificate,
            "ects_credits": course.ects_credits,
        },
        "sessions": [_session(urls, run, course, now) for run in page.runs],
        "updated_at": course.updated_at,
    }


@router.get(
    "/sessions",
    response={200: SessionListOut, 400: ErrorOut},
    summary="Les sessions",
    description="Sessions publiées des cours publiés, par date de début.",
    openapi_extra={"x-example": "/sessions?state=ouverte"},
)
def session_list(request: HttpRequest, filters: Query[SessionQuery]) -> dict[str, Any]:
    now, urls = timezone.now(), AbsoluteUrls(request)
    runs = _sessions_matching(course=filters.course, state=filters.state, now=now)
    return page_of(
        request, runs, serialize=lambda page: [_session(urls, r, r.course, now) for r in page]
    )


@router.get(
    "/sessions/{int:session_id}",
    response={200: SessionOut, 404: ErrorOut},
    url_name="session_detail",
    summary="Une session",
)
def session_detail(request: HttpRequest, session_id: int) -> dict[str, Any]:
    run = _published_runs().filter(pk=session_id).first() if session_id <= _MAX_ID else None
    if run is None:
        raise Http404("No such session.")
    return _session(AbsoluteUrls(request), run, run.course, timezone.now())


@router.get(
    "/disciplines",
    response=list[DisciplineOut],
    summary="Les disciplines",
    description="L'arbre des disciplines, à plat dans l'ordre de l'arbre : « parent » et "
    "« depth » le redonnent.",
)
def discipline_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "slug": discipline.slug,
            "name": discipline.name,
            "name_fr": discipline.name_fr,
            "name_en": discipline.name_en,
            "parent": discipline.parent.slug if discipline.parent else None,
            "depth": depth,
            "position": discipline.position,
        }
        for discipline, depth in _discipline_tree()
    ]
