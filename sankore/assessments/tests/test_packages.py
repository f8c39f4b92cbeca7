"""Problems travel in course packages as the data their type stores."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils import timezone

from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware import services as courseware
from sankore.courseware.models import Block
from sankore.courseware.package_export import package_export
from sankore.courseware.package_format import PackageError
from sankore.courseware.tests.factories import chapter, unit

pytestmark = pytest.mark.django_db


def test_a_problem_survives_export_and_import() -> None:
    run = CourseRunFactory()
    quiz = unit(chapter(run, "Semaine 1"), "Quiz")
    courseware.block_create(
        unit=quiz, kind="choice", title="Capitale",
        data={"prompt": "Capitale du Niger ?", "choices": "[x] Niamey\n[ ] Zinder // Non.",
              "assessment_type": "Quiz", "max_attempts": 2},
    )  # fmt: skip
    buffer = io.BytesIO()
    package_export(course_run=run, target=buffer)

    target = CourseRunFactory(course=run.course)
    buffer.seek(0)
    courseware.package_import_into_session(file=buffer, course_run=target)

    original = Block.objects.get(course_run=run, kind="choice")
    copied = Block.objects.get(course_run=target, kind="choice")
    assert (copied.key, copied.title, copied.data) == (original.key, original.title, original.data)
    buffer.seek(0)
    manifest = json.loads(zipfile.ZipFile(buffer).read("manifest.json"))
    assert "not_exported" not in manifest


def test_a_problem_with_bad_data_is_refused_on_import() -> None:
    run = CourseRunFactory()
    courseware.block_create(
        unit=unit(chapter(run)), kind="numeric", data={"prompt": "π ?", "answer": "3,14"}
    )
    buffer = io.BytesIO()
    package_export(course_run=run, target=buffer)
    buffer.seek(0)
    files = {
        name: zipfile.ZipFile(buffer).read(name) for name in zipfile.ZipFile(buffer).namelist()
    }
    manifest = json.loads(files["manifest.json"])
    manifest["chapters"][0]["units"][0]["blocks"][0]["data"]["answer"] = "trois"
    files["manifest.json"] = json.dumps(manifest).encode()
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    broken.seek(0)
    target = CourseRunFactory(course=run.course, start=timezone.now())

    with pytest.raises(PackageError) as refused:
        courseware.package_import_into_session(file=broken, course_run=target)

    assert refused.value.code == "number"
    assert not Block.objects.filter(course_run=target).exists()
