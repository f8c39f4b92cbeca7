"""Writes on institutions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sankore.core.validation import refuse_unknown_fields
from sankore.institutions.geography import region_for_country
from sankore.institutions.models import Institution

INSTITUTION_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "acronym",
        "kind",
        "country",
        "region",
        "city",
        "time_zone",
        "description",
        "website",
        "logo",
        "is_member",
    }
)

# The catalog shows institutions' names in what it publishes; it registers here (in its
# ``ready``) to hear of a change, so that institutions never import the catalog.
InstitutionChangeHook = Callable[[Institution, frozenset[str]], None]
_change_hooks: list[InstitutionChangeHook] = []


def institution_change_hook_register(hook: InstitutionChangeHook) -> InstitutionChangeHook:
    if hook not in _change_hooks:
        _change_hooks.append(hook)
    return hook


def _unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    stem = slugify(base)[:70] or "etablissement"
    candidate, counter = stem, 2
    others = Institution.objects.exclude(pk=exclude_pk) if exclude_pk else Institution.objects.all()
    while others.filter(slug=candidate).exists():
        candidate, counter = f"{stem}-{counter}", counter + 1
    return candidate


@transaction.atomic
def institution_create(
    *,
    name: str,
    kind: str,
    country: str,
    acronym: str = "",
    slug: str = "",
    region: str = "",
    **fields: Any,
) -> Institution:
    """Create an institution; its AUF region defaults to the one of its country."""
    refuse_unknown_fields(fields=fields, allowed=INSTITUTION_EDITABLE_FIELDS, kind="institution")
    institution = Institution(
        name=name,
        kind=kind,
        country=country,
        acronym=acronym,
        slug=slug or _unique_slug(acronym or name),
        region=region or (region_for_country(country) or ""),
        **fields,
    )
    institution.full_clean()
    institution.save()
    return institution


@transaction.atomic
def institution_update(*, institution: Institution, **fields: Any) -> Institution:
    refuse_unknown_fields(fields=fields, allowed=INSTITUTION_EDITABLE_FIELDS, kind="institution")
    for name, value in fields.items():
        setattr(institution, name, value)
    if "country" in fields and "region" not in fields:
        institution.region = region_for_country(str(institution.country)) or institution.region
    institution.updated_at = timezone.now()
    institution.full_clean()
    institution.save()
    for hook in _change_hooks:
        hook(institution, frozenset(fields))
    return institution
