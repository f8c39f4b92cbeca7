"""Writes on the catalog. Every write keeps the course search index current."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from sankore.catalog.models import (
    Course,
    CourseRun,
    CourseTeamMember,
    CourseWithdrawal,
    Discipline,
    Language,
    Teacher,
)
from sankore.catalog.search import search_index_update
from sankore.core.errors import ServiceError
from sankore.core.validation import refuse_unknown_fields
from sankore.institutions.models import Institution

COURSE_EDITABLE_FIELDS = frozenset(
    {
        "code",
        "title",
        "slug",
        "summary",
        "description",
        "learning_outcomes",
        "prerequisites",
        "level",
        "effort_hours_per_week",
        "duration_weeks",
        "licence",
        "image",
        "offers_attestation",
        "offers_certificate",
        "ects_credits",
        "is_published",
        "hosting",
        "external_url",
        "external_platform",
    }
)


class CapacityBelowEnrolmentsError(ServiceError):
    pass


# In the order a form shows them.
RUN_EDITABLE_FIELD_ORDER = (
    "title",
    "start",
    "end",
    "enrolment_start",
    "enrolment_end",
    "pacing",
    "capacity",
    "is_published",
    "resource_link",
)
RUN_EDITABLE_FIELDS = frozenset(RUN_EDITABLE_FIELD_ORDER)


def _unique_course_slug(title: str, *, exclude_pk: int | None = None) -> str:
    stem = slugify(title)[:100] or "cours"
    others = Course.objects.exclude(pk=exclude_pk) if exclude_pk else Course.objects.all()
    candidate, counter = stem, 2
    while others.filter(slug=candidate).exists():
        candidate, counter = f"{stem}-{counter}", counter + 1
    return candidate


def _set_relations(
    course: Course,
    *,
    languages: Sequence[Language | str] | None,
    subtitle_languages: Sequence[Language | str] | None,
    disciplines: Sequence[Discipline] | None,
    owners: Sequence[Institution] | None,
    partners: Sequence[Institution] | None,
    teachers: Sequence[Teacher] | None,
) -> None:
    if languages is not None:
        course.languages.set(languages)  # type: ignore[arg-type]
    if subtitle_languages is not None:
        course.subtitle_languages.set(subtitle_languages)  # type: ignore[arg-type]
    if disciplines is not None:
        course.disciplines.set(disciplines)
    if owners is not None:
        course.owners.set(owners)
    if partners is not None:
        course.partners.set(partners)
    if teachers is not None:
        course.teachers.set(teachers)


def _withdrawal_record(*, course: Course, slug: str) -> None:
    """Remember that ``slug`` left the public catalog now, with the course's current sets."""
    withdrawal, _created = CourseWithdrawal.objects.update_or_create(
        slug=slug, defaults={"code": course.code, "withdrawn_at": timezone.now()}
    )
    withdrawal.institutions.set(
        {*course.owners.values_list("pk", flat=True), *course.partners.values_list("pk", flat=True)}
    )
    withdrawal.disciplines.set(course.disciplines.values_list("pk", flat=True))


def _withdrawal_forget(*, slug: str) -> None:
    """``slug`` is public again: it is no longer a withdrawn course."""
    CourseWithdrawal.objects.filter(slug=slug).delete()


@transaction.atomic
def course_create(
    *,
    code: str,
    title: str,
    summary: str,
    level: str,
    effort_hours_per_week: Decimal | int | str,
    duration_weeks: int,
    licence: str,
    languages: Sequence[Language | str],
    disciplines: Sequence[Discipline],
    owners: Sequence[Institution],
    partners: Sequence[Institution] = (),
    teachers: Sequence[Teacher] = (),
    subtitle_languages: Sequence[Language | str] = (),
    slug: str = "",
    **fields: Any,
) -> Course:
    refuse_unknown_fields(fields=fields, allowed=COURSE_EDITABLE_FIELDS, kind="course")
    course = Course(
        code=code,
        title=title,
        summary=summary,
        level=level,
        effort_hours_per_week=Decimal(str(effort_hours_per_week)),
        duration_weeks=duration_weeks,
        licence=licence,
        slug=slug or _unique_course_slug(title),
        **fields,
    )
    course.full_clean()
    course.save()
    _set_relations(
        course,
        languages=languages,
        subtitle_languages=subtitle_languages,
        disciplines=disciplines,
        owners=owners,
        partners=partners,
        teachers=teachers,
    )
    if course.is_published:
        _withdrawal_forget(slug=course.slug)
    search_index_update(course_ids=[course.pk])
    return course


@transaction.atomic
def course_update(
    *,
    course: Course,
    languages: Sequence[Language | str] | None = None,
    subtitle_languages: Sequence[Language | str] | None = None,
    disciplines: Sequence[Discipline] | None = None,
    owners: Sequence[Institution] | None = None,
    partners: Sequence[Institution] | None = None,
    teachers: Sequence[Teacher] | None = None,
    **fields: Any,
) -> Course:
    refuse_unknown_fields(fields=fields, allowed=COURSE_EDITABLE_FIELDS, kind="course")
    # The stored state, not the instance's: a form may already have set the new values on it.
    before = Course.objects.select_for_update().values("slug", "is_published").get(pk=course.pk)
    if before["is_published"] and (
        not fields.get("is_published", course.is_published)
        or fields.get("slug", course.slug) != before["slug"]
    ):
        # Recorded before the relations change: the sets it leaves are those it had.
        _withdrawal_record(course=course, slug=before["slug"])
    for name, value in fields.items():
        setattr(course, name, value)
    course.updated_at = timezone.now()
    course.full_clean()
    course.save()
    _set_relations(
        course,
        languages=languages,
        subtitle_languages=subtitle_languages,
        disciplines=disciplines,
        owners=owners,
        partners=partners,
        teachers=teachers,
    )
    if course.is_published:
        _withdrawal_forget(slug=course.slug)
    search_index_update(course_ids=[course.pk])
    return course


@transaction.atomic
def course_delete(*, course: Course) -> None:
    course_id = course.pk
    before = Course.objects.select_for_update().values("slug", "is_published").get(pk=course_id)
    if before["is_published"]:
        _withdrawal_record(course=course, slug=before["slug"])
    course.delete()
    search_index_update(course_ids=[course_id])


@transaction.atomic
def course_run_create(
    *,
    course: Course,
    start: datetime.datetime,
    enrolment_start: datetime.datetime,
    pacing: str,
    end: datetime.datetime | None = None,
    enrolment_end: datetime.datetime | None = None,
    capacity: int | None = None,
    title: str = "",
    is_published: bool = True,
    resource_link: str = "",
    languages: Sequence[Language | str] = (),
) -> CourseRun:
    run = CourseRun(
        course=course,
        title=title,
        start=start,
        end=end,
        enrolment_start=enrolment_start,
        enrolment_end=enrolment_end,
        pacing=pacing,
        capacity=capacity,
        is_published=is_published,
        resource_link=resource_link,
    )
    run.full_clean()
    run.save()
    if languages:
        run.languages.set(languages)  # type: ignore[arg-type]
    search_index_update(course_ids=[course.pk])
    return run


class NotHostedElsewhereError(ServiceError):
    pass


EXTERNAL_RUN_FIELDS = frozenset(
    {"title", "start", "end", "enrolment_start", "enrolment_end", "pacing", "is_published"}
)


@transaction.atomic
def course_run_external_update(
    *,
    run: CourseRun,
    languages: Sequence[Language | str] | None = None,
    enrolment_count: int | None = None,
    **fields: Any,
) -> CourseRun:
    """A session of a course hosted elsewhere as its platform reports it: dates, pacing,
    visibility, languages and its enrolment count (which Sankoré does not count itself, as
    nobody enrols in it here). Refused for a course hosted on Sankoré."""
    refuse_unknown_fields(fields=fields, allowed=EXTERNAL_RUN_FIELDS, kind="session")
    locked = CourseRun.objects.select_for_update().select_related("course").get(pk=run.pk)
    if not locked.course.is_hosted_elsewhere:
        raise NotHostedElsewhereError(
            _("Seules les sessions des cours hébergés ailleurs se synchronisent."),
            code="not_hosted_elsewhere",
        )
    for name, value in fields.items():
        setattr(run, name, value)
    update_fields = [*fields, "updated_at"]
    if enrolment_count is not None:
        run.enrolment_count = enrolment_count
        update_fields.append("enrolment_count")
    run.updated_at = timezone.now()
    run.full_clean()
    run.save(update_fields=update_fields)
    if languages is not None:
        run.languages.set(languages)  # type: ignore[arg-type]
        # The course's teaching languages (the search facet) cover those of its sessions.
        run.course.languages.add(*languages)  # type: ignore[arg-type]
    search_index_update(course_ids=[run.course_id])
    return run


@transaction.atomic
def course_run_update(*, run: CourseRun, **fields: Any) -> CourseRun:
    refuse_unknown_fields(fields=fields, allowed=RUN_EDITABLE_FIELDS, kind="session")
    # Lock the row: the enrolment counter moves under concurrent enrolments, and a capacity
    # must never drop below the seats already taken.
    locked = CourseRun.objects.select_for_update().only("enrolment_count").get(pk=run.pk)
    run.enrolment_count = locked.enrolment_count
    capacity = fields.get("capacity", run.capacity)
    if capacity is not None and capacity < run.enrolment_count:
        raise CapacityBelowEnrolmentsError(
            _("La capacité ne peut pas être inférieure aux %(count)s inscrits actuels.")
            % {"count": run.enrolment_count},
            code="capacity_below_enrolments",
        )
    for name, value in fields.items():
        setattr(run, name, value)
    run.updated_at = timezone.now()
    run.full_clean()
    # Never write the counter back: it belongs to the enrolment services.
    run.save(update_fields=[*fields, "updated_at"])
    search_index_update(course_ids=[run.course_id])
    return run


def courses_touch(*, course_ids: Iterable[int]) -> None:
    """Mark these courses as changed now: their published records (OAI-PMH datestamps,
    sitemap dates) show the names of their institutions, disciplines and teachers, so a
    harvester asking for what changed since its last visit must get them again."""
    ids = sorted(set(course_ids))
    for start in range(0, len(ids), 500):
        Course.objects.filter(pk__in=ids[start : start + 500]).update(updated_at=timezone.now())


# What a course's published records say of its institutions.
INSTITUTION_FIELDS_IN_RECORDS = frozenset({"name", "acronym", "country", "website", "logo"})


def institution_changed(institution: Institution, fields: frozenset[str]) -> None:
    """Hook of ``institution_update``: its courses' records changed with its name."""
    if fields & INSTITUTION_FIELDS_IN_RECORDS:
        courses_touch(
            course_ids=[
                *institution.owned_courses.values_list("pk", flat=True),
                *institution.partner_courses.values_list("pk", flat=True),
            ]
        )


@transaction.atomic
def discipline_create(
    *,
    slug: str,
    name_fr: str,
    name_en: str = "",
    parent: Discipline | None = None,
    position: int = 0,
) -> Discipline:
    discipline = Discipline(
        slug=slug, name_fr=name_fr, name_en=name_en, parent=parent, position=position
    )
    discipline.full_clean()
    discipline.save()
    return discipline


@transaction.atomic
def discipline_update(*, discipline: Discipline, **fields: Any) -> Discipline:
    for name, value in fields.items():
        setattr(discipline, name, value)
    discipline.full_clean()
    discipline.save()
    # Discipline names are part of the course search documents and of their records.
    course_ids = list(discipline.courses.values_list("pk", flat=True))
    courses_touch(course_ids=course_ids)
    search_index_update(course_ids=course_ids)
    return discipline


@transaction.atomic
def language_ensure(*, code: str, name_fr: str, name_en: str = "") -> Language:
    language, _created = Language.objects.update_or_create(
        code=code, defaults={"name_fr": name_fr, "name_en": name_en}
    )
    return language


@transaction.atomic
def teacher_create(
    *,
    full_name: str,
    title: str = "",
    bio: str = "",
    institution: Institution | None = None,
    user: Any = None,
    photo: Any = None,
) -> Teacher:
    teacher = Teacher(full_name=full_name, title=title, bio=bio, institution=institution, user=user)
    if photo:
        teacher.photo = photo
    teacher.full_clean()
    teacher.save()
    return teacher


TEACHER_EDITABLE_FIELDS = frozenset({"full_name", "title", "bio", "photo", "institution", "user"})


@transaction.atomic
def teacher_update(*, teacher: Teacher, **fields: Any) -> Teacher:
    refuse_unknown_fields(fields=fields, allowed=TEACHER_EDITABLE_FIELDS, kind="teacher")
    for name, value in fields.items():
        setattr(teacher, name, value)
    teacher.full_clean()
    teacher.save()
    # Teacher names are part of the course search documents and of their records.
    course_ids = list(teacher.courses.values_list("pk", flat=True))
    courses_touch(course_ids=course_ids)
    search_index_update(course_ids=course_ids)
    return teacher


@transaction.atomic
def teacher_delete(*, teacher: Teacher) -> None:
    course_ids = list(teacher.courses.values_list("pk", flat=True))
    teacher.delete()
    courses_touch(course_ids=course_ids)
    search_index_update(course_ids=course_ids)


@transaction.atomic
def discipline_delete(*, discipline: Discipline) -> None:
    """Delete a discipline (refused by the database while it has sub-disciplines)."""
    course_ids = list(discipline.courses.values_list("pk", flat=True))
    discipline.delete()
    courses_touch(course_ids=course_ids)
    search_index_update(course_ids=course_ids)


@transaction.atomic
def course_team_member_set(*, course: Course, user: Any, role: str) -> CourseTeamMember:
    member, _created = CourseTeamMember.objects.update_or_create(
        course=course, user=user, defaults={"role": role}
    )
    return member
