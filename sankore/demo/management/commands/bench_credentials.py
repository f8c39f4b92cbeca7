"""``manage.py bench_credentials --learners 10000 --workers 2``: the credential benchmarks of
issue 5 on the configured database (PostgreSQL for the figures in docs/performance.md).

Builds a session whose ``--learners`` enrolled learners all passed (rows inserted in bulk),
asks for the bulk issue of their attestations as the course team would, starts ``--workers``
task workers (``manage.py db_worker``) and waits for the job: credentials per second, and
every failure counted. Then times the public verification page (in-process, server time
only) on random identifiers of the issued credentials: p50, p95, worst.

Use a database of its own: it leaves its learners behind (``--cleanup`` removes them).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test import Client
from django.utils import timezone

from sankore.accounts.models import User
from sankore.assessments import services as assessments
from sankore.assessments.models import LearnerGrade
from sankore.catalog import services as catalog
from sankore.catalog.models import Course, CourseRun, Pacing
from sankore.credentials import bulk as credentials_bulk
from sankore.credentials.models import BulkStatus, Credential, CredentialDocument
from sankore.learning.models import Enrolment

BATCH = 5_000
DOMAIN = "banc-attestations.example.org"


class Command(BaseCommand):
    help = "Mesure la délivrance groupée de N attestations et la page de vérification."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=10_000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--course", default="EDU-100", help="Code du cours (existant).")
        parser.add_argument("--verifications", type=int, default=500)
        parser.add_argument(
            "--verify-only", type=int, metavar="RUN", help="Mesurer seulement la vérification."
        )
        parser.add_argument("--cleanup", action="store_true", help="Supprimer les apprenants.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cleanup"]:
            runs = CourseRun.objects.filter(title__startswith="Banc d'essai des attestations")
            Credential.objects.filter(course_run__in=runs).delete()
            deleted, _ = User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
            self.stdout.write(f"{deleted} lignes supprimées.")
            return
        if options["verify_only"]:
            self._verification(options["verify_only"], options["verifications"])
            return
        run = self._session(options["course"])
        started = time.perf_counter()
        self._learners(run, options["learners"])
        self.stdout.write(
            f"session {run.pk}: {options['learners']} apprenants reçus "
            f"(préparés en {time.perf_counter() - started:.1f} s)"
        )
        self._bulk(run, options["workers"])
        self._verification(run.pk, options["verifications"])

    def _session(self, course_code: str) -> CourseRun:
        now = timezone.now()
        course = Course.objects.get(code=course_code)
        run = catalog.course_run_create(
            course=course, start=now, enrolment_start=now, pacing=Pacing.SELF_PACED,
            title=f"Banc d'essai des attestations {now:%Y-%m-%d %H:%M}", is_published=True,
        )  # fmt: skip
        assessments.grading_policy_set(
            course_run=run, passing_percent=Decimal(50),
            types=[assessments.TypeLine("Quiz", Decimal(100))],
        )  # fmt: skip
        return run

    def _learners(self, run: CourseRun, count: int) -> None:
        now = timezone.now()
        unusable = make_password(None)  # nobody signs in as them
        for start in range(0, count, BATCH):
            users = User.objects.bulk_create(
                User(email=f"a{run.pk}-{n}@{DOMAIN}", full_name=f"Apprenante {n:06d} Diallo",
                     password=unusable, preferred_language="en" if n % 5 == 0 else "fr")
                for n in range(start, min(start + BATCH, count))
            )  # fmt: skip
            if users and users[0].pk is None:
                users = list(User.objects.filter(email__startswith=f"a{run.pk}-"))
            Enrolment.objects.bulk_create(
                Enrolment(user=user, course_run=run, created_at=now, updated_at=now)
                for user in users
            )
            LearnerGrade.objects.bulk_create(
                LearnerGrade(user=user, course_run=run, percent=Decimal(75), passed=True,
                             passed_at=now, updated_at=now)
                for user in users
            )  # fmt: skip

    def _bulk(self, run: CourseRun, workers: int) -> None:
        teacher, _ = User.objects.get_or_create(
            email=f"enseignant-{run.pk}@{DOMAIN}", defaults={"full_name": "Enseignante"}
        )
        started = time.perf_counter()
        with transaction.atomic():
            job = credentials_bulk.bulk_issue_request(
                course_run=run, kind="attestation", requested_by=teacher
            )
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.2",
                    "--no-reload",
                    "--no-startup-delay",
                ],
                cwd=settings.BASE_DIR,
                env=os.environ.copy(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        try:
            last_report = 0.0
            while True:
                job.refresh_from_db()
                if job.status in (BulkStatus.DONE, BulkStatus.FAILED):
                    break
                elapsed = time.perf_counter() - started
                if elapsed - last_report >= 30:
                    last_report = elapsed
                    self.stdout.write(f"  {elapsed:.0f} s : {job.processed}/{job.total}")
                time.sleep(0.5)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=60)
        elapsed = time.perf_counter() - started
        documents = CredentialDocument.objects.filter(credential__course_run=run).count()
        issued = Credential.objects.filter(course_run=run).count()
        self.stdout.write(
            f"délivrance groupée ({workers} workers): {issued} attestations, {documents} PDF "
            f"en {elapsed:.1f} s = {issued / elapsed:.1f} attestations/s; "
            f"échecs : {job.failed} refus, {job.documents_failed} documents ({job.status})"
        )

    def _verification(self, run_id: int, tries: int) -> None:
        identifiers = list(
            Credential.objects.filter(course_run_id=run_id).values_list("identifier", flat=True)
        )
        client = Client(headers={"host": "127.0.0.1"})
        rng = random.Random(5)  # noqa: S311  a sample, not a secret
        timings = []
        for _attempt in range(tries):
            identifier = rng.choice(identifiers)
            started = time.perf_counter()
            response = client.get(f"/verifier/{identifier}/")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        size = len(response.content)
        self.stdout.write(
            f"page de vérification ({tries} requêtes, {len(identifiers)} attestations): "
            f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"pire {timings[-1]:.1f} ms; {size} octets de HTML"
        )
