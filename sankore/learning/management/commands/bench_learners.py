"""``manage.py bench_learners RUN_ID``: the session id, then its active learners' emails, one
a line — the input of ``bench/locust_player.py``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sankore.learning.models import Enrolment


class Command(BaseCommand):
    help = "Liste les apprenants inscrits d'une session (pour les mesures de charge)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("run_id", type=int)
        parser.add_argument("--limit", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        emails = Enrolment.objects.filter(
            course_run_id=options["run_id"], is_active=True
        ).values_list("user__email", flat=True)[: options["limit"]]
        self.stdout.write("\n".join([str(options["run_id"]), *emails]))
