"""Who may issue, revoke and read the credentials of a course: its instructors and staff,
its institutions' staff, programme staff — not its tutors, who follow learners but do not
certify them."""

from __future__ import annotations

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
