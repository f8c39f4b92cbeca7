from __future__ import annotations

import shutil

import pytest

from sankore.catalog.models import CourseRun
from sankore.catalog.tests.factories import CourseRunFactory

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg is not installed",
)


@pytest.fixture
def run(db: None) -> CourseRun:
    return CourseRunFactory()
