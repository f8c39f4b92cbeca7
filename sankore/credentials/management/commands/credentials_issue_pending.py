"""``manage.py credentials_issue_pending``: the attestations still due (a learner who passed
while the worker was down, a task that failed), for every session; cron may run it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sankore.credentials import services


class Command(BaseCommand):
    help = (
        "Délivre les attestations de suivi dues et pas encore délivrées, pour toutes les sessions."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        issued = 0
        for course_run_id in services.runs_with_pending_attestations():
            issued += services.attestations_issue_for_passed(course_run_id=course_run_id).issued
        self.stdout.write(f"{issued} attestation(s) délivrée(s).")
