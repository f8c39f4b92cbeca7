"""Who may see and run what in the exams app, and which rows each one may list (one place
answers both, so a list never shows a row its detail page would refuse).

- A centre's sittings and registrations: its campus staff and programme staff.
- A session's sittings and their registrations: the course team but its tutors (who follow
  learners but neither certify them nor see their exam papers), and programme staff.
- A registration: its learner, and the people above.
- Payments at the desk: the centre's campus staff only (they hold the cash and the receipts).
- Results and the jury's validation: the course team but its tutors (and programme staff),
  never the centre's staff alone — they supervise the sitting, they do not grade it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from sankore.accounts.permissions import (
    AnyUser,
    campus_ids_staffed_by,
    user_is_campus_staff,
    user_is_programme_staff,
)
from sankore.credentials.permissions import (
    course_queryset_certified_by,
    user_can_manage_credentials,
)

if TYPE_CHECKING:
    from sankore.exams.models import ExamCentre, ExamRegistration, ExamSitting


def user_can_manage_centre(*, user: AnyUser, centre: ExamCentre) -> bool:
    return user_is_programme_staff(user=user) or user_is_campus_staff(
        user=user, institution_id=centre.institution_id
    )


def user_can_manage_sitting(*, user: AnyUser, sitting: ExamSitting) -> bool:
    return user_can_manage_centre(user=user, centre=sitting.centre) or user_can_manage_credentials(
        user=user, course=sitting.course_run.course
    )


def user_can_record_payment(*, user: AnyUser, centre: ExamCentre) -> bool:
    return user_is_campus_staff(user=user, institution_id=centre.institution_id)


def user_can_enter_results(*, user: AnyUser, sitting: ExamSitting) -> bool:
    # Those who certify, not every member of the team: the jury's validation issues the
    # certificates, and tutors do not issue them (``credentials.permissions``).
    return user_can_manage_credentials(user=user, course=sitting.course_run.course)


def user_can_see_registration(*, user: AnyUser, registration: ExamRegistration) -> bool:
    if not user.is_authenticated:
        return False
    return registration.learner_id == user.pk or user_can_manage_sitting(
        user=user, sitting=registration.sitting
    )


def _managed_sittings_filter(*, user: AnyUser, prefix: str = "") -> Q:
    return Q(**{f"{prefix}centre__institution_id__in": campus_ids_staffed_by(user=user)}) | Q(
        **{f"{prefix}course_run__course__in": course_queryset_certified_by(user=user)}
    )


def sitting_queryset_managed_by(
    *, user: AnyUser, queryset: QuerySet[ExamSitting]
) -> QuerySet[ExamSitting]:
    if not user.is_authenticated:
        return queryset.none()
    if user_is_programme_staff(user=user):
        return queryset
    return queryset.filter(_managed_sittings_filter(user=user))


def registration_queryset_visible_to(
    *, user: AnyUser, queryset: QuerySet[ExamRegistration]
) -> QuerySet[ExamRegistration]:
    if not user.is_authenticated:
        return queryset.none()
    if user_is_programme_staff(user=user):
        return queryset
    return queryset.filter(
        Q(learner_id=user.pk) | _managed_sittings_filter(user=user, prefix="sitting__")
    )
