"""What apps above the catalog add to its public pages, without the catalog importing them:
the supporters of a course and of an institution (« avec le soutien de »), which the
partnerships app registers in its ``ready``.

A supporters function is called with the course (or the institution) of the page and
returns small ``Support`` rows, already in the reader's language; it runs one query at most,
whatever the number of rows, so that the page's query count stays fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sankore.catalog.models import Course
from sankore.institutions.models import Institution


@dataclass(frozen=True)
class Support:
    """A sponsor's contribution as a public page shows it."""

    sponsor_name: str
    sponsor_slug: str
    sponsor_url: str
    kind_label: str  # « financement », « places offertes »…
    # What it goes to, on an institution's page: a course (with its page) or a partnership
    # (its title only: a partnership's page is its parties').
    course_title: str = ""
    course_url: str = ""


CourseSupporters = Callable[[Course], Sequence[Support]]
InstitutionSupporters = Callable[[Institution], Sequence[Support]]

_course_supporters: list[CourseSupporters] = []
_institution_supporters: list[InstitutionSupporters] = []


def course_supporters_register(fn: CourseSupporters) -> CourseSupporters:
    if fn not in _course_supporters:
        _course_supporters.append(fn)
    return fn


def institution_supporters_register(fn: InstitutionSupporters) -> InstitutionSupporters:
    if fn not in _institution_supporters:
        _institution_supporters.append(fn)
    return fn


def course_supporters(*, course: Course) -> list[Support]:
    return [support for fn in list(_course_supporters) for support in fn(course)]


def institution_supporters(*, institution: Institution) -> list[Support]:
    return [support for fn in list(_institution_supporters) for support in fn(institution)]
