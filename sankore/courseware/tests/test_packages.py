"""Course packages: exported from a session, imported as a course or a session; the round
trip loses nothing, and a malformed package changes nothing."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from sankore.catalog.models import Course, CourseRun
from sankore.catalog.tests.factories import CourseRunFactory, DisciplineFactory, LanguageFactory
from sankore.courseware import services
from sankore.courseware.models import Asset, Block, Chapter, Unit
from sankore.courseware.package_export import package_export
from sankore.courseware.package_format import PackageError
from sankore.courseware.tests.factories import (
    caption_asset,
    chapter,
    file_asset,
    small_png,
    text_block,
    unit,
    upload,
)
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

PACKAGE_DIR = (
    Path(__file__).resolve().parents[2] / "demo" / "packages" / "concevoir-et-animer-un-clom"
)


def _exported(run: CourseRun) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    package_export(course_run=run, target=buffer)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


def _zip(files: dict[str, bytes | str]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def _import_as_new_course(package: io.BytesIO) -> CourseRun:
    now = timezone.now()
    return services.package_import_as_course(
        file=package, owner=InstitutionFactory(), start=now, enrolment_start=now
    )


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _contents(archive: zipfile.ZipFile) -> dict[str, bytes]:
    return {name: archive.read(name) for name in sorted(archive.namelist())}


@pytest.fixture
def rich_run(db: None) -> CourseRun:
    """A session with every kind of block, an image in a text, a linked file, captions."""
    run = CourseRunFactory()
    week = chapter(run, "Semaine 1", release_at=run.start + datetime.timedelta(days=7))
    lesson = unit(
        week, "Leçon", duration_minutes=25, objectives="Lire\nÉcrire", is_free_preview=True
    )
    image = services.asset_create(
        course=run.course, kind="image", upload=upload("carte du Sénégal.png", small_png())
    )
    services.asset_process(asset_id=image.pk)
    guide = file_asset(run, "guide.pdf")
    text_block(
        lesson,
        f"## Carte\n\n![La carte](asset:{image.key})\n\n[Le guide](asset:{guide.key})\n",
        title="Texte",
    )
    services.block_create(unit=lesson, kind="resource", data={"file": guide.key}, title="Guide")
    captions = caption_asset(run)
    services.block_create(
        unit=unit(chapter(run, "Semaine 2"), "Vidéo"),
        kind="video",
        data={"url": "https://videos.example.org/v", "captions": {"fr": captions.key}},
        title="Une vidéo",
    )
    return run


def test_the_round_trip_through_a_package_is_lossless(rich_run: CourseRun) -> None:
    first = _exported(rich_run)
    manifest = json.loads(first.read("manifest.json"))
    manifest["course"]["code"] = "COPIE-1"
    files = _contents(first)
    files["manifest.json"] = json.dumps(manifest).encode()
    owner = InstitutionFactory()
    start = rich_run.start

    imported = services.package_import_as_course(
        file=_zip(files),
        owner=owner,
        start=start,
        enrolment_start=start - datetime.timedelta(days=30),
    )

    second = _exported(imported)
    again = json.loads(second.read("manifest.json"))
    assert again["course"].pop("code") == "COPIE-1"
    assert again["course"].pop("slug") != manifest["course"]["slug"]  # slug was taken: a new one
    del manifest["course"]["code"], manifest["course"]["slug"]
    assert again == manifest
    assert {k: v for k, v in _contents(second).items() if k != "manifest.json"} == {
        k: v for k, v in files.items() if k != "manifest.json"
    }
    assert list(imported.course.owners.all()) == [owner]
    assert not imported.course.is_published
    assert not imported.is_published


def test_exported_markdown_points_at_the_package_files(rich_run: CourseRun) -> None:
    archive = _exported(rich_run)
    manifest = json.loads(archive.read("manifest.json"))
    text_path = manifest["chapters"][0]["units"][0]["blocks"][0]["markdown"]

    text = archive.read(text_path).decode()

    assert "![La carte](media/carte-du-S-n-gal.png)" in text
    assert "[Le guide](media/guide.pdf)" in text
    assert "asset:" not in text
    assert manifest["chapters"][0]["release_offset_days"] == 7
    assert "media/guide.pdf" in archive.namelist()


def test_importing_as_a_new_session_keeps_the_course_and_the_keys(rich_run: CourseRun) -> None:
    archive = _exported(rich_run)
    start = timezone.now() + datetime.timedelta(days=100)

    run = services.package_import_as_session(
        file=_zip(_contents(archive)), course=rich_run.course, start=start,
        enrolment_start=start - datetime.timedelta(days=20),
    )  # fmt: skip

    assert run.course_id == rich_run.course_id
    assert sorted(Unit.objects.filter(course_run=run).values_list("key", flat=True)) == sorted(
        Unit.objects.filter(course_run=rich_run).values_list("key", flat=True)
    )
    assert Chapter.objects.get(
        course_run=run, title="Semaine 1"
    ).release_at == start + datetime.timedelta(days=7)


def _teacher_package() -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {}
    for path in PACKAGE_DIR.rglob("*"):
        if path.is_file():
            files[path.relative_to(PACKAGE_DIR).as_posix()] = path.read_bytes()
    manifest = json.loads(files["manifest.json"])
    # The shipped package refers to a video the demo loader generates; keep its captions only.
    for chapter_entry in manifest["chapters"]:
        for unit_entry in chapter_entry["units"]:
            for block in unit_entry["blocks"]:
                if block["type"] == "video":
                    block.pop("file")
                    block["url"] = "https://videos.example.org/scenariser"
    files["manifest.json"] = json.dumps(manifest)
    return files


def _reference_data() -> None:
    LanguageFactory(code="fr")
    LanguageFactory(code="en", name_fr="Anglais", name_en="English")
    DisciplineFactory(slug="ingenierie-pedagogique")
    DisciplineFactory(slug="formation-enseignants")


def test_the_teacher_training_package_imports_and_publishes(db: None) -> None:
    _reference_data()
    start = timezone.now()

    run = services.package_import_as_course(
        file=_zip(_teacher_package()),
        owner=InstitutionFactory(),
        start=start,
        enrolment_start=start,
    )
    publication = services.courseware_publish(course_run=run)

    assert run.course.title == "Concevoir et animer un CLOM"
    assert Chapter.objects.filter(course_run=run).count() == 6
    assert Unit.objects.filter(course_run=run).count() == 24
    assert publication.block_count == Block.objects.filter(course_run=run).count() >= 30
    assert Asset.objects.filter(course=run.course, kind="caption").count() == 2


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda f: f.pop("manifest.json"), "missing_manifest"),
        (lambda f: f.update({"manifest.json": "{pas du json"}), "manifest_json"),
        (lambda f: f.update({"manifest.json": json.dumps({"format": "scorm"})}), "not_a_package"),
        (lambda f: f.pop("media/grille-objectifs.csv"), "missing_file"),
        # Found missing only after five files were stored: they must be removed again.
        (lambda f: f.pop("media/canevas-modele-economique.md"), "missing_file"),
        (
            lambda f: f.update({"content/01-objectifs/01-pourquoi.md": b"\xff\xfe\x00bad"}),
            "encoding",
        ),
    ],
    ids=[
        "no-manifest",
        "bad-json",
        "not-sankore",
        "missing-media",
        "missing-last-media",
        "not-utf8",
    ],
)
def test_a_malformed_package_is_refused_and_changes_nothing(change, code: str) -> None:  # type: ignore[no-untyped-def]
    _reference_data()
    files = _teacher_package()
    change(files)
    courses_before = Course.objects.count()

    with pytest.raises(PackageError) as refused:
        _import_as_new_course(_zip(files))

    assert refused.value.code == code
    assert Course.objects.count() == courses_before
    assert (
        Chapter.objects.count(),
        Unit.objects.count(),
        Block.objects.count(),
        Asset.objects.count(),
    ) == (0, 0, 0, 0)
    assert _stored_files() == []


def test_a_manifest_error_names_the_faulty_field(db: None) -> None:
    files = _teacher_package()
    manifest = json.loads(files["manifest.json"])
    del manifest["chapters"][2]["units"][1]["title"]
    files["manifest.json"] = json.dumps(manifest)

    with pytest.raises(PackageError) as refused:
        _import_as_new_course(_zip(files))

    assert (
        str(refused.value.message) == "manifest.json, chapters[2].units[1].title : champ manquant"
    )


def test_duplicate_keys_are_refused(db: None) -> None:
    files = _teacher_package()
    manifest = json.loads(files["manifest.json"])
    manifest["chapters"][1]["key"] = manifest["chapters"][0]["key"]
    files["manifest.json"] = json.dumps(manifest)

    with pytest.raises(PackageError) as refused:
        _import_as_new_course(_zip(files))

    assert refused.value.code == "duplicate_key"


def test_a_path_outside_the_package_is_refused(db: None) -> None:
    _reference_data()
    files = _teacher_package()
    manifest = json.loads(files["manifest.json"])
    manifest["chapters"][0]["units"][0]["blocks"][0]["markdown"] = "content/../../etc/passwd"
    files["manifest.json"] = json.dumps(manifest)

    with pytest.raises(PackageError) as refused:
        _import_as_new_course(_zip(files))

    assert refused.value.code == "bad_path"
    assert Course.objects.count() == 0


def test_a_file_that_is_not_a_zip_is_refused(db: None) -> None:
    with pytest.raises(PackageError) as refused:
        services.package_import_as_course(
            file=io.BytesIO(b"%PDF-1.4"), owner=InstitutionFactory(), start=timezone.now(),
            enrolment_start=timezone.now(),
        )  # fmt: skip

    assert refused.value.code == "not_a_zip"


def test_a_package_with_markdown_script_is_imported_sanitised(db: None) -> None:
    _reference_data()
    files = _teacher_package()
    files["content/01-objectifs/01-pourquoi.md"] = (
        "Bonjour <script>alert(1)</script> [x](javascript:alert(1))"
    )
    run = services.package_import_as_course(
        file=_zip(files),
        owner=InstitutionFactory(),
        start=timezone.now(),
        enrolment_start=timezone.now(),
    )

    publication = services.courseware_publish(course_run=run)

    html = publication.blocks.get(key="objectifs-pourquoi-texte").content["html"]
    assert html == "<p>Bonjour &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))</p>\n"


def test_importing_into_a_session_with_content_is_refused(rich_run: CourseRun) -> None:
    archive = _exported(rich_run)
    before = Chapter.objects.filter(course_run=rich_run).count()

    with pytest.raises(PackageError) as refused:
        services.package_import_into_session(file=_zip(_contents(archive)), course_run=rich_run)

    assert refused.value.code == "not_empty"
    assert Chapter.objects.filter(course_run=rich_run).count() == before


def test_the_studio_exports_a_package_for_the_team_only(client, rich_run: CourseRun) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from sankore.accounts.tests.factories import UserFactory
    from sankore.catalog.models import CourseTeamRole
    from sankore.catalog.services import course_team_member_set

    url = reverse("studio:export", args=[rich_run.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    teacher = UserFactory()
    course_team_member_set(course=rich_run.course, user=teacher, role=CourseTeamRole.STAFF)
    client.force_login(teacher)

    response = client.get(url)

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("manifest.json"))["course"]["code"] == rich_run.course.code


def test_the_studio_imports_a_package_as_a_session_of_a_course_of_the_team(
    client, rich_run: CourseRun
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from sankore.accounts.tests.factories import UserFactory
    from sankore.catalog.models import CourseTeamRole
    from sankore.catalog.services import course_team_member_set

    teacher = UserFactory()
    course_team_member_set(course=rich_run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    client.force_login(teacher)
    package = _zip(_contents(_exported(rich_run))).getvalue()

    response = client.post(
        reverse("studio:import"),
        {
            "package": SimpleUploadedFile("paquet.zip", package, "application/zip"),
            "course": rich_run.course.pk,
            "start": "2027-09-01T08:00",
            "enrolment_start": "2027-08-01T08:00",
        },
    )

    new_run = CourseRun.objects.exclude(pk=rich_run.pk).get()
    assert response["Location"] == reverse("studio:session", args=[new_run.pk])
    assert Unit.objects.filter(course_run=new_run).count() == 2


def test_the_studio_refuses_a_broken_package_with_its_reason(client, rich_run: CourseRun) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from sankore.accounts.tests.factories import UserFactory
    from sankore.catalog.models import CourseTeamRole
    from sankore.catalog.services import course_team_member_set

    teacher = UserFactory()
    course_team_member_set(course=rich_run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    client.force_login(teacher)

    response = client.post(
        reverse("studio:import"),
        {
            "package": SimpleUploadedFile("paquet.zip", b"pas un zip"),
            "course": rich_run.course.pk,
            "start": "2027-09-01T08:00",
            "enrolment_start": "2027-08-01T08:00",
        },
    )

    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas une archive zip." in response.content.decode()
    assert CourseRun.objects.count() == 1


def test_a_learner_may_not_import(client, db: None) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from sankore.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())

    assert client.get(reverse("studio:import")).status_code == 403


def test_the_commands_export_and_import_a_package(rich_run: CourseRun, tmp_path: Path) -> None:
    from django.core.management import call_command

    target = tmp_path / "paquet.zip"
    call_command("package_export", str(rich_run.pk), str(target), stdout=io.StringIO())
    call_command(
        "package_import", str(target), course=rich_run.course.code, start="2027-09-01T08:00",
        stdout=io.StringIO(),
    )  # fmt: skip

    new_run = CourseRun.objects.exclude(pk=rich_run.pk).get()
    assert (
        Block.objects.filter(course_run=new_run).count()
        == Block.objects.filter(course_run=rich_run).count()
    )


def test_titles_reference_links_and_times_of_day_survive_the_round_trip(
    rich_run: CourseRun,
) -> None:
    week = Chapter.objects.get(course_run=rich_run, title="Semaine 1")
    week.release_at = rich_run.start + datetime.timedelta(days=7, hours=3, minutes=30)
    week.save(update_fields=["release_at"])
    map_image = services.asset_create(
        course=rich_run.course, kind="image", upload=upload("plan.webp", small_png())
    )
    services.asset_process(asset_id=map_image.pk)
    guide = Asset.objects.get(course=rich_run.course, original_name="guide.pdf")
    lesson = Unit.objects.get(course_run=rich_run, title="Leçon")
    text_block(
        lesson,
        f'![Plan](asset:{map_image.key} "Le plan du campus")\n\n'
        f"Voir [la fiche][1].\n\n[1]: asset:{guide.key}\n",
    )
    services.block_create(unit=lesson, kind="resource", data={"file": map_image.key}, title="Plan")
    first = _exported(rich_run)
    manifest = json.loads(first.read("manifest.json"))
    manifest["course"]["code"] = "COPIE-2"
    files = _contents(first)
    files["manifest.json"] = json.dumps(manifest).encode()

    imported = services.package_import_as_course(
        file=_zip(files),
        owner=InstitutionFactory(),
        start=rich_run.start,
        enrolment_start=rich_run.start,
    )

    again = json.loads(_exported(imported).read("manifest.json"))
    assert again["chapters"][0]["release_offset_minutes"] == 7 * 1440 + 210
    assert Chapter.objects.get(course_run=imported, title="Semaine 1").release_at == week.release_at
    texts = [b.data["markdown"] for b in Block.objects.filter(course_run=imported, kind="text")]
    assert any(
        '"Le plan du campus")' in text and "asset:" in text and "media/" not in text
        for text in texts
    )
    assert any("[1]: asset:" in text for text in texts)
    assert (
        Asset.objects.filter(course=imported.course).count()
        == Asset.objects.filter(course=rich_run.course).count()
    )


def test_a_package_whose_file_is_larger_than_allowed_is_refused_before_it_is_read(
    db: None, settings
) -> None:  # type: ignore[no-untyped-def]
    _reference_data()
    settings.COURSEWARE_UPLOAD_LIMITS = {**settings.COURSEWARE_UPLOAD_LIMITS, "file": 1000}
    files = _teacher_package()
    files["media/grille-objectifs.csv"] = b"0" * 50_000  # compresses to almost nothing

    with pytest.raises(PackageError) as refused:
        _import_as_new_course(_zip(files))

    assert refused.value.code == "file_too_large"
    assert Course.objects.count() == 0


@pytest.mark.parametrize(
    ("manifest", "code"),
    [(b"[" * 100_000, "manifest_json")],
    ids=["deeply-nested-json"],
)
def test_hostile_manifests_are_refused_cleanly(db: None, manifest: bytes, code: str) -> None:
    with pytest.raises(PackageError) as refused:
        _import_as_new_course(_zip({"manifest.json": manifest}))

    assert refused.value.code == code


def test_a_corrupt_entry_is_refused_with_its_name(db: None) -> None:
    _reference_data()
    buffer = _zip(_teacher_package())
    raw = bytearray(buffer.getvalue())
    # Damage the compressed bytes of a text entry (its name stays readable).
    archive = zipfile.ZipFile(io.BytesIO(bytes(raw)))
    info = archive.getinfo("content/01-objectifs/01-pourquoi.md")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start : start + 40] = b"\xff" * 40

    with pytest.raises(PackageError) as refused:
        services.package_import_as_course(
            file=io.BytesIO(bytes(raw)), owner=InstitutionFactory(), start=timezone.now(),
            enrolment_start=timezone.now(),
        )  # fmt: skip

    assert refused.value.code in {"corrupt_file", "encoding"}
    assert Course.objects.count() == 0


def test_due_dates_survive_the_round_trip(rich_run: CourseRun) -> None:
    lesson = Unit.objects.get(course_run=rich_run, title="Leçon")
    services.unit_update(
        unit=lesson,
        due_at=rich_run.start + datetime.timedelta(days=14),
        due_days_after_enrolment=10,
    )
    target = CourseRunFactory(
        course=rich_run.course, start=rich_run.start + datetime.timedelta(days=1)
    )

    services.package_import_into_session(
        file=_zip(_contents(_exported(rich_run))), course_run=target
    )

    copied = Unit.objects.get(course_run=target, title="Leçon")
    assert copied.due_at == target.start + datetime.timedelta(days=14)
    assert copied.due_days_after_enrolment == 10
