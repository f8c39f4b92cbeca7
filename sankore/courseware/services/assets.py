"""Course files: checked on upload (type, size, content) with a message the author can act
on, stored once, then processed in the background worker — videos transcoded by ffmpeg,
images resized — never in a request."""

from __future__ import annotations

import logging
import tempfile
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.catalog.models import Course
from sankore.core.errors import ServiceError
from sankore.courseware import media
from sankore.courseware.captions import CaptionError, caption_text_check
from sankore.courseware.models import Asset, AssetKind, AssetStatus

logger = logging.getLogger(__name__)

EXTENSIONS = {
    AssetKind.VIDEO: {"mp4", "m4v", "webm", "mov", "mkv", "avi", "ogv", "3gp", "mpeg", "mpg"},
    AssetKind.IMAGE: {"png", "jpg", "jpeg", "webp", "gif"},
    AssetKind.CAPTION: {"vtt"},
    AssetKind.FILE: {
        "pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "csv", "txt",
        "md", "zip", "epub", "mp3", "ogg", "m4a", "png", "jpg", "jpeg", "webp", "gif", "svg",
        "json", "xml",
    },
}  # fmt: skip
CONTENT_TYPES = {
    "pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8", "zip": "application/zip",
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp",
    "gif": "image/gif", "mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg",
    "m4a": "audio/mp4", "ogg": "audio/ogg", "json": "application/json", "xml": "application/xml",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "epub": "application/epub+zip", "svg": "image/svg+xml",
}  # fmt: skip


class AssetError(ServiceError):
    pass


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _size_limit(kind: str) -> int:
    limits: dict[str, int] = settings.COURSEWARE_UPLOAD_LIMITS
    return limits[kind]


def _local_copy(upload: UploadedFile, workdir: Path) -> Path:
    target = workdir / "source"
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    upload.seek(0)
    return target


def _check_upload(*, kind: str, upload: UploadedFile) -> dict[str, object]:
    """Refuse what this kind of asset cannot hold; what we learnt of the file otherwise."""
    name = upload.name or ""
    extension = _extension(name)
    allowed = EXTENSIONS[AssetKind(kind)]
    if extension not in allowed:
        raise AssetError(
            _("Type de fichier refusé (%(extension)s). Types acceptés : %(allowed)s.")
            % {"extension": extension or "?", "allowed": ", ".join(sorted(allowed))},
            code="file_type",
        )
    limit = _size_limit(kind)
    if upload.size is None or upload.size > limit:
        raise AssetError(
            _("Le fichier dépasse la taille maximale de %(limit)s.")
            % {"limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if upload.size == 0:
        raise AssetError(_("Le fichier est vide."), code="file_empty")
    learnt: dict[str, object] = {}
    if kind == AssetKind.CAPTION:
        try:
            caption_text_check(upload.read())
        except CaptionError as error:
            raise AssetError(error.message, code=error.code) from error
        upload.seek(0)
    elif kind in (AssetKind.VIDEO, AssetKind.IMAGE):
        with tempfile.TemporaryDirectory(prefix="sankore-upload-") as workdir:
            source = _local_copy(upload, Path(workdir))
            if kind == AssetKind.VIDEO:
                try:
                    probe = media.video_probe(source)
                except media.MediaToolMissing as error:
                    raise AssetError(
                        _("Le serveur ne peut pas traiter les vidéos : ffmpeg n'est pas installé."),
                        code="ffmpeg_missing",
                    ) from error
                except media.MediaProcessingError as error:
                    raise AssetError(
                        _("Ce fichier n'est pas une vidéo lisible (%(reason)s).")
                        % {"reason": error},
                        code="not_a_video",
                    ) from error
                learnt.update(duration_seconds=probe.duration_seconds, width=probe.width,
                              height=probe.height)  # fmt: skip
            else:
                from PIL import Image

                try:
                    with Image.open(source) as image:
                        image.verify()
                    with Image.open(source) as image:
                        learnt.update(width=image.width, height=image.height)
                except Exception as error:
                    raise AssetError(
                        _("Ce fichier n'est pas une image lisible."), code="not_an_image"
                    ) from error
    return learnt


def asset_create(
    *, course: Course, kind: str, upload: UploadedFile, user: User | None = None
) -> Asset:
    """Store an uploaded file of ``course``; videos and images are then processed by the
    worker (``asset_process``), scheduled once the transaction commits.

    The file is checked (ffprobe, Pillow) before the transaction opens: on SQLite a write
    transaction holds the whole database, which a slow probe must not.
    """
    learnt = _check_upload(kind=kind, upload=upload)
    with transaction.atomic():
        return _asset_store(course=course, kind=kind, upload=upload, user=user, learnt=learnt)


def _asset_store(
    *, course: Course, kind: str, upload: UploadedFile, user: User | None, learnt: dict[str, object]
) -> Asset:
    original_name = Path(upload.name or "fichier").name[:255]
    extension = _extension(original_name)
    needs_processing = kind in (AssetKind.VIDEO, AssetKind.IMAGE)
    asset = Asset(
        course=course,
        kind=kind,
        original_name=original_name,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        size_bytes=upload.size or 0,
        status=AssetStatus.PENDING if needs_processing else AssetStatus.READY,
        created_by=user,
        **learnt,
    )
    stored_name = get_valid_filename(original_name) or f"fichier.{extension}"
    asset.file.save(stored_name, upload, save=False)
    asset.save()
    if needs_processing:
        from sankore.courseware.tasks import asset_process_task

        asset_id = asset.pk
        transaction.on_commit(lambda: asset_process_task.enqueue(asset_id=asset_id))
    return asset


def asset_process(*, asset_id: int) -> Asset | None:
    """Transcode a video or resize an image (in the worker). Idempotent: an asset already
    claimed by another worker, or already processed, is left alone."""
    claimed = Asset.objects.filter(pk=asset_id, status=AssetStatus.PENDING).update(
        status=AssetStatus.PROCESSING
    )
    if not claimed:
        return None
    asset = Asset.objects.get(pk=asset_id)
    try:
        with tempfile.TemporaryDirectory(prefix="sankore-media-") as workdir_name:
            workdir = Path(workdir_name)
            source = workdir / f"source.{_extension(asset.original_name) or 'bin'}"
            with asset.file.open("rb") as stored, source.open("wb") as local:
                for chunk in iter(lambda: stored.read(1024 * 1024), b""):
                    local.write(chunk)
            if asset.kind == AssetKind.VIDEO:
                probe, outputs = media.video_transcode(source, workdir)
                asset.duration_seconds = probe.duration_seconds
                asset.width, asset.height = probe.width, probe.height
            else:
                asset.width, asset.height, outputs = media.image_resize(source, workdir)
            folder = str(Path(str(asset.file.name)).parent)
            renditions = {}
            for name, path in outputs.items():
                with path.open("rb") as handle:
                    stored_path = default_storage.save(f"{folder}/{path.name}", File(handle))
                renditions[name] = {"path": stored_path, "size": path.stat().st_size}
    except Exception as error:  # whatever fails, the asset must not stay « processing »
        logger.warning("asset %s could not be processed: %s", asset_id, error)
        reason = (
            _("ffmpeg n'est pas installé sur le serveur.")
            if isinstance(error, media.MediaToolMissing)
            else str(error)
        )
        Asset.objects.filter(pk=asset_id).update(status=AssetStatus.FAILED, error=str(reason))
        asset.refresh_from_db()
        return asset
    asset.renditions = renditions
    asset.status = AssetStatus.READY
    asset.error = ""
    asset.save(
        update_fields=["renditions", "status", "error", "duration_seconds", "width", "height"]
    )
    return asset


@transaction.atomic
def assets_reprocess(*, asset_ids: list[int]) -> int:
    """Put failed (or stuck) videos and images back in the worker's queue, after ffmpeg was
    installed, say; returns how many were."""
    failed = list(
        Asset.objects.select_for_update()
        .filter(
            pk__in=asset_ids,
            # Processing too: a worker killed mid-way leaves its asset there.
            status__in=[AssetStatus.FAILED, AssetStatus.PROCESSING],
            kind__in=[AssetKind.VIDEO, AssetKind.IMAGE],
        )
        .values_list("pk", flat=True)
    )
    Asset.objects.filter(pk__in=failed).update(status=AssetStatus.PENDING, error="")
    from sankore.courseware.tasks import asset_process_task

    for asset_id in failed:
        transaction.on_commit(partial(asset_process_task.enqueue, asset_id=asset_id))
    return len(failed)
