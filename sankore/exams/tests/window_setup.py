"""An on-platform exam on the day, for the window's tests: a session whose supervised-exam
unit (its publication window long closed: the centres' windows replace it) is sat at two
centres, starting in ten minutes; a candidate with a confirmed seat at Dakar."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone

from sankore.accounts.models import User
from sankore.assessments import services as assessments
from sankore.assessments.services import TypeLine
from sankore.catalog.models import CourseRun, Pacing
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware import selectors as courseware_selectors
from sankore.courseware import services as courseware
from sankore.courseware.models import Block, PublishedOutline
from sankore.courseware.selectors import OutlineUnit
from sankore.courseware.tests.factories import chapter, unit
from sankore.exams import services
from sankore.exams.models import ExamCentre, ExamMode, ExamRegistration, ExamSitting
from sankore.exams.tests.factories import campus_staff, centre, learner_of, sitting


@dataclass
class ExamDay:
    run: CourseRun
    publication: PublishedOutline
    unit: OutlineUnit
    question: Block
    dakar: ExamCentre
    kinshasa: ExamCentre
    at_dakar: ExamSitting
    at_kinshasa: ExamSitting
    registration: ExamRegistration  # at Dakar, confirmed, not checked in
    staff: User  # Dakar's
    now: datetime.datetime  # ten minutes before the start

    @property
    def learner(self) -> User:
        return self.registration.learner

    def check_in(self, registration: ExamRegistration | None = None) -> None:
        services.registration_check_in(
            registration=registration or self.registration, by=self.staff,
            identity_checked=True, now=self.now,
        )  # fmt: skip


def _local(at: datetime.datetime) -> datetime.datetime:
    # Dakar's wall clock is UTC (Kinshasa's is an hour ahead: its times get one more hour).
    return at.replace(tzinfo=None)


def exam_day() -> ExamDay:
    now = timezone.now().replace(second=0, microsecond=0)
    start = now + datetime.timedelta(minutes=10)
    run = CourseRunFactory(pacing=Pacing.INSTRUCTOR_LED)
    final = unit(chapter(run), "Examen final")
    question = courseware.block_create(
        unit=final, kind="short_text", title="Fleuve",
        data={"prompt": "Le fleuve de Niamey ?", "accepted": "Niger", "assessment_type": "Examen"},
    )  # fmt: skip
    courseware.unit_update(
        unit=final, is_supervised_exam=True, exam_access_code="PUBLIC",
        exam_opens_at=now - datetime.timedelta(days=10),
        exam_closes_at=now - datetime.timedelta(days=9),
    )  # fmt: skip
    assessments.grading_policy_set(
        course_run=run, passing_percent=Decimal(50), types=[TypeLine("Examen", Decimal(100))]
    )
    publication = courseware.courseware_publish(course_run=run)
    outline_unit = courseware_selectors.outline_of(publication).unit(final.key)
    assert outline_unit is not None
    dakar = centre()
    kinshasa = centre(city="Kinshasa", country="CD", time_zone="Africa/Kinshasa")
    registration_times = {
        "local_registration_opens": _local(now - datetime.timedelta(days=30)),
        "local_registration_closes": _local(now - datetime.timedelta(days=1)),
        "local_cancellation_deadline": _local(now - datetime.timedelta(days=2)),
    }
    at_dakar = sitting(
        at=dakar, run=run, mode=ExamMode.PLATFORM, exam_unit_key=final.key,
        local_start=_local(start), **registration_times,
    )  # fmt: skip
    one_hour = datetime.timedelta(hours=1)
    at_kinshasa = sitting(
        at=kinshasa, run=run, mode=ExamMode.PLATFORM, exam_unit_key=final.key,
        local_start=_local(start + one_hour),
        **{name: value + one_hour for name, value in registration_times.items()},
    )  # fmt: skip
    assert at_kinshasa.starts_at == at_dakar.starts_at
    registration = services.registration_create(
        learner=learner_of(run), sitting=at_dakar, now=now - datetime.timedelta(days=5)
    )
    cache.clear()  # the wrong codes' counters
    return ExamDay(
        run=run, publication=publication, unit=outline_unit, question=question, dakar=dakar,
        kinshasa=kinshasa, at_dakar=at_dakar, at_kinshasa=at_kinshasa,
        registration=registration, staff=campus_staff(dakar), now=now,
    )  # fmt: skip


def register(day: ExamDay, at: ExamSitting) -> ExamRegistration:
    return services.registration_create(
        learner=learner_of(day.run), sitting=at, now=day.now - datetime.timedelta(days=5)
    )


def answer(text: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data["answer"] = text
    return data
