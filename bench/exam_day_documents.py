"""Exam day's paperwork for one sitting of N candidates: convocations, the printed
attendance list, a CSV of N results, the jury's validation and the publication (N
certificates issued with their PDF, N e-mails).

    DATABASE_URL=postgres://… .venv/bin/python bench/exam_day_documents.py --candidates 500

Each step goes through the services the pages call, in one process, timed with
``time.perf_counter``; e-mails go to Django's in-memory backend (the SMTP server's time is
not ours). It writes to the database of ``DATABASE_URL`` (migrated): a centre, a session, a
sitting and the candidates tagged with the run's number, deleted at the end unless
``--keep`` (certificates included).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sankore.config.settings")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--convocations", type=int, default=20, help="how many to render")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.test.utils import override_settings
    from django.utils import timezone

    from sankore.accounts.models import Role, RoleAssignment, User
    from sankore.catalog.models import CourseTeamRole
    from sankore.catalog.services import course_team_member_set
    from sankore.catalog.tests.factories import (
        CourseFactory,
        CourseRunFactory,
        DisciplineFactory,
    )
    from sankore.credentials.models import Credential
    from sankore.exams import services
    from sankore.exams.attendance_sheet import attendance_sheet_render
    from sankore.exams.convocation import convocation_render
    from sankore.exams.models import ExamRegistration, ExamResult, ExamSitting
    from sankore.exams.results import results_import, results_validate
    from sankore.exams.results_publish import results_publish
    from sankore.institutions.models import Institution, InstitutionKind
    from sankore.institutions.tests.factories import InstitutionFactory
    from sankore.learning.services import enrolment_create

    tag = f"bench-exam-day-{int(time.time())}"
    # Factory sequences restart with each process: start them past the earlier runs' rows.
    for made in (CourseFactory, DisciplineFactory, CourseRunFactory, InstitutionFactory):
        made.reset_sequence(int(time.time()))
    print(f"Preparing {args.candidates} candidates ({tag})…", flush=True)
    institution = Institution.objects.create(
        name=f"Campus numérique de Dakar ({tag})", slug=tag, kind=InstitutionKind.CAMPUS,
        country="SN", city="Dakar", time_zone="Africa/Dakar",
    )  # fmt: skip
    centre = services.exam_centre_create(institution=institution, address="Point E, Dakar")
    run = CourseRunFactory(
        course__title=f"Examen {tag}", course__offers_certificate=True, capacity=None
    )
    now = timezone.now().astimezone(centre.zone).replace(tzinfo=None, microsecond=0)
    sitting = services.exam_sitting_create(
        course_run=run, centre=centre, mode="papier", duration_minutes=120,
        seats=args.candidates, local_start=now + datetime.timedelta(days=30),
        local_registration_opens=now - datetime.timedelta(days=1),
        local_registration_closes=now + datetime.timedelta(days=20),
    ).sitting  # fmt: skip
    team = User.objects.create_user(email=f"{tag}-team@example.org", password=None)
    course_team_member_set(course=run.course, user=team, role=CourseTeamRole.STAFF)
    staff = User.objects.create_user(email=f"{tag}-staff@example.org", password=None)
    RoleAssignment.objects.create(user=staff, role=Role.CAMPUS_STAFF, institution=institution)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for number in range(args.candidates):
            user = User.objects.create_user(
                email=f"{tag}-{number}@example.org", password=None,
                full_name=f"Candidate {number} Diallo",
            )  # fmt: skip
            enrolment_create(user=user, course_run=run)
            services.registration_create(learner=user, sitting=sitting)
    rows = list(
        ExamRegistration.objects.filter(sitting=sitting)
        .select_related("learner", "sitting__centre__institution", "sitting__course_run__course")
        .order_by("seat_number")
    )
    figures: dict[str, str] = {}

    times = []
    for registration in rows[: args.convocations]:
        began = time.perf_counter()
        convocation_render(registration=registration)
        times.append(time.perf_counter() - began)
    figures["convocation PDF, median"] = f"{statistics.median(times) * 1000:.0f} ms"

    began = time.perf_counter()
    sheet = attendance_sheet_render(sitting=sitting, rows=rows)
    figures[f"attendance list PDF, {len(rows)} candidates"] = (
        f"{time.perf_counter() - began:.2f} s, {len(sheet) // 1024} KB"
    )

    # The day is over: the sitting moved a month back, as the clock would have.
    shift = datetime.timedelta(days=31)
    ExamSitting.objects.filter(pk=sitting.pk).update(
        starts_at=sitting.starts_at - shift,
        registration_opens_at=sitting.registration_opens_at - shift,
        registration_closes_at=sitting.registration_closes_at - shift,
        cancellation_deadline=sitting.cancellation_deadline - shift,
    )
    sitting.refresh_from_db()
    lines = ["email;note"] + [
        f"{r.learner.email};{'ABS' if n % 10 == 9 else f'{8 + n % 9},5'}"
        for n, r in enumerate(rows)
    ]
    data = "\n".join(lines).encode("cp1252")
    began = time.perf_counter()
    outcome = results_import(sitting=sitting, data=data, by=team)
    figures[f"CSV import, {len(rows)} lines (Windows-1252)"] = (
        f"{time.perf_counter() - began:.2f} s, {outcome}"
    )
    began = time.perf_counter()
    results_validate(sitting=sitting, by=team)
    figures["jury validation"] = f"{(time.perf_counter() - began) * 1000:.0f} ms"
    passed = ExamResult.objects.filter(sitting=sitting, passed=True).count()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        began = time.perf_counter()
        report = results_publish(sitting_id=sitting.pk, by_id=team.pk)
        spent = time.perf_counter() - began
        sent = len(mail.outbox)
    issued = Credential.objects.filter(course_run=run).count()
    figures["publication (certificates with PDF, e-mails)"] = (
        f"{spent:.1f} s: {issued} certificates for {passed} passed, {sent} e-mails "
        f"({issued / spent:.1f} certificates/s)"
    )
    del report
    for name, figure in figures.items():
        print(f"{name}: {figure}")
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    if not args.keep:
        Credential.objects.filter(course_run=run).delete()
        ExamResult.objects.filter(sitting=sitting).delete()
        ExamRegistration.objects.filter(sitting=sitting).delete()
        ExamSitting.objects.filter(pk=sitting.pk).delete()
        User.objects.filter(email__startswith=f"{tag}-").delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
