"""Remind the experts whose reviews are not handed in, 7 then 2 days before the end of the
review period. Idempotent (one reminder per assignment and delay); cron runs it hourly
(docs/deployment.md). By default the worker does it; ``--now`` does it here and says how
many reminders left."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Remind the experts of the reviews still due (enqueued for the worker, or --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="do the work here instead of enqueuing it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            from sankore.calls.reviewing import reviews_remind

            sent = reviews_remind()
            self.stdout.write(f"call_reviews_remind: {sent} reminder(s) sent")
            return
        from sankore.calls.tasks import reviews_remind_task

        result = reviews_remind_task.enqueue()
        self.stdout.write(f"call_reviews_remind: task {result.id} enqueued")
