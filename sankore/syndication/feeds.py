"""RSS 2.0 and Atom feeds of the catalog: new courses, sessions opening for enrolment.

Both take the public catalog's query parameters (``/cours/?discipline=…&country=SN`` gives
``/flux/cours.rss?discipline=…&country=SN``), read by the same parser and matched by the same
search, so a filtered catalog page links to « its » feed. A refused value is a 400 with the
catalog's message, never a 500. At most ``FEED_ITEMS`` items, in a fixed number of queries;
plain-text descriptions; in French.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sankore.catalog import selectors as catalog_selectors
from sankore.catalog.models import Course, CourseRun
from sankore.catalog.search_params import (
    CourseSearchParams,
    SearchParamsError,
    parse_course_search_params,
    search_query_string,
)
from sankore.catalog.structured_data import absolute_url

FEED_ITEMS = 50
FEED_LANGUAGE = "fr"
# Sessions whose enrolment opened this recently or opens this soon.
OPENING_WINDOW = datetime.timedelta(days=30)


@dataclass(frozen=True)
class FeedQuery:
    params: CourseSearchParams
    query: str  # the catalog parameters, as a query string ("" without any)
    path: str
    now: datetime.datetime

    def with_query(self, path: str) -> str:
        return absolute_url(f"{path}?{self.query}" if self.query else path)


class _CatalogFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    language = FEED_LANGUAGE

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(FEED_LANGUAGE):
            try:
                response: HttpResponse = super().__call__(request, *args, **kwargs)
            except SearchParamsError as error:  # from get_object, before any item is read
                return HttpResponse(
                    str(error.message), status=400, content_type="text/plain; charset=utf-8"
                )
            return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedQuery:
        params, _page, _page_size = parse_course_search_params(request.GET)
        return FeedQuery(
            params=params,
            query=search_query_string(request.GET),
            path=request.path,
            now=timezone.now(),
        )

    def link(self, obj: FeedQuery) -> str:
        return obj.with_query(reverse("catalog:course_list"))

    def feed_url(self, obj: FeedQuery) -> str:
        return obj.with_query(obj.path)


def _owner_names(course: Course) -> str:
    return ", ".join(owner.name for owner in course.owners.all())


def _time_zone(course: Course) -> zoneinfo.ZoneInfo:
    owners = list(course.owners.all())
    try:
        return zoneinfo.ZoneInfo(owners[0].time_zone if owners else "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _date(value: datetime.datetime, course: Course) -> str:
    return date_format(timezone.localtime(value, _time_zone(course)), "DATE_FORMAT")


class NewCoursesFeed(_CatalogFeed):
    title = _("Nouveaux cours")
    description = _("Les derniers cours publiés au catalogue, du plus récent au plus ancien.")

    def items(self, obj: FeedQuery) -> list[Course]:
        return catalog_selectors.courses_newest(params=obj.params, limit=FEED_ITEMS, now=obj.now)

    def item_title(self, item: Course) -> str:
        return item.title

    def item_description(self, item: Course) -> str:
        return item.summary

    def item_link(self, item: Course) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Course) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: Course) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Course) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Course) -> str:
        return _owner_names(item)

    def item_categories(self, item: Course) -> list[str]:
        return [discipline.name for discipline in item.disciplines.all()]


class NewCoursesAtomFeed(NewCoursesFeed):
    feed_type = Atom1Feed
    subtitle = NewCoursesFeed.description


class OpeningSessionsFeed(_CatalogFeed):
    title = _("Inscriptions qui ouvrent")
    description = _(
        "Les sessions dont les inscriptions viennent d'ouvrir ou ouvrent bientôt, "
        "de la plus tardive à la plus ancienne."
    )

    def items(self, obj: FeedQuery) -> list[CourseRun]:
        return catalog_selectors.runs_opening_for_enrolment(
            params=obj.params,
            limit=FEED_ITEMS,
            since=obj.now - OPENING_WINDOW,
            until=obj.now + OPENING_WINDOW,
            now=obj.now,
        )

    def item_title(self, item: CourseRun) -> str:
        return gettext("%(course)s — session %(session)s") % {
            "course": item.course.title,
            "session": item.display_title,
        }

    def item_description(self, item: CourseRun) -> str:
        course = item.course
        if item.enrolment_end:
            enrolment = gettext("Inscriptions du %(start)s au %(end)s.") % {
                "start": _date(item.enrolment_start, course),
                "end": _date(item.enrolment_end, course),
            }
        else:
            enrolment = gettext("Inscriptions à partir du %(start)s.") % {
                "start": _date(item.enrolment_start, course)
            }
        start = gettext("Début de la session : %(date)s.") % {"date": _date(item.start, course)}
        return f"{course.summary} {enrolment} {start}"

    def item_link(self, item: CourseRun) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: CourseRun) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: CourseRun) -> datetime.datetime:
        return item.enrolment_start

    def item_updateddate(self, item: CourseRun) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: CourseRun) -> str:
        return _owner_names(item.course)


class OpeningSessionsAtomFeed(OpeningSessionsFeed):
    feed_type = Atom1Feed
    subtitle = OpeningSessionsFeed.description
