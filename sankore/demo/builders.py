"""Build the demo network in the database from its plan, through the domain services.

Idempotent: every row is keyed (institution and discipline slugs, language codes, teacher
names, emails, course codes) and only what is missing is created. A course is created with its
sessions, team and enrolments in one go, so an existing course means all of them exist.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from sankore.accounts.models import SCOPED_ROLES, Role, RoleAssignment, User
from sankore.catalog import services as catalog
from sankore.catalog.models import Course, CourseRun, Discipline, Language, RunState, Teacher
from sankore.demo.data.disciplines import DISCIPLINES, LANGUAGES
from sankore.demo.data.institutions import INSTITUTIONS
from sankore.demo.data.people import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TEACHER
from sankore.demo.plan import CoursePlan, LearnerPlan, NetworkPlan, RunPlan, TeacherPlan
from sankore.institutions import services as institutions
from sankore.institutions.models import Institution
from sankore.learning import services as learning
from sankore.learning.models import Enrolment

# Programme staff use the Django admin, which checks model permissions: they get those of the
# platform's own apps through this group (no superuser among the demo accounts).
PROGRAMME_GROUP = "Équipe du programme"
PROGRAMME_APPS = ("accounts", "institutions", "catalog", "learning")


def demo_password_hash() -> str:
    """One hash for every demo account: hashing is deliberately slow, the password the same."""
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def seed_network(*, plan: NetworkPlan, now: datetime.datetime, password_hash: str) -> int:
    """Create whatever the plan holds that the database does not; return the new courses."""
    institution_by_slug = ensure_institutions()
    discipline_by_slug = ensure_disciplines()
    ensure_languages()
    users = ensure_demo_accounts(institution_by_slug, password_hash)
    users |= ensure_learners(plan.learners, password_hash)
    teachers = ensure_teachers(plan.teachers, institution_by_slug, users)
    existing = set(
        Course.objects.filter(code__in=[c.code for c in plan.courses]).values_list(
            "code", flat=True
        )
    )
    created = 0
    for course_plan in plan.courses:
        if course_plan.code in existing:
            continue
        build_course(
            course_plan,
            institutions=institution_by_slug,
            disciplines=discipline_by_slug,
            teachers=teachers,
            users=users,
            now=now,
        )
        created += 1
    return created


# Reference data -------------------------------------------------------------------------------


def ensure_institutions() -> dict[str, Institution]:
    by_slug = {
        i.slug: i for i in Institution.objects.filter(slug__in=[s.slug for s in INSTITUTIONS])
    }
    for seed in INSTITUTIONS:
        if seed.slug not in by_slug:
            by_slug[seed.slug] = institutions.institution_create(
                name=seed.name,
                kind=seed.kind,
                country=seed.country,
                acronym=seed.acronym,
                slug=seed.slug,
                city=seed.city,
                time_zone=seed.time_zone,
                description=seed.description,
                website=seed.website,
            )
    return by_slug


def ensure_disciplines() -> dict[str, Discipline]:
    by_slug = {d.slug: d for d in Discipline.objects.all()}
    for position, top in enumerate(DISCIPLINES):
        parent = by_slug.get(top.slug) or catalog.discipline_create(
            slug=top.slug, name_fr=top.name_fr, name_en=top.name_en, position=position
        )
        by_slug[top.slug] = parent
        for child_position, child in enumerate(top.children):
            if child.slug not in by_slug:
                by_slug[child.slug] = catalog.discipline_create(
                    slug=child.slug,
                    name_fr=child.name_fr,
                    name_en=child.name_en,
                    parent=parent,
                    position=child_position,
                )
    return by_slug


def ensure_languages() -> None:
    present = set(Language.objects.values_list("code", flat=True))
    for seed in LANGUAGES:
        if seed.code not in present:
            catalog.language_ensure(code=seed.code, name_fr=seed.name_fr, name_en=seed.name_en)


# People -----------------------------------------------------------------------------------


def ensure_demo_accounts(
    institutions: dict[str, Institution], password_hash: str
) -> dict[str, User]:
    users = {u.email: u for u in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])}
    for account in DEMO_ACCOUNTS:
        institution = institutions[account.institution] if account.institution else None
        user = users.get(account.email)
        if user is None:
            user = User.objects.create(
                email=account.email,
                full_name=account.full_name,
                country=account.country,
                is_staff=account.is_staff,
                institution=institution,
                password=password_hash,
            )
            users[account.email] = user
        EmailAddress.objects.get_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if account.role is not None:
            scoped = account.role in SCOPED_ROLES
            RoleAssignment.objects.get_or_create(
                user=user, role=account.role, institution=institution if scoped else None
            )
        if account.role == Role.PROGRAMME_STAFF:
            group = _programme_group()
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
    return users


def _programme_group() -> Group:
    group, _created = Group.objects.get_or_create(name=PROGRAMME_GROUP)
    # Only what is missing (models added since the last run): a re-run writes nothing at all.
    missing = Permission.objects.filter(content_type__app_label__in=PROGRAMME_APPS).exclude(
        group=group
    )
    if missing.exists():
        group.permissions.add(*missing)
    return group


def ensure_learners(learners: Iterable[LearnerPlan], password_hash: str) -> dict[str, User]:
    learners = list(learners)
    emails = [learner.email for learner in learners]
    present = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    new_users = User.objects.bulk_create(
        User(
            email=learner.email,
            full_name=learner.full_name,
            country=learner.country,
            preferred_language=learner.preferred_language,
            date_joined=learner.date_joined,
            password=password_hash,
        )
        for learner in learners
        if learner.email not in present
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in new_users
    )
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def ensure_teachers(
    teachers: Iterable[TeacherPlan],
    institutions: dict[str, Institution],
    users: dict[str, User],
) -> dict[str, Teacher]:
    teachers = list(teachers)
    names = [t.full_name for t in teachers]
    by_name = {t.full_name: t for t in Teacher.objects.filter(full_name__in=names)}
    for teacher in teachers:
        if teacher.full_name not in by_name:
            by_name[teacher.full_name] = catalog.teacher_create(
                full_name=teacher.full_name,
                title=teacher.title,
                bio=teacher.bio,
                institution=institutions[teacher.institution],
            )
    # The demo teacher's public profile is tied to the demo teacher's account.
    demo_user = next(users[a.email] for a in DEMO_ACCOUNTS if a.full_name == DEMO_TEACHER.full_name)
    by_name[DEMO_TEACHER.full_name] = Teacher.objects.filter(
        user=demo_user
    ).first() or catalog.teacher_create(
        full_name=DEMO_TEACHER.full_name,
        title=DEMO_TEACHER.title,
        bio=DEMO_TEACHER.bio,
        institution=institutions[DEMO_TEACHER.institution],
        user=demo_user,
    )
    return by_name


# Courses, sessions, enrolments ----------------------------------------------------------------


def build_course(
    plan: CoursePlan,
    *,
    institutions: dict[str, Institution],
    disciplines: dict[str, Discipline],
    teachers: dict[str, Teacher],
    users: dict[str, User],
    now: datetime.datetime,
) -> Course:
    # Someone may have taken the planned slug by hand: the service then picks a free one.
    slug_taken = Course.objects.filter(slug=plan.slug).exists()
    course = catalog.course_create(
        code=plan.code,
        slug="" if slug_taken else plan.slug,
        title=plan.title,
        summary=plan.summary,
        description=plan.description,
        learning_outcomes=plan.learning_outcomes,
        prerequisites=plan.prerequisites,
        level=plan.level,
        effort_hours_per_week=plan.effort_hours_per_week,
        duration_weeks=plan.duration_weeks,
        licence=plan.licence,
        languages=list(plan.languages),
        subtitle_languages=list(plan.subtitle_languages),
        disciplines=[disciplines[slug] for slug in plan.disciplines],
        owners=[institutions[slug] for slug in plan.owners],
        partners=[institutions[slug] for slug in plan.partners],
        teachers=[teachers[name] for name in plan.teachers],
        offers_attestation=plan.offers_attestation,
        offers_certificate=plan.offers_certificate,
        ects_credits=plan.ects_credits,
        is_published=plan.is_published,
    )
    for run_plan in plan.runs:
        run = catalog.course_run_create(
            course=course,
            title=run_plan.title,
            start=run_plan.start,
            end=run_plan.end,
            enrolment_start=run_plan.enrolment_start,
            enrolment_end=run_plan.enrolment_end,
            pacing=run_plan.pacing,
            capacity=run_plan.capacity,
        )
        enrol(run, run_plan, users=users, now=now)
    for email, role in plan.team:
        catalog.course_team_member_set(course=course, user=users[email], role=role)
    return course


def enrol(run: CourseRun, plan: RunPlan, *, users: dict[str, User], now: datetime.datetime) -> None:
    """Open sessions enrol through the service, as a learner would; the others cannot (their
    enrolment is closed), so their past enrolments are inserted with a consistent counter."""
    if plan.state == RunState.OPEN:
        for enrolment in plan.enrolments:
            learning.enrolment_create(user=users[enrolment.email], course_run=run, now=now)
        return
    Enrolment.objects.bulk_create(
        Enrolment(
            user=users[e.email],
            course_run=run,
            is_active=e.is_active,
            created_at=e.created_at,
            updated_at=e.created_at,
        )
        for e in plan.enrolments
    )
    CourseRun.objects.filter(pk=run.pk).update(enrolment_count=plan.active_count)
