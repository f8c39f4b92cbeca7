"""Results test data: a paper sitting that took place (in 2024, so that « after the exam »
is now), its confirmed candidates, the course team and other people who must be refused."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from sankore.accounts.models import User
from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseRun, CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.exams import services
from sankore.exams.models import ExamCentre, ExamRegistration, ExamSitting
from sankore.exams.tests.factories import campus_staff, centre, learner_of, sitting

# Dakar is on UTC all year: the local times below are the UTC ones.
PAST_EXAM_DAY = datetime.datetime(2024, 6, 12, 9, 0)
PAST_REGISTRATION = datetime.datetime(2024, 4, 1, 12, 0, tzinfo=datetime.UTC)
PAST_AT_THE_DOOR = datetime.datetime(2024, 6, 12, 8, 45, tzinfo=datetime.UTC)
DURING_THE_EXAM = datetime.datetime(2024, 6, 12, 10, 0, tzinfo=datetime.UTC)
AFTER_THE_EXAM = datetime.datetime(2024, 6, 12, 12, 0, tzinfo=datetime.UTC)


def past_sitting(*, at: ExamCentre, run: CourseRun, **fields: Any) -> ExamSitting:
    return sitting(
        at=at, run=run, local_start=PAST_EXAM_DAY,
        local_registration_opens=datetime.datetime(2024, 3, 1, 8, 0),
        local_registration_closes=datetime.datetime(2024, 5, 31, 18, 0),
        local_cancellation_deadline=datetime.datetime(2024, 5, 15, 18, 0),
        **fields,
    )  # fmt: skip


def team_member(run: CourseRun) -> User:
    member = UserFactory()
    course_team_member_set(course=run.course, user=member, role=CourseTeamRole.STAFF)
    return member


@dataclass
class Exam:
    """A paper sitting of a certifying course, after the exam: ``candidates`` by seat."""

    run: CourseRun
    centre: ExamCentre
    sitting: ExamSitting
    team: User
    candidates: list[ExamRegistration] = field(default_factory=list)

    def register(self, count: int = 1, **learner: Any) -> list[ExamRegistration]:
        made = [
            services.registration_create(
                learner=learner_of(self.run, **learner), sitting=self.sitting,
                now=PAST_REGISTRATION,
            )
            for _ in range(count)
        ]  # fmt: skip
        self.candidates.extend(made)
        return made

    def check_in(self, registration: ExamRegistration) -> None:
        services.registration_check_in(
            registration=registration, by=campus_staff(self.centre), identity_checked=True,
            now=PAST_AT_THE_DOOR,
        )  # fmt: skip


def exam(*, candidates: int = 3, offers_certificate: bool = True, **fields: Any) -> Exam:
    run = CourseRunFactory(
        course__title="Hydrologie du Sahel", course__offers_certificate=offers_certificate
    )
    dakar = centre()
    made = Exam(
        run=run, centre=dakar, sitting=past_sitting(at=dakar, run=run, **fields),
        team=team_member(run),
    )  # fmt: skip
    made.register(candidates)
    return made
