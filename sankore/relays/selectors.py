"""Reads of the campus relays: the public page's selection with each course's next session,
and the campus's upcoming exam sittings."""

from __future__ import annotations

import datetime

from sankore.catalog.models import Course
from sankore.catalog.selectors import courses_for_cards
from sankore.exams.models import ExamCentre, ExamSitting
from sankore.exams.selectors import sittings_upcoming
from sankore.institutions.models import Institution, InstitutionKind
from sankore.relays.models import CampusRelay, RelayCourse


def campus_public(*, slug: str) -> Institution | None:
    return Institution.objects.filter(slug=slug, kind=InstitutionKind.CAMPUS).first()


def relay_of(*, campus: Institution) -> CampusRelay | None:
    return CampusRelay.objects.filter(campus=campus).first()


def selection_cards(*, relay: CampusRelay | None, now: datetime.datetime) -> list[Course]:
    """The selected, still published courses in the staff's order, as catalog cards; each
    carries the campus's note as ``relay_note``."""
    if relay is None:
        return []
    chosen = list(
        RelayCourse.objects.filter(relay=relay, course__is_published=True).order_by(
            "position", "pk"
        )
    )
    notes = {item.course_id: item.note for item in chosen}
    cards = {
        course.pk: course
        for course in courses_for_cards(courses=Course.objects.filter(pk__in=list(notes)), now=now)
    }
    ordered = [cards[item.course_id] for item in chosen if item.course_id in cards]
    for course in ordered:
        course.relay_note = notes[course.pk]  # type: ignore[attr-defined]
    return ordered


def campus_sittings(*, campus: Institution, now: datetime.datetime) -> list[ExamSitting]:
    centre = ExamCentre.objects.filter(institution=campus, is_active=True).first()
    if centre is None:
        return []
    return list(sittings_upcoming(centre=centre, now=now)[:10])


def selection_entries(*, relay: CampusRelay) -> list[RelayCourse]:
    """The staff's view of the selection, unpublished courses included (marked)."""
    return list(
        RelayCourse.objects.filter(relay=relay).select_related("course").order_by("position", "pk")
    )
