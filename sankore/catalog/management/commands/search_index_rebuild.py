"""Rebuild the course search index from the catalog (after a restore or an import by SQL)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sankore.catalog.search import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every course."

    def handle(self, *args: Any, **options: Any) -> None:
        indexed = search_index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{indexed} courses indexed."))
