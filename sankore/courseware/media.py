"""ffmpeg and Pillow at work: what a video or an image becomes for learners on weak links.

Nothing here touches the database; the asset services call it, in the worker only.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# Height, video bitrate cap, audio bitrate: small enough for a 3G link at the low end.
VIDEO_LADDER = (
    ("240p", 240, "300k", "48k"),
    ("360p", 360, "600k", "64k"),
    ("720p", 720, "1500k", "96k"),
)
# The renditions a learner may choose, smallest first (audio aside).
VIDEO_QUALITIES = tuple(name for name, *_ in VIDEO_LADDER)
AUDIO_BITRATE = "48k"
IMAGE_WIDTHS = (320, 640, 1280)


class MediaToolMissing(Exception):
    """ffmpeg or ffprobe is not installed (or not where the settings say)."""


class MediaProcessingError(Exception):
    """The file could not be read or converted; the message says why, for the author."""


@dataclass(frozen=True)
class VideoProbe:
    duration_seconds: float
    width: int
    height: int
    has_audio: bool


def tool_path(name: str) -> str | None:
    configured = getattr(settings, f"{name.upper()}_BINARY", name)
    return shutil.which(configured)


def _run(arguments: list[str], *, timeout: float) -> subprocess.CompletedProcess[bytes]:
    binary = tool_path(arguments[0])
    if binary is None:
        raise MediaToolMissing(arguments[0])
    try:
        return subprocess.run(  # noqa: S603 - fixed program, arguments are not a shell line
            [binary, *arguments[1:]], capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise MediaProcessingError(f"{arguments[0]}: timeout after {timeout:.0f} s") from error


def video_probe(path: Path) -> VideoProbe:
    """What ffprobe reads of ``path``; ``MediaProcessingError`` when it holds no video."""
    result = _run(
        [
            "ffprobe", "-v", "error", "-print_format", "json",
            "-show_entries", "format=duration:stream=codec_type,width,height,duration",
            str(path),
        ],
        timeout=60,
    )  # fmt: skip
    if result.returncode != 0:
        raise MediaProcessingError(_last_line(result.stderr) or "unreadable file")
    info = json.loads(result.stdout or b"{}")
    streams = info.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video" and s.get("width")), None)
    if video is None:
        raise MediaProcessingError("no video stream")
    duration = info.get("format", {}).get("duration") or video.get("duration")
    try:
        seconds = float(duration)
    except (TypeError, ValueError) as error:
        raise MediaProcessingError("unknown duration") from error
    if seconds <= 0:
        raise MediaProcessingError("empty video")
    return VideoProbe(
        duration_seconds=seconds,
        width=int(video["width"]),
        height=int(video["height"]),
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
    )


def _last_line(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].strip()[:300] if lines else ""


def video_transcode(source: Path, workdir: Path) -> tuple[VideoProbe, dict[str, Path]]:
    """MP4 renditions (at most the source's height, at least the smallest rung), an
    audio-only track and a poster image, written into ``workdir``."""
    probe = video_probe(source)
    timeout = max(120.0, probe.duration_seconds * 10)
    rungs = [rung for rung in VIDEO_LADDER if rung[1] <= probe.height] or [VIDEO_LADDER[0]]
    outputs: dict[str, Path] = {}
    for name, height, video_rate, audio_rate in rungs:
        target = workdir / f"{name}.mp4"
        arguments = [
            "ffmpeg", "-nostdin", "-y", "-v", "error", "-i", str(source),
            "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", f"scale=-2:{height}", "-c:v", "libx264", "-preset", "veryfast",
            "-crf", "28", "-maxrate", video_rate, "-bufsize", video_rate,
            "-pix_fmt", "yuv420p", "-profile:v", "main",
            "-c:a", "aac", "-b:a", audio_rate, "-ac", "1",
            "-movflags", "+faststart", str(target),
        ]  # fmt: skip
        result = _run(arguments, timeout=timeout)
        if result.returncode != 0 or not target.exists():
            raise MediaProcessingError(_last_line(result.stderr) or f"{name} failed")
        outputs[name] = target
    if probe.has_audio:
        target = workdir / "audio.m4a"
        result = _run(
            [
                "ffmpeg", "-nostdin", "-y", "-v", "error", "-i", str(source), "-vn",
                "-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ac", "1", "-movflags", "+faststart",
                str(target),
            ],
            timeout=timeout,
        )  # fmt: skip
        if result.returncode != 0 or not target.exists():
            raise MediaProcessingError(_last_line(result.stderr) or "audio failed")
        outputs["audio"] = target
    poster = workdir / "poster.jpg"
    at = min(1.0, probe.duration_seconds / 2)
    result = _run(
        [
            "ffmpeg", "-nostdin", "-y", "-v", "error", "-ss", f"{at:.2f}", "-i", str(source),
            "-frames:v", "1", "-vf", "scale=-2:360", "-q:v", "5", str(poster),
        ],
        timeout=120,
    )  # fmt: skip
    if result.returncode == 0 and poster.exists():
        outputs["poster"] = poster
    return probe, outputs


def image_resize(source: Path, workdir: Path) -> tuple[int, int, dict[str, Path]]:
    """Narrower copies for ``srcset`` (never wider than the original)."""
    from PIL import Image, ImageOps

    outputs: dict[str, Path] = {}
    try:
        with Image.open(source) as opened:
            image = ImageOps.exif_transpose(opened)
            width, height = image.size
            keep_alpha = image.mode in {"RGBA", "LA", "P"}
            for target_width in IMAGE_WIDTHS:
                shown = min(target_width, width)
                copy = image.resize((shown, max(1, round(height * shown / width))))
                if keep_alpha:
                    target = workdir / f"w{shown}.png"
                    copy.save(target, "PNG", optimize=True)
                else:
                    target = workdir / f"w{shown}.jpg"
                    copy.convert("RGB").save(target, "JPEG", quality=78, optimize=True)
                outputs[f"w{shown}"] = target
                if shown == width:  # never wider than the original
                    break
    except OSError as error:
        raise MediaProcessingError(str(error)) from error
    return width, height, outputs
