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
from django.db.models import F, Q, QuerySet

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
    deleted: bool
    links: CourseLinks
    course: Course | None = None  # for records; headers read three columns only

    @property
    def datestamp(self) -> datetime.datetime:
        return self.key[0]


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
            deleted=False,
            links=links[course.pk],
            course=course,
        )


def _header_items(page: QuerySet[Course]) -> Iterator[Item]:
    """Headers of a page of courses: three columns, links by subquery on the same page."""
    rows = list(page.values_list("id", "slug", "updated_at").iterator(chunk_size=500))
    if not rows:
        return
    links = course_links_of(course_ids=page.values("id"), full=False)
    for pk, slug, updated_at in rows:
        yield Item(
            phase="courses",
            key=(updated_at, pk),
            slug=slug,
            set_specs=_set_specs(links[pk]),
            deleted=False,
            links=links[pk],
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
            deleted=True,
            links=links[withdrawal.pk],
        )


# Set filters are uncorrelated ``IN (subquery)``: PostgreSQL hashes the set's members once,
# then walks the page in index order. (A correlated ``EXISTS`` is run once per row walked: the
# planner cannot estimate a row comparison, so it plans for one row and walks thousands.)


def _course_set_filter(set_spec: str) -> Q | None:
    links = {
        INSTITUTION: (Course.owners.through, Course.partners.through),
        DISCIPLINE: (Course.disciplines.through,),
    }
    kind, _sep, slug = set_spec.partition(":")
    if kind not in links or ":" in slug:
        return None
    condition = Q()
    for through in links[kind]:
        rows = through._default_manager.all()
        if slug:
            rows = rows.filter(**{f"{kind}__slug": slug})
        condition |= Q(pk__in=rows.values("course_id"))
    return condition


def _withdrawal_set_filter(set_spec: str) -> Q | None:
    links = {
        INSTITUTION: CourseWithdrawal.institutions.through,
        DISCIPLINE: CourseWithdrawal.disciplines.through,
    }
    kind, _sep, slug = set_spec.partition(":")
    if kind not in links or ":" in slug:
        return None
    rows = links[kind]._default_manager.all()
    if slug:
        rows = rows.filter(**{f"{kind}__slug": slug})
    return Q(pk__in=rows.values("coursewithdrawal_id"))


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
        courses = _select_courses(query, course_queryset_public())
        if courses is not None:
            if after is not None:
                courses = courses.filter(TupleGreaterThan(Tuple(F("updated_at"), F("id")), after))
            page = courses.order_by("updated_at", "id")[:remaining]
            items = (
                _course_items(page.iterator(chunk_size=remaining), full=True)
                if with_metadata
                else _header_items(page)
            )
            for item in items:
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
