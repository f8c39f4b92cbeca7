"""``manage.py bench_quiz_session --learners 200``: a session made for the submission
benchmark (``bench/locust_submit.py``) — one quiz unit whose problem takes any number of
attempts, a barème, and N enrolled learners with the demo password.

Prints, one a line: the session id, the quiz unit's key, the problem's key, then the
learners' emails (the input file of the benchmark)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sankore.accounts.models import User
from sankore.assessments import services as assessments
from sankore.catalog import services as catalog
from sankore.catalog.models import Course, Pacing
from sankore.courseware import services as courseware
from sankore.demo.builders import demo_password_hash
from sankore.learning.services import enrolment_create


class Command(BaseCommand):
    help = "Crée une session de mesure : un quiz, un barème et N apprenants inscrits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=200)
        parser.add_argument("--course", default="EDU-100", help="Code du cours (existant).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        course = Course.objects.get(code=options["course"])
        run = catalog.course_run_create(
            course=course, start=now, enrolment_start=now, pacing=Pacing.SELF_PACED,
            title=f"Banc d'essai {now:%Y-%m-%d %H:%M}", is_published=True,
        )  # fmt: skip
        unit = courseware.unit_create(
            chapter=courseware.chapter_create(course_run=run, title="Banc d'essai"), title="Quiz"
        )
        problem = courseware.block_create(
            unit=unit, kind="short_text", title="Fleuve",
            data={"prompt": "Le fleuve de Niamey ?", "accepted": "Niger",
                  "assessment_type": "Quiz"},
        )  # fmt: skip
        assessments.grading_policy_set(
            course_run=run, passing_percent=Decimal(50),
            types=[assessments.TypeLine("Quiz", Decimal(100))],
        )  # fmt: skip
        courseware.courseware_publish(course_run=run)
        password = demo_password_hash()
        emails = []
        for number in range(options["learners"]):
            email = f"banc-{run.pk}-{number}@example.org"
            user = User.objects.create(
                email=email, full_name=f"Apprenant {number}", password=password
            )
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            enrolment_create(user=user, course_run=run)
            emails.append(email)
        self.stdout.write("\n".join([str(run.pk), unit.key, problem.key, *emails]))
