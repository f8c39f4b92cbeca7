"""What the repository holds: the public catalog's courses, then the courses withdrawn from it.

A list is read in two phases, each in ``(datestamp, pk)`` order from the last key a token
holds: live courses (datestamp: ``Course.updated_at``, which every catalog write moves), then
withdrawn ones (datestamp: when they left). A course changed during a harvest moves to the end
of the first phase, one withdrawn during it to the end of the second: a harvest that runs to
the end sees every change made before it ended.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

# Row comparison ``(updated_at, id) > (%s, %s)``, which an index on both walks in order.
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan

from sankore.catalog.models import Course, CourseWithdrawal
from sankore.catalog.selectors import course_queryset_public, course_withdrawals
from sankore.institutions.models import Institution
from sankore.syndication.oai.protocol import ListQuery

INSTITUTION = "institution"
DISCIPLINE = "discipline"


def repository_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def identifier_of(slug: str) -> str:
    return f"oai:{repository_host()}:course/{slug}"


def slug_of(identifier: str) -> str | None:
    prefix = f"oai:{repository_host()}:course/"
    if not identifier.startswith(prefix):
        return None
    slug = identifier[len(prefix) :]
    return slug or None


@dataclass(frozen=True)
class Item:
    """One header of a list, and the course itself while it is public."""

    phase: str
    key: tuple[datetime.datetime, int]
    slug: str
    set_specs: list[str]
    course: Course | None

    @property
    def datestamp(self) -> datetime.datetime:
        return self.key[0]

    @property
    def deleted(self) -> bool:
        return self.course is None


def _slugs_only() -> QuerySet[Institution]:
    return Institution.objects.only("pk", "slug")


def courses_for_records() -> QuerySet[Course]:
    """Public courses with everything a record shows, in a fixed number of queries."""
    return course_queryset_public().prefetch_related(
        Prefetch("owners", queryset=Institution.objects.only("pk", "slug", "name")),
        Prefetch("partners", queryset=Institution.objects.only("pk", "slug", "name")),
        "teachers",
        "disciplines",
        "languages",
    )


def courses_for_headers() -> QuerySet[Course]:
    return course_queryset_public().prefetch_related(
        Prefetch("owners", queryset=_slugs_only()),
        Prefetch("partners", queryset=_slugs_only()),
        "disciplines",
    )


def course_set_specs(course: Course) -> list[str]:
    institutions = sorted(
        {i.slug for i in course.owners.all()} | {i.slug for i in course.partners.all()}
    )
    return [
        *(f"{INSTITUTION}:{slug}" for slug in institutions),
        *sorted(f"{DISCIPLINE}:{d.slug}" for d in course.disciplines.all()),
    ]


def withdrawal_set_specs(withdrawal: CourseWithdrawal) -> list[str]:
    return [
        *sorted(f"{INSTITUTION}:{i.slug}" for i in withdrawal.institutions.all()),
        *sorted(f"{DISCIPLINE}:{d.slug}" for d in withdrawal.disciplines.all()),
    ]


def _course_set_filter(set_spec: str) -> Q | Exists | None:
    owners = Course.owners.through.objects.filter(course_id=OuterRef("pk"))
    partners = Course.partners.through.objects.filter(course_id=OuterRef("pk"))
    disciplines = Course.disciplines.through.objects.filter(course_id=OuterRef("pk"))
    kind, _sep, slug = set_spec.partition(":")
    if kind == INSTITUTION and not slug:
        return Exists(owners) | Exists(partners)
    if kind == INSTITUTION and ":" not in slug:
        return Exists(owners.filter(institution__slug=slug)) | Exists(
            partners.filter(institution__slug=slug)
        )
    if kind == DISCIPLINE and not slug:
        return Exists(disciplines)
    if kind == DISCIPLINE and ":" not in slug:
        return Exists(disciplines.filter(discipline__slug=slug))
    return None


def _withdrawal_set_filter(set_spec: str) -> Q | Exists | None:
    institutions = CourseWithdrawal.institutions.through.objects.filter(
        coursewithdrawal_id=OuterRef("pk")
    )
    disciplines = CourseWithdrawal.disciplines.through.objects.filter(
        coursewithdrawal_id=OuterRef("pk")
    )
    kind, _sep, slug = set_spec.partition(":")
    if kind == INSTITUTION and not slug:
        return Exists(institutions)
    if kind == INSTITUTION and ":" not in slug:
        return Exists(institutions.filter(institution__slug=slug))
    if kind == DISCIPLINE and not slug:
        return Exists(disciplines)
    if kind == DISCIPLINE and ":" not in slug:
        return Exists(disciplines.filter(discipline__slug=slug))
    return None


def _select_courses(query: ListQuery, courses: QuerySet[Course]) -> QuerySet[Course] | None:
    if query.set_spec:
        condition = _course_set_filter(query.set_spec)
        if condition is None:
            return None
        courses = courses.filter(condition)
    if query.lower:
        courses = courses.filter(updated_at__gte=query.lower)
    if query.upper:
        courses = courses.filter(updated_at__lt=query.upper)
    return courses


def _select_withdrawals(
    query: ListQuery, withdrawals: QuerySet[CourseWithdrawal]
) -> QuerySet[CourseWithdrawal] | None:
    if query.set_spec:
        condition = _withdrawal_set_filter(query.set_spec)
        if condition is None:
            return None
        withdrawals = withdrawals.filter(condition)
    if query.lower:
        withdrawals = withdrawals.filter(withdrawn_at__gte=query.lower)
    if query.upper:
        withdrawals = withdrawals.filter(withdrawn_at__lt=query.upper)
    return withdrawals


def list_size(query: ListQuery) -> int:
    """How many headers the whole list holds (two counts, on the first page only)."""
    courses = _select_courses(query, course_queryset_public())
    withdrawals = _select_withdrawals(query, course_withdrawals())
    return (courses.count() if courses is not None else 0) + (
        withdrawals.count() if withdrawals is not None else 0
    )


def list_items(
    *,
    query: ListQuery,
    phase: str,
    after: tuple[datetime.datetime, int] | None,
    limit: int,
    with_metadata: bool,
) -> Iterator[Item]:
    """Up to ``limit`` headers after ``after`` in ``phase``, then in the phases that follow."""
    remaining = limit
    if phase == "courses":
        base = courses_for_records() if with_metadata else courses_for_headers()
        courses = _select_courses(query, base)
        if courses is not None:
            if after is not None:
                courses = courses.filter(TupleGreaterThan(Tuple(F("updated_at"), F("id")), after))
            page = courses.order_by("updated_at", "id")[:remaining]
            for course in page.iterator(chunk_size=remaining):
                yield Item(
                    phase="courses",
                    key=(course.updated_at, course.pk),
                    slug=course.slug,
                    set_specs=course_set_specs(course),
                    course=course,
                )
                remaining -= 1
        after = None
    if remaining <= 0:
        return
    withdrawals = _select_withdrawals(
        query,
        course_withdrawals().prefetch_related(
            Prefetch("institutions", queryset=_slugs_only()), "disciplines"
        ),
    )
    if withdrawals is None:
        return
    if after is not None:
        withdrawals = withdrawals.filter(TupleGreaterThan(Tuple(F("withdrawn_at"), F("id")), after))
    for withdrawal in withdrawals.order_by("withdrawn_at", "id")[:remaining].iterator(
        chunk_size=remaining
    ):
        yield Item(
            phase="withdrawals",
            key=(withdrawal.withdrawn_at, withdrawal.pk),
            slug=withdrawal.slug,
            set_specs=withdrawal_set_specs(withdrawal),
            course=None,
        )


def item_get(*, slug: str, with_metadata: bool) -> Item | None:
    """The public course or the withdrawn course under ``slug``, if either exists."""
    base = courses_for_records() if with_metadata else courses_for_headers()
    course = base.filter(slug=slug).first()
    if course is not None:
        return Item(
            phase="courses",
            key=(course.updated_at, course.pk),
            slug=course.slug,
            set_specs=course_set_specs(course),
            course=course,
        )
    withdrawal = (
        course_withdrawals()
        .prefetch_related(Prefetch("institutions", queryset=_slugs_only()), "disciplines")
        .filter(slug=slug)
        .first()
    )
    if withdrawal is None:
        return None
    return Item(
        phase="withdrawals",
        key=(withdrawal.withdrawn_at, withdrawal.pk),
        slug=withdrawal.slug,
        set_specs=withdrawal_set_specs(withdrawal),
        course=None,
    )


def earliest_datestamp() -> datetime.datetime | None:
    first_course = (
        course_queryset_public().order_by("updated_at", "id").values_list("updated_at", flat=True)
    ).first()
    first_withdrawal = course_withdrawals().values_list("withdrawn_at", flat=True).first()
    moments = [m for m in (first_course, first_withdrawal) if m is not None]
    return min(moments) if moments else None
