"""``manage.py package_export RUN_ID FILE.zip``: a session's content as a course package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sankore.catalog.models import CourseRun
from sankore.courseware.package_export import package_export


class Command(BaseCommand):
    help = "Exporte le contenu (brouillon) d'une session en paquet de cours Sankoré (zip)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("run_id", type=int, help="Identifiant de la session.")
        parser.add_argument("output", type=Path, help="Fichier zip à écrire.")

    def handle(self, *args: Any, **options: Any) -> None:
        run = CourseRun.objects.select_related("course").filter(pk=options["run_id"]).first()
        if run is None:
            raise CommandError(f"Aucune session n° {options['run_id']}.")
        with options["output"].open("wb") as target:
            package_export(course_run=run, target=target)
        self.stdout.write(f"{run} → {options['output']}")
