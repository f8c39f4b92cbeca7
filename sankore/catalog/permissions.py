"""Who may see and change catalog objects: one place answers for a single object and for lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sankore.accounts.permissions import (
    AnyUser,
    institution_ids_of_institution_staff,
    institution_ids_staffed_by,
    user_is_programme_staff,
)
from sankore.catalog.models import Course, CourseTeamMember
from sankore.institutions.models import Institution


def course_queryset_visible_to(*, user: AnyUser) -> QuerySet[Course]:
    """Published courses for everyone; drafts too for their team, their institutions' staff
    and programme staff."""
    courses = Course.objects.all()
    if user_is_programme_staff(user=user):
        return courses
    visible = Q(is_published=True)
    if user.is_authenticated:
        visible |= Q(team__user_id=user.pk)
        institution_ids = institution_ids_staffed_by(user=user)
        if institution_ids:
            visible |= Q(owners__in=institution_ids)
    return courses.filter(pk__in=Course.objects.filter(visible).values("pk"))


def user_is_course_team(*, user: AnyUser, course: Course) -> bool:
    if not user.is_authenticated:
        return False
    return CourseTeamMember.objects.filter(course=course, user_id=user.pk).exists()


def user_can_edit_course(*, user: AnyUser, course: Course) -> bool:
    if user_is_programme_staff(user=user) or user_is_course_team(user=user, course=course):
        return True
    owner_ids = set(course.owners.values_list("pk", flat=True))
    return bool(owner_ids & institution_ids_staffed_by(user=user))


def course_queryset_editable_by(*, user: AnyUser) -> QuerySet[Course]:
    """Courses whose content this user may author: their team's, their institutions',
    every course for programme staff. The same rule as ``user_can_edit_course``."""
    courses = Course.objects.all()
    if user_is_programme_staff(user=user):
        return courses
    if not user.is_authenticated:
        return courses.none()
    editable = Q(team__user_id=user.pk)
    institution_ids = institution_ids_staffed_by(user=user)
    if institution_ids:
        editable |= Q(owners__in=institution_ids)
    return courses.filter(pk__in=Course.objects.filter(editable).values("pk"))


def institution_queryset_creating_courses_for(*, user: AnyUser) -> QuerySet[Institution]:
    """Institutions this user may create courses for: any, for programme staff; otherwise
    those whose institution staff they are (campus staff run exams, not courses)."""
    institutions = Institution.objects.order_by("name")
    if user_is_programme_staff(user=user):
        return institutions
    return institutions.filter(pk__in=institution_ids_of_institution_staff(user=user))
