"""``manage.py catalog_import --format openedx|csv FILE [--dry-run] [--platform NAME]``:
import courses hosted elsewhere from a file, all or nothing (the staff page does the same)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sankore.federation import services
from sankore.federation.importers.plan import ImportPlan, ImportRefused
from sankore.federation.models import ImportFormat


class Command(BaseCommand):
    help = "Import courses hosted on another platform (Open edX JSON or CSV), all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=ImportFormat.values)
        parser.add_argument("--platform", default="", help="Hosting platform's name.")
        parser.add_argument("--dry-run", action="store_true", help="List changes, write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        arguments = {
            "format": options["format"],
            "content": content,
            "platform": options["platform"],
        }
        if options["dry_run"]:
            plan = services.import_dry_run(**arguments)
            self._report(plan)
            if plan.errors:
                raise CommandError(f"{len(plan.errors)} error(s): nothing would be imported.")
            return
        try:
            plan = services.import_now(**arguments)
        except ImportRefused as refused:
            self._report(refused.plan)
            raise CommandError(f"{len(refused.plan.errors)} error(s): nothing imported.") from None
        self._report(plan)

    def _report(self, plan: ImportPlan) -> None:
        for change in plan.changes:
            fields = f" ({', '.join(change.fields)})" if change.action == "updated" else ""
            self.stdout.write(f"{change.action}\t{change.kind}\t{change.key}{fields}")
        for error in plan.errors:
            self.stderr.write(f"error\t{error.where}\t{error.message}")
        counts = plan.counts()
        self.stdout.write(
            f"{counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {len(plan.errors)} error(s)."
        )
