"""``manage.py package_import FILE.zip``: a course package as a new course, a new session of
a course, or the content of an empty session."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sankore.catalog.models import Course, CourseRun
from sankore.core.errors import ServiceError
from sankore.courseware import services
from sankore.institutions.models import Institution


def _when(value: str | None) -> datetime.datetime:
    if not value:
        return timezone.now()
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(f"Date illisible : {value} (attendu : 2027-09-01T08:00).")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = (
        "Importe un paquet de cours Sankoré : --institution SLUG (nouveau cours), "
        "--course CODE (nouvelle session) ou --session ID (session vide)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package", type=Path)
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--institution", help="Nouveau cours de cet établissement (slug).")
        target.add_argument("--course", help="Nouvelle session de ce cours (code).")
        target.add_argument("--session", type=int, help="Remplit cette session vide.")
        parser.add_argument("--start", help="Début de la session (par défaut : maintenant).")
        parser.add_argument("--enrolment-start", help="Ouverture des inscriptions.")

    def handle(self, *args: Any, **options: Any) -> None:
        start = _when(options["start"])
        enrolment_start = _when(options["enrolment_start"] or options["start"])
        try:
            with options["package"].open("rb") as package:
                if options["institution"]:
                    owner = Institution.objects.filter(slug=options["institution"]).first()
                    if owner is None:
                        raise CommandError(f"Établissement inconnu : {options['institution']}.")
                    run = services.package_import_as_course(
                        file=package, owner=owner, start=start, enrolment_start=enrolment_start
                    )
                elif options["course"]:
                    course = Course.objects.filter(code=options["course"]).first()
                    if course is None:
                        raise CommandError(f"Cours inconnu : {options['course']}.")
                    run = services.package_import_as_session(
                        file=package, course=course, start=start, enrolment_start=enrolment_start
                    )
                else:
                    target = CourseRun.objects.filter(pk=options["session"]).first()
                    if target is None:
                        raise CommandError(f"Aucune session n° {options['session']}.")
                    run = services.package_import_into_session(file=package, course_run=target)
        except ServiceError as error:
            raise CommandError(str(error.message)) from error
        except OSError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Importé : {run} (session n° {run.pk}, non publiée).")
