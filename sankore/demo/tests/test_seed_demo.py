"""``manage.py seed_demo``: a believable francophone network, idempotent, and fast to scale.

The network is seeded once for the module, inside a transaction rolled back at the end, so the
other apps' tests never see it; each test runs in a savepoint of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import HttpRequest
from django.utils import timezone

from sankore.accounts.models import Role, RoleAssignment, User
from sankore.catalog.models import (
    Course,
    CourseRun,
    CourseTeamMember,
    CourseTeamRole,
    Discipline,
    Pacing,
    RunState,
    run_state_filters,
)
from sankore.demo.data.people import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    LEARNER_EMAIL,
    PROGRAMME_STAFF_EMAIL,
    TEACHER_EMAIL,
)
from sankore.demo.plan import network_plan
from sankore.institutions.geography import Region
from sankore.institutions.models import Institution, InstitutionKind
from sankore.learning.models import Enrolment


@pytest.fixture(scope="module")
def _seeded(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("seed_demo", quiet=True)
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.usefixtures("_seeded"), pytest.mark.django_db]


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def runs_with_wrong_counter() -> int:
    return (
        CourseRun.objects.annotate(active=Count("enrolments", filter=Q(enrolments__is_active=True)))
        .exclude(enrolment_count=F("active"))
        .count()
    )


def test_institutions_span_every_region_of_the_francophonie() -> None:
    institutions = Institution.objects.all()

    assert institutions.count() >= 40
    assert institutions.values("country").distinct().count() >= 15
    assert set(institutions.values_list("region", flat=True)) == set(Region.values)
    assert institutions.filter(kind=InstitutionKind.AGENCY).count() == 1
    campuses = dict(
        institutions.filter(kind=InstitutionKind.CAMPUS).values_list("slug", "time_zone")
    )
    assert campuses["cnf-dakar"] == "Africa/Dakar"
    assert campuses["cnf-antananarivo"] == "Indian/Antananarivo"
    assert campuses["cnf-port-au-prince"] == "America/Port-au-Prince"
    assert all(url.endswith(".example") for url in institutions.values_list("website", flat=True))


def test_catalog_is_mostly_french_with_english_and_arabic_courses() -> None:
    courses = Course.objects.all()

    assert courses.count() >= 150
    by_language = {
        code: courses.filter(languages__code=code).count() for code in ("fr", "en", "ar")
    }
    assert by_language["fr"] > 0.75 * courses.count()
    assert by_language["en"] > 0
    assert by_language["ar"] > 0
    assert courses.filter(title="مبادئ الصحة العامة", languages__code="ar").exists()
    assert courses.filter(is_published=False).exists()
    assert courses.filter(offers_certificate=True).exists()
    assert courses.filter(ects_credits__isnull=False).exists()


def test_disciplines_form_a_tree_with_a_dozen_branches() -> None:
    tops = Discipline.objects.filter(parent=None).annotate(children_count=Count("children"))

    assert tops.count() >= 12
    assert all(top.children_count >= 2 for top in tops)
    assert all(top.name_en for top in tops)


def test_flagship_course_is_owned_by_the_agency_and_taught_by_the_demo_teacher() -> None:
    flagship = Course.objects.get(title="Concevoir et animer un CLOM")

    assert [o.kind for o in flagship.owners.all()] == [InstitutionKind.AGENCY]
    assert flagship.is_published
    assert CourseTeamMember.objects.filter(
        course=flagship, user__email=TEACHER_EMAIL, role=CourseTeamRole.INSTRUCTOR
    ).exists()
    assert flagship.teachers.filter(user__email=TEACHER_EMAIL).exists()
    assert flagship.runs.count() >= 3


def test_sessions_are_in_every_state_now() -> None:
    runs = CourseRun.objects.all()

    for state, condition in run_state_filters(timezone.now()).items():
        assert runs.filter(condition).exists(), state
    assert runs.filter(pacing=Pacing.SELF_PACED).exists()
    assert runs.filter(pacing=Pacing.INSTRUCTOR_LED).exists()
    nearly_full = runs.filter(capacity__isnull=False, enrolment_count=F("capacity") - 1)
    assert any(run.state == RunState.OPEN for run in nearly_full)


def test_session_counters_match_active_enrolments() -> None:
    assert Enrolment.objects.filter(is_active=True).count() > 1000
    assert Enrolment.objects.filter(is_active=False).exists()
    assert runs_with_wrong_counter() == 0


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda account: account.email)
def test_demo_account_logs_in_with_the_demo_password(client, account) -> None:  # type: ignore[no-untyped-def]
    # Axes needs the request to count failures; the test client does not pass one itself.
    assert client.login(request=HttpRequest(), email=account.email, password=DEMO_PASSWORD)
    assert EmailAddress.objects.filter(email=account.email, verified=True, primary=True).exists()


def test_demo_accounts_hold_their_roles() -> None:
    programme = User.objects.get(email=PROGRAMME_STAFF_EMAIL)

    assert programme.is_staff
    assert not programme.is_superuser
    assert programme.has_perm("catalog.change_course")
    assert not User.objects.filter(is_superuser=True).exists()
    roles = set(RoleAssignment.objects.values_list("role", "institution__kind"))
    assert roles == {
        (Role.PROGRAMME_STAFF, None),
        (Role.EXPERT_REVIEWER, None),
        (Role.INSTITUTION_STAFF, InstitutionKind.UNIVERSITY),
        (Role.CAMPUS_STAFF, InstitutionKind.CAMPUS),
        # The partnerships' officers and signatories (a school posts a project idea).
        (Role.INSTITUTION_STAFF, InstitutionKind.SCHOOL),
        (Role.SIGNATORY, InstitutionKind.UNIVERSITY),
    }
    learner_runs = Enrolment.objects.filter(user__email=LEARNER_EMAIL, is_active=True)
    assert learner_runs.count() >= 3


def test_learners_have_francophone_names_and_reserved_addresses() -> None:
    learners = User.objects.filter(is_staff=False).exclude(email__endswith="@sankore.example")

    assert learners.count() >= 300
    assert all(email.endswith("@example.org") for email in learners.values_list("email", flat=True))
    assert learners.values("country").distinct().count() >= 15


def test_second_run_changes_no_table() -> None:
    before = table_counts()

    call_command("seed_demo", quiet=True)

    assert table_counts() == before


def test_plan_is_the_same_on_every_run() -> None:
    now = timezone.now()

    assert network_plan(now) == network_plan(now)


def test_scale_adds_courses_learners_and_their_search_entries() -> None:
    from sankore.catalog.search import course_search
    from sankore.catalog.search_params import CourseSearchParams

    before = table_counts()
    indexed_before = course_search(params=CourseSearchParams()).total

    call_command("seed_demo", scale=20, quiet=True)

    after = table_counts()
    assert after["catalog.Course"] - before["catalog.Course"] == 20
    assert after["accounts.User"] - before["accounts.User"] == 200
    assert after["account.EmailAddress"] - before["account.EmailAddress"] == 200
    assert after["learning.Enrolment"] > before["learning.Enrolment"]
    assert runs_with_wrong_counter() == 0
    new = Course.objects.filter(code__startswith="BENCH-001-")
    assert new.count() == 20
    assert all(course.languages.exists() and course.owners.exists() for course in new)
    indexed = course_search(params=CourseSearchParams()).total
    assert indexed - indexed_before == new.filter(is_published=True).count()

    call_command("seed_demo", scale=5, quiet=True)

    assert Course.objects.filter(code__startswith="BENCH-002-").count() == 5
    assert User.objects.count() - after["accounts.User"] == 50


def test_accents_are_searchable_either_way() -> None:
    from sankore.catalog.search import course_search
    from sankore.catalog.search_params import CourseSearchParams

    accented = course_search(params=CourseSearchParams(q="santé")).total
    plain = course_search(params=CourseSearchParams(q="sante")).total

    assert accented == plain > 0


def test_the_flagship_ships_the_teacher_training_mooc_in_every_session() -> None:
    from sankore.courseware.models import Asset, AssetStatus, PublishedOutline, Unit
    from sankore.courseware.selectors import outline_of, publication_current
    from sankore.learning.models import RunProgress

    flagship = Course.objects.get(code="EDU-100")
    runs = list(flagship.runs.order_by("start"))

    for run in runs:
        publication = publication_current(course_run_id=run.pk)
        assert publication is not None
        outline = outline_of(publication)
        assert [chapter.title for chapter in outline.chapters] == [
            "Définir des objectifs d'apprentissage",
            "Scénariser et produire des vidéos légères",
            "Concevoir les évaluations",
            "Animer et tutorer une communauté",
            "Accessibilité et démarche qualité",
            "Modèle économique et certification",
            "Examen final",
        ]
        # The package's 24 units and the session's supervised final exam (3 of 5 drawn).
        assert outline.unit_count == Unit.objects.filter(course_run=run).count() == 25
        final = list(outline.units())[-1]
        assert final.exam is not None
        assert (final.pool_size, len(final.blocks)) == (3, 5)
    # One set of files for the course, shared by its sessions (re-runs copy no file).
    assert Asset.objects.filter(course=flagship, kind="caption").count() == 2
    assert Asset.objects.exclude(status=AssetStatus.READY).filter(course=flagship).count() == 0
    assert PublishedOutline.objects.filter(course_run__course=flagship).count() == len(runs)
    progress = RunProgress.objects.get(user__email=LEARNER_EMAIL, course_run=runs[-1])
    assert progress.completed_blocks > 0
    assert progress.last_unit_key


def test_loading_the_flagship_content_again_changes_nothing() -> None:
    from sankore.demo.courseware import seed_courseware

    before = table_counts()

    assert seed_courseware() is False
    assert table_counts() == before
