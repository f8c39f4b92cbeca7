"""``/sitemap.xml``: the public pages for search engines — catalog, courses, institutions,
exam centres — with the date each last changed.

An index of one sitemap per kind of page, each paginated by Django (50,000 URLs a page), so a
catalog of 100,000 courses stays a few bounded queries per page. URLs are those of
``settings.SITE_URL``: the same for both languages (the language is a cookie, not a path).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import sitemaps
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max, QuerySet
from django.urls import reverse

from sankore.catalog.models import Course
from sankore.exams.models import ExamCentre
from sankore.exams.selectors import centres_public
from sankore.institutions.models import Institution


class _SiteSitemap(sitemaps.Sitemap[Any]):
    """Absolute URLs on ``settings.SITE_URL``, not on the ``sites`` framework's domain."""

    @property
    def protocol(self) -> str:  # type: ignore[override]
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class CatalogPagesSitemap(_SiteSitemap):
    """The catalog's entry pages, as fresh as its latest course."""

    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["catalog:home", "catalog:course_list", "institutions:list", "exams:centre_list"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime.datetime | None:
        return self.get_latest_lastmod() if item.startswith("catalog:") else None

    def get_latest_lastmod(self) -> datetime.datetime | None:
        if not hasattr(self, "_latest"):
            self._latest: datetime.datetime | None = Course.objects.filter(
                is_published=True
            ).aggregate(latest=Max("updated_at"))["latest"]
        return self._latest


class CourseSitemap(_SiteSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self) -> QuerySet[Course]:
        return Course.objects.filter(is_published=True).only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Course) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        latest: datetime.datetime | None = self.items().aggregate(latest=Max("updated_at"))[
            "latest"
        ]
        return latest


class InstitutionSitemap(_SiteSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Institution]:
        return Institution.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Institution) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        latest: datetime.datetime | None = Institution.objects.aggregate(latest=Max("updated_at"))[
            "latest"
        ]
        return latest


class ExamCentreSitemap(_SiteSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self) -> QuerySet[ExamCentre]:
        return centres_public().order_by("pk")

    def lastmod(self, item: ExamCentre) -> datetime.datetime:
        return max(item.created_at, item.institution.updated_at)

    def get_latest_lastmod(self) -> datetime.datetime | None:
        found = centres_public().aggregate(
            created=Max("created_at"), updated=Max("institution__updated_at")
        )
        dates = [date for date in found.values() if date is not None]
        return max(dates) if dates else None


SITEMAPS: dict[str, type[sitemaps.Sitemap[Any]] | sitemaps.Sitemap[Any]] = {
    "catalogue": CatalogPagesSitemap,
    "cours": CourseSitemap,
    "etablissements": InstitutionSitemap,
    "centres-d-examen": ExamCentreSitemap,
}


def sitemap_index_items() -> list[SitemapIndexItem]:
    """The sitemaps of ``/sitemap.xml``: each kind of page, each of its pages."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class() if isinstance(sitemap_class, type) else sitemap_class
        url = f"{settings.SITE_URL}{reverse('syndication:sitemap', kwargs={'section': section})}"
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))  # type: ignore[arg-type]  # stubs: a date
        for number in range(2, sitemap.paginator.num_pages + 1):
            items.append(SitemapIndexItem(f"{url}?p={number}", lastmod))  # type: ignore[arg-type]
    return items
