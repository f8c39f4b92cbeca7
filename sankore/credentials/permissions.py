"""Who may issue, revoke and read the credentials of a course: its instructors and staff,
its institutions' staff, programme staff — not its tutors, who follow learners but do not
certify them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sankore.accounts.permissions import (
    AnyUser,
    institution_ids_staffed_by,
    user_is_programme_staff,
)
from sankore.catalog.models import Course, CourseTeamMember, CourseTeamRole


def user_can_manage_credentials(*, user: AnyUser, course: Course) -> bool:
    if not user.is_authenticated:
        return False
    if user_is_programme_staff(user=user):
        return True
    certifying = CourseTeamMember.objects.filter(course=course, user_id=user.pk).exclude(
        role=CourseTeamRole.TUTOR
    )
    if certifying.exists():
        return True
    owner_ids = set(course.owners.values_list("pk", flat=True))
    return bool(owner_ids & institution_ids_staffed_by(user=user))


def course_queryset_certified_by(*, user: AnyUser) -> QuerySet[Course]:
    """The courses whose credentials this user manages: the same rule as
    ``user_can_manage_credentials``, for list queries."""
    courses = Course.objects.all()
    if user_is_programme_staff(user=user):
        return courses
    if not user.is_authenticated:
        return courses.none()
    # The member's own row must not be a tutor's (a negated condition on ``team`` would
    # exclude a course as soon as it has any tutor).
    memberships = CourseTeamMember.objects.filter(user_id=user.pk).exclude(
        role=CourseTeamRole.TUTOR
    )
    certifying = Q(pk__in=memberships.values("course_id"))
    institution_ids = institution_ids_staffed_by(user=user)
    if institution_ids:
        certifying |= Q(owners__in=institution_ids)
    return courses.filter(pk__in=Course.objects.filter(certifying).values("pk"))
