"""The demo's course content: the teacher-training MOOC « Concevoir et animer un CLOM »,
shipped as a course package (``packages/concevoir-et-animer-un-clom/``) and loaded through
the same import service as any package, into every session of the flagship course."""

from __future__ import annotations

import datetime
import io
import json
import logging
import shutil
import subprocess
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from sankore.accounts.models import User
from sankore.assessments import services as assessments
from sankore.catalog.models import Course, RunState
from sankore.courseware import services as courseware
from sankore.courseware.models import Asset, AssetStatus, Chapter
from sankore.courseware.selectors import outline_of
from sankore.demo.data.courses import FLAGSHIP_CODE
from sankore.demo.data.people import LEARNER_EMAIL
from sankore.learning import services as learning
from sankore.learning.models import Enrolment

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent / "packages" / "concevoir-et-animer-un-clom"
VIDEO_PATH = "media/video-scenarisation.mp4"
VIDEO_SECONDS = 60
# The demo learner has worked through this many units of the flagship's open session.
UNITS_DONE_BY_DEMO_LEARNER = 3


def _demo_video() -> bytes | None:
    """A one-minute test-pattern video with a tone, made by ffmpeg (none without it)."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory(prefix="sankore-demo-") as folder:
        target = Path(folder) / "video.mp4"
        arguments = [
            "-nostdin", "-y", "-v", "error",
            "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=15:duration={VIDEO_SECONDS}",
            "-f", "lavfi", "-i", f"sine=frequency=330:duration={VIDEO_SECONDS}",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "32", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "48k", "-shortest", str(target),
        ]  # fmt: skip
        subprocess.run([ffmpeg, *arguments], check=True)  # noqa: S603
        return target.read_bytes()


def teacher_training_package() -> io.BytesIO:
    """The shipped package as a zip, with its demo video (or, without ffmpeg, without it)."""
    files = {
        path.relative_to(PACKAGE_DIR).as_posix(): path.read_bytes()
        for path in sorted(PACKAGE_DIR.rglob("*"))
        if path.is_file()
    }
    video = _demo_video()
    if video is None:
        logger.warning("ffmpeg not found: the demo course is loaded without its video")
        manifest = json.loads(files["manifest.json"])
        for chapter in manifest["chapters"]:
            for unit in chapter["units"]:
                unit["blocks"] = [b for b in unit["blocks"] if b.get("file") != VIDEO_PATH]
        files["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    else:
        files[VIDEO_PATH] = video
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def seed_courseware() -> bool:
    """Load the flagship's content once (idempotent); True when it was loaded now."""
    course = Course.objects.filter(code=FLAGSHIP_CODE).first()
    if course is None or Chapter.objects.filter(course_run__course=course).exists():
        return False
    runs = list(course.runs.order_by("start"))
    if not runs:
        return False
    first = runs[0]
    with transaction.atomic():
        courseware.package_import_into_session(file=teacher_training_package(), course_run=first)
    # The worker would transcode the video; the demo cannot wait for it, so do it here.
    for asset in Asset.objects.filter(course=course, status=AssetStatus.PENDING):
        courseware.asset_process(asset_id=asset.pk)
    with transaction.atomic():
        for run in runs[1:]:
            courseware.outline_copy(source=first, target=run)
        for run in runs:
            _final_exam(run)
            # One quiz a chapter and the supervised final exam; half the points to pass.
            assessments.grading_policy_set(
                course_run=run,
                passing_percent=Decimal(50),
                types=[assessments.TypeLine("Quiz", Decimal(60)),
                       assessments.TypeLine("Examen", Decimal(40))],
            )  # fmt: skip
            courseware.courseware_publish(course_run=run)
    _demo_learner_progress(course)
    return True


# The access code invigilators give in the exam room (the demo README tells it).
DEMO_EXAM_CODE = "CLOM26"
FINAL_EXAM_QUESTIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("Le sigle", "short_text",
     {"prompt": "Quel sigle français désigne un MOOC ?", "accepted": "CLOM"}),
    ("La durée des vidéos", "numeric",
     {"prompt": "Combien de minutes dure, au plus, une vidéo de cours conseillée dans ce MOOC ?",
      "answer": "6", "tolerance": "1"}),
    ("Les objectifs", "choice",
     {"prompt": "Un objectif d'apprentissage commence par…", "shuffle": True,
      "choices": "[x] un verbe d'action observable\n[ ] le nom du chapitre\n"
                 "[ ] la durée de la séquence"}),
    ("Les retours aux apprenants", "choice",
     {"prompt": "Quelle activité donne le plus de retours personnalisés à grande échelle ?",
      "shuffle": True, "choices": "[x] l'évaluation par les pairs avec une grille\n"
                                  "[ ] la lecture d'un PDF\n[ ] le visionnage d'une vidéo"}),
    ("Le scénario", "short_text",
     {"prompt": "Quel document décrit la progression d'un cours, séquence par séquence ?",
      "accepted": "scénario\nscénario pédagogique\nstoryboard"}),
]  # fmt: skip


def _final_exam(run: Any) -> None:
    """A supervised final exam in a chapter of its own: three of five questions drawn for
    each candidate, open during the session with the demo's access code (the window, not a
    release date, decides when it opens)."""
    final = courseware.chapter_create(course_run=run, title="Examen final")
    exam = courseware.unit_create(chapter=final, title="Examen final (surveillé)",
                                  duration_minutes=30)  # fmt: skip
    for title, kind, data in FINAL_EXAM_QUESTIONS:
        courseware.block_create(
            unit=exam, kind=kind, title=title,
            data={**data, "assessment_type": "Examen", "max_attempts": 1},
        )  # fmt: skip
    opens = run.start
    closes = run.end or run.start + datetime.timedelta(days=180)
    if closes <= timezone.now():  # an archived session: its exam took place
        closes = opens + datetime.timedelta(hours=2)
    courseware.unit_update(
        unit=exam, pool_size=3, is_supervised_exam=True, exam_access_code=DEMO_EXAM_CODE,
        exam_opens_at=opens, exam_closes_at=closes,
    )  # fmt: skip


def _demo_learner_progress(course: Course) -> None:
    learner = User.objects.filter(email=LEARNER_EMAIL).first()
    if learner is None:
        return
    enrolment = (
        Enrolment.objects.filter(user=learner, course_run__course=course, is_active=True)
        .select_related("course_run")
        .order_by("-course_run__start")
        .first()
    )
    if enrolment is None or enrolment.course_run.state not in (RunState.OPEN, RunState.ONGOING):
        return
    run = enrolment.course_run
    publication = run.publications.order_by("-version").first()
    if publication is None:
        return
    outline = outline_of(publication)
    now = timezone.now()
    released = [
        unit
        for chapter in outline.chapters
        if chapter.is_released(now=now, pacing=run.pacing)
        for unit in chapter.units
    ]
    units = released[:UNITS_DONE_BY_DEMO_LEARNER]
    learning.blocks_complete(
        user=learner,
        course_run=run,
        block_keys=[key for unit in units for key in unit.block_keys],
        outline=outline,
    )
    if units:
        learning.position_record(user=learner, course_run=run, unit_key=units[-1].key)
