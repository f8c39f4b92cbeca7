"""Catalog imports: the dry run lists what would change and stores nothing; a file with one
bad piece imports nothing and names every error where it is; applying twice changes nothing."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sankore.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from sankore.catalog.models import Course, CourseRun, Hosting, Licence, Pacing
from sankore.catalog.tests.factories import CourseFactory
from sankore.federation import services
from sankore.federation.importers.plan import ImportRefused
from sankore.federation.importers.records import RowError
from sankore.federation.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "openedx_courses.json"
HEADER = "code;titre;résumé;établissement;langue;discipline;lien;session;début;fin;rythme\n"


def _line(code: str, session: str = "", start: str = "2025-09-01", **cells: str) -> str:
    values = {
        "titre": f"Cours {code}", "resume": "Un résumé.", "etablissement": "UCAD",
        "langue": "fr", "discipline": "droit", "lien": f"https://mooc.example.org/{code}",
        "session": session, "debut": start if session else "", "fin": "", "rythme": "",
    }  # fmt: skip
    values.update(cells)
    return ";".join([code, *values.values()]) + "\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "".join(lines)).encode("utf-8")


def _catalog() -> list[tuple[Any, ...]]:
    return [
        *Course.objects.order_by("code").values_list("code", "title", "hosting"),
        *CourseRun.objects.order_by("resource_link").values_list("resource_link", "start"),
    ]


def test_the_openedx_dry_run_lists_creations_and_stores_nothing(reference: dict[str, Any]) -> None:
    plan = services.import_dry_run(
        format="openedx", content=FIXTURE.read_bytes(), platform="FUN MOOC"
    )

    assert plan.errors == []
    assert [(c.kind, c.key, c.action) for c in plan.changes] == [
        ("course", "UCAD+ECO101", "created"),
        (
            "session",
            "https://mooc.example.org/courses/course-v1:UCAD+ECO101+2025_T1/about",
            "created",
        ),
        (
            "session",
            "https://mooc.example.org/courses/course-v1:UCAD+ECO101+2025_T3/about",
            "created",
        ),
        ("course", "UCAD+DROIT2", "created"),
        ("session", "https://mooc.example.org/courses/course-v1:UCAD+DROIT2+2025/about", "created"),
    ]
    assert Course.objects.count() == 0
    assert CourseRun.objects.count() == 0


def test_the_openedx_import_creates_courses_hosted_elsewhere(reference: dict[str, Any]) -> None:
    plan = services.import_now(format="openedx", content=FIXTURE.read_bytes(), platform="FUN MOOC")

    assert plan.counts() == {"created": 5, "updated": 0, "unchanged": 0}
    course = Course.objects.get(code="UCAD+ECO101")
    assert course.hosting == Hosting.EXTERNAL
    assert course.external_url == "https://mooc.example.org/courses/ucad-eco101"
    assert course.external_platform == "FUN MOOC"
    assert course.summary == "Les grandes questions de l'économie du développement."
    assert course.description == "Un cours en six semaines."
    assert course.level == "intermediaire"
    assert course.duration_weeks == 6
    assert course.effort_hours_per_week == 3
    assert course.licence == Licence.CC_BY_NC_SA
    assert course.is_published is True
    assert list(course.owners.all()) == [reference["ucad"]]
    assert list(course.languages.values_list("code", flat=True)) == ["fr"]
    assert list(course.disciplines.all()) == [reference["economie"]]
    first, second = course.runs.order_by("start")
    assert first.start == datetime.datetime(2025, 3, 3, 8, tzinfo=datetime.UTC)
    assert first.pacing == Pacing.INSTRUCTOR_LED
    assert first.is_published is True
    assert second.pacing == Pacing.SELF_PACED
    assert second.is_published is False
    assert second.end is None


def test_importing_the_same_file_again_changes_nothing(reference: dict[str, Any]) -> None:
    services.import_now(format="openedx", content=FIXTURE.read_bytes(), platform="FUN MOOC")
    before = _catalog()

    plan = services.import_now(format="openedx", content=FIXTURE.read_bytes(), platform="FUN MOOC")

    assert plan.counts() == {"created": 0, "updated": 0, "unchanged": 5}
    assert _catalog() == before


def test_a_changed_field_is_listed_as_updated(reference: dict[str, Any]) -> None:
    services.import_now(
        format="csv", content=_csv(_line("C1", "https://lms.example.org/s1")), platform="P"
    )

    plan = services.import_dry_run(
        format="csv",
        content=_csv(
            _line("C1", "https://lms.example.org/s1", start="2025-09-08", titre="Nouveau titre")
        ),
        platform="P",
    )  # fmt: skip

    assert [(c.kind, c.action, c.fields) for c in plan.changes] == [
        ("course", "updated", ["title"]),
        ("session", "updated", ["start", "enrolment_start"]),
    ]
    assert Course.objects.get().title == "Cours C1"


def test_one_bad_line_among_many_imports_nothing_and_every_error_has_its_line(
    reference: dict[str, Any],
) -> None:
    lines = [_line(f"C{n}", f"https://lms.example.org/s{n}") for n in range(1, 8)]
    lines[2] = _line("C3", "https://lms.example.org/s3", start="le 3 mars")
    lines[5] = _line("C6", "https://lms.example.org/s6", etablissement="Inconnue")

    with pytest.raises(ImportRefused) as refused:
        services.import_now(format="csv", content=_csv(*lines), platform="P")

    assert refused.value.plan.errors == [
        RowError(
            "ligne 4", "debut : date illisible « le 3 mars » (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)."
        ),
        RowError("ligne 7", "établissement inconnu « Inconnue »."),
    ]
    assert Course.objects.count() == 0
    assert CourseRun.objects.count() == 0


def test_unknown_language_and_discipline_are_errors(reference: dict[str, Any]) -> None:
    plan = services.import_dry_run(
        format="csv",
        content=_csv(_line("C1", langue="klingon", discipline="alchimie")),
        platform="P",
    )

    assert plan.errors == [
        RowError("ligne 2", "langue inconnue « klingon »."),
        RowError("ligne 2", "discipline inconnue « alchimie »."),
    ]
    assert plan.changes == []


def test_a_windows_1252_csv_with_commas_is_read(reference: dict[str, Any]) -> None:
    content = (
        "Code,Titre,Résumé,Établissement,Langue,Discipline,Lien,Session,Début,Inscription début\n"
        "ENV1,Écologie générale,Les écosystèmes à l'épreuve,UCAD,Français,Droit,"
        "https://mooc.example.org/env1,https://lms.example.org/env1,01/10/2025 09:00,15/09/2025\n"
    ).encode("cp1252")

    services.import_now(format="csv", content=content, platform="Campus")

    course = Course.objects.get(code="ENV1")
    assert course.title == "Écologie générale"
    assert course.summary == "Les écosystèmes à l'épreuve"
    run = course.runs.get()
    assert run.start == datetime.datetime(2025, 10, 1, 9, tzinfo=datetime.UTC)
    assert run.enrolment_start == datetime.datetime(2025, 9, 15, tzinfo=datetime.UTC)


def test_a_code_of_a_course_hosted_on_sankore_is_refused(reference: dict[str, Any]) -> None:
    CourseFactory(code="C1", title="Local")

    plan = services.import_dry_run(format="csv", content=_csv(_line("C1")), platform="P")

    assert plan.errors == [
        RowError("ligne 2", "le code C1 est celui d'un cours hébergé sur Sankoré.")
    ]


def test_a_malformed_openedx_export_names_its_json_paths(reference: dict[str, Any]) -> None:
    content = json.dumps({"results": [{
        "key": "K1", "title": "T", "short_description": "S", "owners": [{"key": "ucad"}],
        "subjects": [{"slug": "droit"}],
        "course_runs": [
            {"start": "2025-01-01"},
            {"marketing_url": "https://x.example.org/r", "start": "demain"},
        ],
    }]}).encode()  # fmt: skip

    plan = services.import_dry_run(format="openedx", content=content, platform="P")

    assert plan.errors == [
        RowError("results[0].course_runs[0].marketing_url", "adresse de la session manquante."),
        RowError("results[0].course_runs[1].start",
                 "start : date illisible « demain » (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)."),
        RowError("results[0].marketing_url", "adresse du cours manquante."),
    ]  # fmt: skip


def test_the_command_dry_run_stores_nothing_and_apply_imports(
    reference: dict[str, Any], capsys: Any
) -> None:
    call_command(
        "catalog_import", str(FIXTURE), "--format", "openedx", "--platform", "FUN", "--dry-run"
    )
    assert Course.objects.count() == 0
    assert "5 created, 0 updated, 0 unchanged, 0 error(s)." in capsys.readouterr().out

    call_command("catalog_import", str(FIXTURE), "--format", "openedx", "--platform", "FUN")
    assert Course.objects.count() == 2


def test_the_command_refuses_a_bad_file_as_a_whole(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "offre.csv"
    path.write_bytes(_csv(_line("C1"), _line("C2", etablissement="Inconnue")))

    with pytest.raises(CommandError, match="1 error"):
        call_command("catalog_import", str(path), "--format", "csv", "--platform", "P")
    assert Course.objects.count() == 0


# --- The staff pages --------------------------------------------------------------------


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(RoleAssignmentFactory().user)
    return client


def _upload(client: Client, content: bytes, name: str = "offre.csv", format: str = "csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/studio/importations/",
        {"format": format, "platform": "FUN MOOC", "file": SimpleUploadedFile(name, content)},
    )


def test_a_learner_may_not_open_the_imports(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get("/studio/importations/").status_code == 403


def test_staff_upload_a_file_read_its_dry_run_then_apply_it(
    staff_client: Client, reference: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    response = _upload(staff_client, FIXTURE.read_bytes(), "courses.json", "openedx")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/studio/importations/{job.pk}/"
    assert job.status == ImportStatus.PLANNED
    assert Course.objects.count() == 0

    page = staff_client.get(f"/studio/importations/{job.pk}/")
    assert page.status_code == 200
    assert "5 à créer, 0 à modifier, 0 inchangés." in page.content.decode()
    assert "Confirmer l" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/studio/importations/{job.pk}/appliquer")

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.processed, job.total) == (5, 5)
    assert Course.objects.filter(hosting=Hosting.EXTERNAL).count() == 2
    fragment = staff_client.get(f"/studio/importations/{job.pk}/", headers={"HX-Request": "true"})
    assert 'value="100"' in fragment.content.decode()
    assert "hx-get" not in fragment.content.decode()


def test_a_dry_run_with_errors_cannot_be_confirmed(
    staff_client: Client, reference: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _upload(staff_client, _csv(_line("C1"), _line("C2", langue="xx")))
    job = ImportJob.objects.get()
    page = staff_client.get(f"/studio/importations/{job.pk}/").content.decode()
    assert "ligne 3" in page
    assert "Confirmer l" not in page

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/studio/importations/{job.pk}/appliquer")

    job.refresh_from_db()
    assert job.status == ImportStatus.PLANNED
    assert Course.objects.count() == 0


def test_an_import_refused_at_apply_time_fails_and_imports_nothing(
    reference: dict[str, Any],
) -> None:
    job = services.import_job_plan(
        format="csv", platform="P", file_name="offre.csv",
        content=_csv(_line("C1"), _line("C2")), requested_by=UserFactory(),
    )  # fmt: skip
    services.import_job_confirm(job=job)
    # The catalog moved between the dry run and the application.
    CourseFactory(code="C2")

    job = services.import_job_run(job_id=job.pk)

    assert job.status == ImportStatus.FAILED
    assert job.result["errors"] == [
        {"where": "ligne 3", "message": "le code C2 est celui d'un cours hébergé sur Sankoré."}
    ]
    assert list(Course.objects.values_list("code", flat=True)) == ["C2"]
