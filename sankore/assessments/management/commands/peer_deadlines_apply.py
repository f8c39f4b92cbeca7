"""Apply the delay rule of peer assessment: responses past their deadline are graded from
the reviews they have (or the self-assessment, or go to the course team's queue), and peer
reviews left unfilled for an hour are released. Idempotent; cron runs it every 15 minutes
(docs/deployment.md). By default it hands the work to the task worker; ``--now`` does it
in this process and says how many responses changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Apply the peer-assessment delay rule (enqueued for the worker, or --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="do the work here instead of enqueuing it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            from sankore.assessments.peer import peer_deadlines_apply

            changed = peer_deadlines_apply()
            self.stdout.write(f"peer_deadlines_apply: {changed} response(s) changed state")
            return
        from sankore.assessments.tasks import peer_deadlines_apply_task

        result = peer_deadlines_apply_task.enqueue()
        self.stdout.write(f"peer_deadlines_apply: task {result.id} enqueued")
