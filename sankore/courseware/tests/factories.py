"""Courseware test data, built through the services as in production."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from sankore.catalog.models import CourseRun
from sankore.courseware import services
from sankore.courseware.models import Asset, Block, Chapter, Unit

VTT_FR = (
    "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nBonjour à toutes et à tous.\n\n"
    "00:00:01.000 --> 00:00:02.000\nVoici la première séquence.\n"
)


def chapter(run: CourseRun, title: str = "Chapitre", **fields: object) -> Chapter:
    return services.chapter_create(course_run=run, title=title, **fields)  # type: ignore[arg-type]


def unit(parent: Chapter, title: str = "Séquence", **fields: object) -> Unit:
    return services.unit_create(chapter=parent, title=title, **fields)  # type: ignore[arg-type]


def text_block(parent: Unit, markdown: str = "Un paragraphe.", title: str = "") -> Block:
    return services.block_create(unit=parent, kind="text", data={"markdown": markdown}, title=title)


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def caption_asset(run: CourseRun, text: str = VTT_FR, name: str = "sous-titres.fr.vtt") -> Asset:
    return services.asset_create(
        course=run.course, kind="caption", upload=upload(name, text.encode(), "text/vtt")
    )


def file_asset(
    run: CourseRun, name: str = "guide.pdf", content: bytes = b"%PDF-1.4 guide"
) -> Asset:
    return services.asset_create(course=run.course, kind="file", upload=upload(name, content))


def small_video(
    directory: Path, *, seconds: float = 1.0, audio: bool = True, faststart: bool = False
) -> bytes:
    """A real, tiny MP4 made by ffmpeg (test pattern, 320×240, with a tone)."""
    target = directory / "clip.mp4"
    arguments = [
        "ffmpeg", "-nostdin", "-y", "-v", "error",
        "-f", "lavfi", "-i", f"testsrc=size=320x240:rate=15:duration={seconds}",
    ]  # fmt: skip
    if audio:
        arguments += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        arguments += ["-c:a", "aac", "-shortest"]
    if faststart:  # the index first: a truncated copy still looks like a video to ffprobe
        arguments += ["-movflags", "+faststart"]
    arguments.append(str(target))
    subprocess.run(arguments, check=True)  # noqa: S603
    return target.read_bytes()


def small_png(width: int = 800, height: int = 400) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (138, 59, 18)).save(buffer, "PNG")
    return buffer.getvalue()
