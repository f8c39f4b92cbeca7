"""Reads on institutions that other layers (pages, the API) use."""

from __future__ import annotations

import unicodedata

from django.db.models import QuerySet
from django.http import Http404

from sankore.institutions.models import Institution


def _folded(text: str) -> str:
    """Lower case without accents, so that « ecole » finds « École »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def institution_list(
    *, country: str = "", region: str = "", kind: str = "", q: str = ""
) -> QuerySet[Institution]:
    """Institutions by name, filtered; ``q`` matches a part of the name or the acronym, accents
    and case aside.

    The network counts a few thousand institutions at most: ``q`` is matched on their names in
    Python, the same way on every database, then applied as a filter on ids.
    """
    institutions = Institution.objects.order_by("name", "pk")
    if country:
        institutions = institutions.filter(country=country)
    if region:
        institutions = institutions.filter(region=region)
    if kind:
        institutions = institutions.filter(kind=kind)
    wanted = _folded(q.strip())
    if wanted:
        matching = [
            pk
            for pk, name, acronym in institutions.values_list("pk", "name", "acronym")
            if wanted in _folded(name) or wanted in _folded(acronym)
        ]
        institutions = institutions.filter(pk__in=matching)
    return institutions


def institution_get(*, slug: str) -> Institution:
    institution = Institution.objects.filter(slug=slug).first()
    if institution is None:
        raise Http404("No such institution.")
    return institution
