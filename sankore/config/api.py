"""The public JSON API, ``/api/v1/``: routers of the domain apps under one NinjaAPI."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Sankoré API",
    version="1.0.0",
    description=(
        "Catalogue public des CLOM francophones : cours, sessions, établissements, disciplines."
    ),
    urls_namespace="api",
)
