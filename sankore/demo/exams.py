"""The demo's exam centres: every campus numérique hosts exams in one room, and the flagship
course's current session has a paper sitting at Dakar (paying, in francs CFA) and one at
Antananarivo (free), one at Ouagadougou (whose campus staff is a demo account) where the
demo learner holds a seat, a few weeks ahead, in each centre's local time."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sankore.accounts.models import User
from sankore.catalog.models import Course, RunState
from sankore.core.errors import ServiceError
from sankore.demo.data.courses import FLAGSHIP_CODE
from sankore.demo.data.people import LEARNER_EMAIL
from sankore.exams import services as exams
from sankore.exams.models import ExamCentre, ExamSitting
from sankore.institutions.models import Institution, InstitutionKind

ROOM_SEATS = 40
SITTINGS = [
    ("dakar", Decimal(5000), "XOF"),
    ("antananarivo", Decimal(0), ""),
    ("ouagadougou", Decimal(2500), "XOF"),
]


def seed_exams() -> int:
    """Idempotent: returns how many sittings were created now."""
    with transaction.atomic():
        for campus in Institution.objects.filter(kind=InstitutionKind.CAMPUS).order_by("pk"):
            if ExamCentre.objects.filter(institution=campus).exists():
                continue
            centre = exams.exam_centre_create(
                institution=campus,
                address=f"Campus numérique francophone, {campus.city}".strip(", "),
                contact_email=f"examens@{campus.slug}.example",
            )
            exams.exam_room_create(centre=centre, name="Salle des examens", capacity=ROOM_SEATS)
    course = Course.objects.filter(code=FLAGSHIP_CODE).first()
    if course is None:
        return 0
    now = timezone.now()
    run = next(
        (
            r
            for r in course.runs.order_by("start")
            if r.state_at(now) in (RunState.OPEN, RunState.ONGOING)
        ),
        None,
    )
    if run is None or ExamSitting.objects.filter(course_run=run).exists():
        return 0
    created = 0
    day = (now + datetime.timedelta(days=21)).date()
    for city, fee, currency in SITTINGS:
        found = (
            ExamCentre.objects.select_related("institution")
            .filter(institution__city__icontains=city)
            .first()
        )
        if found is None:
            continue
        centre = found
        start = datetime.datetime.combine(day, datetime.time(9, 0))
        with transaction.atomic():
            sitting = exams.exam_sitting_create(
                course_run=run, centre=centre, mode="papier", local_start=start,
                duration_minutes=90, seats=30, room=centre.rooms.first(),
                local_registration_opens=start - datetime.timedelta(days=30),
                local_registration_closes=start - datetime.timedelta(days=2),
                local_cancellation_deadline=start - datetime.timedelta(days=3),
                fee_amount=fee, fee_currency=currency,
            ).sitting  # fmt: skip
        created += 1
        if city == "ouagadougou":
            _demo_learner_registers(sitting=sitting)
    return created


def _demo_learner_registers(*, sitting: ExamSitting) -> None:
    learner = User.objects.filter(email=LEARNER_EMAIL).first()
    if learner is None:
        return
    try:
        exams.registration_create(learner=learner, sitting=sitting)
    except ServiceError:  # not enrolled in this session: the demo goes on without
        return
