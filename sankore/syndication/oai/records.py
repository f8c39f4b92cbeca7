"""What the repository holds: the public catalog's courses, then the courses withdrawn from it.

A list is read in two phases, each in ``(datestamp, pk)`` order from the last key a token
holds: live courses (datestamp: ``Course.updated_at``, which every catalog write moves), then
withdrawn ones (datestamp: when they left). A course changed during a harvest moves to the end
of the first phase, one withdrawn during it to the end of the second: a harvest that runs to
the end sees every change made before it ended.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet

# Row comparison ``(updated_at, id) > (%s, %s)``, which an index on both walks in order.
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan

from sankore.catalog.models import Course, CourseWithdrawal
from sankore.catalog.selectors import (
    CourseLinks,
    course_links_of,
    course_queryset_public,
    course_withdrawal_links_of,
    course_withdrawals,
)
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
    links: CourseLinks

    @property
    def datestamp(self) -> datetime.datetime:
        return self.key[0]

    @property
    def deleted(self) -> bool:
        return self.course is None


# What a header needs of a course; a record reads the whole row.
_HEADER_FIELDS = ("id", "slug", "updated_at")


def _set_specs(links: CourseLinks) -> list[str]:
    institutions = sorted({i.slug for i in links.owners} | {i.slug for i in links.partners})
    return [
        *(f"{INSTITUTION}:{slug}" for slug in institutions),
        *sorted({f"{DISCIPLINE}:{d.slug}" for d in links.disciplines}),
    ]


def _course_items(courses: Iterable[Course], *, full: bool) -> Iterator[Item]:
    batch = list(courses)
    links = course_links_of(course_ids=[course.pk for course in batch], full=full)
    for course in batch:
        yield Item(
            phase="courses",
            key=(course.updated_at, course.pk),
            slug=course.slug,
            set_specs=_set_specs(links[course.pk]),
            course=course,
            links=links[course.pk],
        )


def _withdrawal_items(withdrawals: Iterable[CourseWithdrawal]) -> Iterator[Item]:
    batch = list(withdrawals)
    links = course_withdrawal_links_of(withdrawal_ids=[w.pk for w in batch])
    for withdrawal in batch:
        yield Item(
            phase="withdrawals",
            key=(withdrawal.withdrawn_at, withdrawal.pk),
            slug=withdrawal.slug,
            set_specs=_set_specs(links[withdrawal.pk]),
            course=None,
            links=links[withdrawal.pk],
        )


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
    """Up to ``limit`` headers after ``after`` in ``phase``, then in the phases that follow.

    A page is read with a server-side cursor and its links in one query per link table, so a
    page costs the same few queries wherever it lies in the list.
    """
    remaining = limit
    if phase == "courses":
        base = course_queryset_public()
        courses = _select_courses(query, base if with_metadata else base.only(*_HEADER_FIELDS))
        if courses is not None:
            if after is not None:
                courses = courses.filter(TupleGreaterThan(Tuple(F("updated_at"), F("id")), after))
            page = courses.order_by("updated_at", "id")[:remaining]
            for item in _course_items(page.iterator(chunk_size=remaining), full=with_metadata):
                yield item
                remaining -= 1
        after = None
    if remaining <= 0:
        return
    withdrawals = _select_withdrawals(query, course_withdrawals())
    if withdrawals is None:
        return
    if after is not None:
        withdrawals = withdrawals.filter(TupleGreaterThan(Tuple(F("withdrawn_at"), F("id")), after))
    page_w = withdrawals.order_by("withdrawn_at", "id")[:remaining]
    yield from _withdrawal_items(page_w.iterator(chunk_size=remaining))


def item_get(*, slug: str, with_metadata: bool) -> Item | None:
    """The public course or the withdrawn course under ``slug``, if either exists."""
    course = course_queryset_public().filter(slug=slug).first()
    if course is not None:
        return next(_course_items([course], full=with_metadata))
    withdrawal = course_withdrawals().filter(slug=slug).first()
    if withdrawal is None:
        return None
    return next(_withdrawal_items([withdrawal]))


def earliest_datestamp() -> datetime.datetime | None:
    first_course = (
        course_queryset_public().order_by("updated_at", "id").values_list("updated_at", flat=True)
    ).first()
    first_withdrawal = course_withdrawals().values_list("withdrawn_at", flat=True).first()
    moments = [m for m in (first_course, first_withdrawal) if m is not None]
    return min(moments) if moments else None
