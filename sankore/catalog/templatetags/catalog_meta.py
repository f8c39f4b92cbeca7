"""Machine-readable metadata of catalog pages: JSON-LD, absolute URLs for link previews."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from sankore.catalog.selectors import CoursePage
from sankore.catalog.structured_data import absolute_url, course_json_ld, json_ld_script

register = template.Library()


@register.simple_tag
def course_json_ld_script(page: CoursePage) -> SafeString:
    """``{% course_json_ld_script page %}``: the course page's schema.org ``Course``."""
    return json_ld_script(course_json_ld(course=page.course, runs=page.runs))


@register.filter
def absolute(path: str) -> str:
    """``{{ course.get_absolute_url|absolute }}``: the URL on the public site."""
    return absolute_url(path)
