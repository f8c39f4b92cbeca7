"""What both metadata formats say of a course, computed once."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import strip_tags

from sankore.catalog.models import Course, Licence
from sankore.catalog.selectors import CourseLinks

CC_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}


@dataclass(frozen=True)
class CourseFacts:
    url: str
    title: str
    language: str  # the first teaching language: the language of the title and texts
    languages: list[str]
    summary: str
    description: str
    owners: list[str]
    partners: list[str]
    teachers: list[str]
    disciplines: list[tuple[str, str]]  # (slug, name)
    licence_label: str
    licence_url: str | None
    created: str  # YYYY-MM-DD


def course_facts(course: Course, links: CourseLinks) -> CourseFacts:
    languages = sorted(links.languages)
    primary = "fr" if "fr" in languages or not languages else languages[0]
    return CourseFacts(
        url=f"{settings.SITE_URL}{course.get_absolute_url()}",
        title=course.title,
        language=primary,
        languages=languages,
        summary=strip_tags(course.summary).strip(),
        description=strip_tags(course.description).strip(),
        owners=sorted(institution.name for institution in links.owners),
        partners=sorted(institution.name for institution in links.partners),
        teachers=sorted(links.teachers),
        disciplines=sorted((d.slug, d.name) for d in links.disciplines),
        licence_label=str(Licence(course.licence).label),
        licence_url=CC_URLS.get(Licence(course.licence)),
        created=course.created_at.date().isoformat(),
    )
