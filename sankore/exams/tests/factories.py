"""Exams test data, built through the services as in production."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseRun
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.exams import services
from sankore.exams.models import ExamCentre, ExamMode, ExamSitting
from sankore.institutions.models import InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.learning.services import enrolment_create

# The sittings of these tests are in June 2030; registrations open from March to May.
EXAM_DAY = datetime.datetime(2030, 6, 12, 9, 0)
DURING_REGISTRATION = datetime.datetime(2030, 4, 1, 12, 0, tzinfo=datetime.UTC)


def centre(
    *,
    city: str = "Dakar",
    country: str = "SN",
    time_zone: str = "Africa/Dakar",
    kind: str = InstitutionKind.CAMPUS,
    **fields: Any,
) -> ExamCentre:
    institution = InstitutionFactory(
        name=f"Campus numérique de {city}", kind=kind, city=city, country=country,
        time_zone=time_zone,
    )  # fmt: skip
    return services.exam_centre_create(
        institution=institution, address=fields.pop("address", f"Avenue principale, {city}"),
        **fields,
    )  # fmt: skip


def sitting(
    *,
    at: ExamCentre,
    run: CourseRun | None = None,
    seats: int = 10,
    local_start: datetime.datetime = EXAM_DAY,
    **fields: Any,
) -> ExamSitting:
    values: dict[str, Any] = {
        "mode": ExamMode.PAPER,
        "duration_minutes": 120,
        "local_registration_opens": datetime.datetime(2030, 3, 1, 8, 0),
        "local_registration_closes": datetime.datetime(2030, 5, 31, 18, 0),
        "local_cancellation_deadline": datetime.datetime(2030, 5, 15, 18, 0),
    }
    values.update(fields)
    return services.exam_sitting_create(
        course_run=run or CourseRunFactory(), centre=at, seats=seats, local_start=local_start,
        **values,
    ).sitting  # fmt: skip


def paying_sitting(*, at: ExamCentre, **fields: Any) -> ExamSitting:
    return sitting(at=at, fee_amount=Decimal("15000"), fee_currency="XOF", **fields)


def learner_of(run: CourseRun, **fields: Any) -> User:
    learner = UserFactory(**fields)
    enrolment_create(user=learner, course_run=run)
    return learner


def campus_staff(centre: ExamCentre) -> User:
    user = UserFactory()
    RoleAssignment.objects.create(
        user=user, role=Role.CAMPUS_STAFF, institution_id=centre.institution_id
    )
    return user


def programme_staff() -> User:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_STAFF)
    return user
