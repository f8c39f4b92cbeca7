"""``manage.py bench_grades --learners 100000 --problems 20``: the grade benchmarks of
issue 4 on the configured database (PostgreSQL for the figures in docs/performance.md).

Builds a session with ``--problems`` graded problems (quizzes and an exam) and a barème,
``--learners`` enrolled learners each with a score on every problem (inserted by SQL), then
measures: the background recomputation of the whole session (first time: every grade
inserted; after a new barème: every grade updated), the gradebook page of the course team
(first page, a deep page, a name search, the « not passed » filter), and the CSV export
streamed to the end (its peak Python memory, with tracemalloc).

Use a database of its own: it leaves its learners behind (``--cleanup`` removes them).
"""

from __future__ import annotations

import time
import tracemalloc
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from sankore.accounts.models import User
from sankore.assessments import services as assessments
from sankore.assessments.models import LearnerGrade, ProblemScore
from sankore.catalog import services as catalog
from sankore.catalog.models import Course, CourseRun, CourseTeamMember, CourseTeamRole, Pacing
from sankore.courseware import services as courseware
from sankore.learning.models import Enrolment

BATCH = 10_000
DOMAIN = "banc-notes.example.org"


class Command(BaseCommand):
    help = "Mesure le recalcul des notes, le carnet de notes et son export CSV sur N apprenants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=100_000)
        parser.add_argument("--problems", type=int, default=20)
        parser.add_argument("--course", default="EDU-100", help="Code du cours (existant).")
        parser.add_argument("--cleanup", action="store_true", help="Supprimer les apprenants.")
        parser.add_argument(
            "--gradebook-of", type=int, help="Mesurer seulement le carnet d'une session déjà faite."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cleanup"]:
            deleted, _ = User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
            self.stdout.write(f"{deleted} lignes supprimées.")
            return
        if options["gradebook_of"]:
            self._gradebook(
                CourseRun.objects.select_related("course").get(pk=options["gradebook_of"])
            )
            return
        run, keys = self._session(options["course"], options["problems"])
        started = time.perf_counter()
        self._learners(run, options["learners"], keys)
        self.stdout.write(
            f"session {run.pk}: {options['learners']} apprenants, {len(keys)} exercices, "
            f"{ProblemScore.objects.filter(course_run=run).count()} scores "
            f"(préparés en {time.perf_counter() - started:.1f} s)"
        )
        self._analyse()
        self._recompute(run, "recalcul, notes créées")
        with transaction.atomic():
            assessments.grading_policy_set(
                course_run=run, passing_percent=Decimal(60),
                types=[assessments.TypeLine("Quiz", Decimal(30), 2),
                       assessments.TypeLine("Examen", Decimal(70))],
            )  # fmt: skip
        self._recompute(run, "recalcul après un nouveau barème, notes mises à jour")
        self._gradebook(run)

    def _session(self, course_code: str, problems: int) -> tuple[Any, list[str]]:
        now = timezone.now()
        course = Course.objects.get(code=course_code)
        run = catalog.course_run_create(
            course=course, start=now, enrolment_start=now, pacing=Pacing.SELF_PACED,
            title=f"Banc d'essai des notes {now:%Y-%m-%d %H:%M}", is_published=True,
        )  # fmt: skip
        keys = []
        chapter = courseware.chapter_create(course_run=run, title="Banc d'essai")
        for number in range(problems):
            if number % 5 == 0:
                unit = courseware.unit_create(chapter=chapter, title=f"Séquence {number // 5 + 1}")
            kind = "Examen" if number == problems - 1 else "Quiz"
            block = courseware.block_create(
                unit=unit, kind="short_text", title=f"Exercice {number + 1}",
                data={"prompt": "Le fleuve de Niamey ?", "accepted": "Niger",
                      "assessment_type": kind},
            )  # fmt: skip
            keys.append(block.key)
        assessments.grading_policy_set(
            course_run=run, passing_percent=Decimal(50),
            types=[assessments.TypeLine("Quiz", Decimal(40), 1),
                   assessments.TypeLine("Examen", Decimal(60))],
        )  # fmt: skip
        courseware.courseware_publish(course_run=run)
        return run, keys

    def _learners(self, run: Any, count: int, keys: list[str]) -> None:
        now = timezone.now()
        unusable = make_password(None)  # nobody signs in as them
        for start in range(0, count, BATCH):
            users = User.objects.bulk_create(
                User(email=f"a{run.pk}-{n}@{DOMAIN}", full_name=f"Apprenant {n:06d}",
                     password=unusable)
                for n in range(start, min(start + BATCH, count))
            )  # fmt: skip
            if users and users[0].pk is None:
                users = list(User.objects.filter(email__startswith=f"a{run.pk}-", pk__gt=0))
            Enrolment.objects.bulk_create(
                Enrolment(user=user, course_run=run, created_at=now, updated_at=now)
                for user in users
            )
        random_score = (
            "ROUND(CAST(RANDOM() AS NUMERIC), 4)"
            if connection.vendor == "postgresql"
            else "ABS(RANDOM() % 10001) / 10000.0"
        )
        blocks = " UNION ALL ".join(["SELECT %s AS block_key"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ProblemScore._meta.db_table} "  # noqa: S608  our table names only
                "(user_id, course_run_id, block_key, attempts, score, is_correct, updated_at) "
                f"SELECT e.user_id, e.course_run_id, b.block_key, 1, {random_score}, FALSE, %s "
                f"FROM {Enrolment._meta.db_table} e CROSS JOIN ({blocks}) b "
                "WHERE e.course_run_id = %s",
                [connection.ops.adapt_datetimefield_value(now), *keys, run.pk],
            )

    def _analyse(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _recompute(self, run: Any, label: str) -> None:
        job = assessments.grades_recompute_request(course_run=run)
        assert job is not None
        started = time.perf_counter()
        job = assessments.grades_recompute_run(recomputation_id=job.pk)
        elapsed = time.perf_counter() - started
        passed = LearnerGrade.objects.filter(course_run=run, passed=True).count()
        self.stdout.write(
            f"{label}: {job.learners} notes en {elapsed:.1f} s ({job.status}; {passed} réussites)"
        )

    def _gradebook(self, run: Any) -> None:
        teacher, _ = User.objects.get_or_create(
            email=f"enseignant-{run.pk}@{DOMAIN}", defaults={"full_name": "Enseignante"}
        )
        CourseTeamMember.objects.get_or_create(
            course=run.course, user=teacher, defaults={"role": CourseTeamRole.INSTRUCTOR}
        )
        client = Client(headers={"host": "127.0.0.1"})
        client.force_login(teacher)
        base = f"/studio/sessions/{run.pk}/notes/"
        pages = [
            ("première page", base),
            ("page 1 000", f"{base}?page=1000"),
            ("recherche d'un nom", f"{base}?q=Apprenant+04242"),
            ("non reçus, page 2", f"{base}?passed=non&page=2"),
        ]
        for label, url in pages:
            timings = []
            for _attempt in range(5):
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code)
            timings.sort()
            self.stdout.write(
                f"carnet de notes, {label}: médiane {timings[2] * 1000:.0f} ms, "
                f"pire {timings[-1] * 1000:.0f} ms"
            )
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(f"/studio/sessions/{run.pk}/notes.csv")
        lines = 0
        size = 0
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            lines += chunk.count(b"\n")
            size += len(chunk)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"export CSV: {lines - 1} apprenants, {size / 1e6:.1f} Mo en {elapsed:.1f} s, "
            f"mémoire Python au plus haut {peak / 1e6:.1f} Mo"
        )
