"""Admin helpers: admin forms validate, services write."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest


def cleaned_fields(form: ModelForm[Any], names: frozenset[str] | set[str]) -> dict[str, Any]:
    """The form's cleaned values for the given field names that the form has."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def adopt(target: Model, source: Model) -> None:
    """Make the admin's unsaved ``target`` stand for the instance a service saved, so the admin
    logs and redirects to the right object."""
    target.__dict__.update({k: v for k, v in source.__dict__.items() if not k.startswith("_")})
    target._state.adding = False


def skip_m2m_save(request: HttpRequest, form: ModelForm[Any]) -> None:
    """The service already set the many-to-many relations; do not let the admin set them again."""
    form.save_m2m = lambda: None  # type: ignore[method-assign]
