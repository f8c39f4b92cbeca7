"""Uploads are checked with a message the author can act on; videos are transcoded by a real
ffmpeg in the worker, images resized."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from sankore.catalog.models import CourseRun
from sankore.courseware import services
from sankore.courseware.models import Asset, AssetKind, AssetStatus
from sankore.courseware.services import AssetError
from sankore.courseware.tests.conftest import needs_ffmpeg
from sankore.courseware.tests.factories import VTT_FR, small_png, small_video, upload

pytestmark = pytest.mark.django_db


def _refused(run: CourseRun, kind: str, name: str, content: bytes) -> AssetError:
    with pytest.raises(AssetError) as refused:
        services.asset_create(course=run.course, kind=kind, upload=upload(name, content))
    assert Asset.objects.count() == 0
    return refused.value


@needs_ffmpeg
def test_a_video_is_transcoded_in_the_worker_into_renditions_audio_and_poster(
    run: CourseRun, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    content = small_video(tmp_path, seconds=1.0)

    with django_capture_on_commit_callbacks(execute=False) as scheduled:
        asset = services.asset_create(
            course=run.course,
            kind=AssetKind.VIDEO,
            upload=upload("cours.mp4", content, "video/mp4"),
        )
    # Nothing is transcoded in the request: the work waits for the transaction, then the worker.
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.PENDING
    assert len(scheduled) == 1

    scheduled[0]()

    asset.refresh_from_db()
    assert asset.status == AssetStatus.READY, asset.error
    assert sorted(asset.renditions) == ["240p", "audio", "poster"]  # no upscaling past 240 px
    assert (asset.width, asset.height) == (320, 240)
    assert asset.duration_seconds == pytest.approx(1.0, abs=0.2)
    for rendition in asset.renditions.values():
        assert default_storage.exists(rendition["path"])
        assert rendition["size"] == default_storage.size(rendition["path"]) > 0


@needs_ffmpeg
def test_processing_twice_does_nothing_the_second_time(run: CourseRun, tmp_path: Path) -> None:
    asset = services.asset_create(
        course=run.course, kind=AssetKind.VIDEO, upload=upload("c.mp4", small_video(tmp_path))
    )
    assert services.asset_process(asset_id=asset.pk) is not None

    assert services.asset_process(asset_id=asset.pk) is None
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.READY


@needs_ffmpeg
def test_a_file_that_is_not_a_video_is_refused_at_upload(run: CourseRun) -> None:
    error = _refused(run, AssetKind.VIDEO, "cours.mp4", b"%PDF-1.4 not a video at all" * 100)

    assert error.code == "not_a_video"
    assert "n'est pas une vidéo lisible" in str(error.message)


@needs_ffmpeg
def test_a_video_cut_before_its_index_is_refused_at_upload(run: CourseRun, tmp_path: Path) -> None:
    content = small_video(tmp_path, seconds=2.0)[:1500]

    assert _refused(run, AssetKind.VIDEO, "coupee.mp4", content).code == "not_a_video"


@needs_ffmpeg
def test_a_corrupt_video_fails_in_the_worker_with_its_reason(
    run: CourseRun, tmp_path: Path
) -> None:
    content = small_video(tmp_path, seconds=2.0, audio=False, faststart=True)[:3000]
    asset = services.asset_create(
        course=run.course, kind=AssetKind.VIDEO, upload=upload("abimee.mp4", content)
    )

    services.asset_process(asset_id=asset.pk)

    asset.refresh_from_db()
    assert asset.status == AssetStatus.FAILED
    assert asset.error
    assert asset.renditions == {}


def test_a_video_upload_without_ffmpeg_says_so(run: CourseRun, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FFPROBE_BINARY = "/nonexistent/ffprobe"

    error = _refused(run, AssetKind.VIDEO, "cours.mp4", b"\x00\x00\x00\x18ftypmp42" * 10)

    assert error.code == "ffmpeg_missing"
    assert "ffmpeg n'est pas installé" in str(error.message)


def test_manage_py_check_reports_a_missing_ffmpeg(settings) -> None:  # type: ignore[no-untyped-def]
    from sankore.courseware.checks import ffmpeg_installed

    settings.FFMPEG_BINARY = "/nonexistent/ffmpeg"

    messages = ffmpeg_installed()

    assert [message.id for message in messages] == ["courseware.W001"]
    settings.PRODUCTION = True
    assert [message.id for message in ffmpeg_installed()] == ["courseware.E001"]


def test_a_file_over_the_size_limit_is_refused(run: CourseRun, settings) -> None:  # type: ignore[no-untyped-def]
    settings.COURSEWARE_UPLOAD_LIMITS = {**settings.COURSEWARE_UPLOAD_LIMITS, "file": 1000}

    error = _refused(run, AssetKind.FILE, "gros.pdf", b"x" * 1001)

    assert error.code == "file_too_large"
    assert "1000" in str(error.message) or "Ko" in str(error.message) or "KB" in str(error.message)


def test_a_forbidden_file_type_is_refused(run: CourseRun) -> None:
    error = _refused(run, AssetKind.FILE, "outil.exe", b"MZ")

    assert error.code == "file_type"
    assert "(exe)" in str(error.message)


def test_an_empty_file_is_refused(run: CourseRun) -> None:
    assert _refused(run, AssetKind.FILE, "vide.pdf", b"").code == "file_empty"


def test_captions_must_be_webvtt(run: CourseRun) -> None:
    error = _refused(
        run, AssetKind.CAPTION, "sous-titres.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nSRT\n"
    )

    assert error.code == "caption_not_webvtt"


def test_captions_must_be_utf8(run: CourseRun) -> None:
    error = _refused(
        run,
        AssetKind.CAPTION,
        "st.vtt",
        VTT_FR.encode("latin-1", "replace").replace(b"\xe0", b"\xe0\xff"),
    )

    assert error.code == "caption_encoding"


def test_an_image_is_checked_then_resized_for_srcset(run: CourseRun) -> None:
    asset = services.asset_create(
        course=run.course, kind=AssetKind.IMAGE, upload=upload("carte.png", small_png(800, 400))
    )
    assert (asset.width, asset.height, asset.status) == (800, 400, AssetStatus.PENDING)

    services.asset_process(asset_id=asset.pk)

    asset.refresh_from_db()
    assert asset.status == AssetStatus.READY
    assert sorted(asset.renditions) == ["w320", "w640", "w800"]


def test_a_broken_image_is_refused(run: CourseRun) -> None:
    error = _refused(run, AssetKind.IMAGE, "carte.png", b"\x89PNG\r\n\x1a\nbroken")

    assert error.code == "not_an_image"


def test_failed_videos_go_back_to_the_worker_once_reprocessed(run: CourseRun) -> None:
    failed = Asset.objects.create(
        course=run.course, kind=AssetKind.VIDEO, file="courseware/x/a.mp4", original_name="a.mp4",
        content_type="video/mp4", size_bytes=1, status=AssetStatus.FAILED, error="ffmpeg manquant",
    )  # fmt: skip
    ready = Asset.objects.create(
        course=run.course, kind=AssetKind.FILE, file="courseware/x/b.pdf", original_name="b.pdf",
        content_type="application/pdf", size_bytes=1,
    )  # fmt: skip

    assert services.assets_reprocess(asset_ids=[failed.pk, ready.pk]) == 1

    failed.refresh_from_db()
    assert (failed.status, failed.error) == (AssetStatus.PENDING, "")
    assert Asset.objects.get(pk=ready.pk).status == AssetStatus.READY
