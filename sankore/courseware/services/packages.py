"""Importing a course package: as a new course, as a new session of a course, or into an
empty session. All or nothing: a package with one bad file changes nothing, and the files
already stored for it are removed again."""

from __future__ import annotations

import datetime
import posixpath
import re
import tempfile
from decimal import Decimal, InvalidOperation
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.catalog import services as catalog
from sankore.catalog.models import Course, CourseRun, Discipline, Language
from sankore.core.errors import ServiceError
from sankore.courseware.models import Asset, AssetKind, Chapter
from sankore.courseware.package_format import (
    MEDIA_DEFINITION,
    MEDIA_REFERENCE,
    ChapterEntry,
    DataBlockEntry,
    Manifest,
    PackageError,
    PackageReader,
    TextBlockEntry,
    VideoBlockEntry,
)
from sankore.courseware.services import outline
from sankore.courseware.services.assets import EXTENSIONS, asset_create
from sankore.institutions.models import Institution

IMAGE_EXTENSIONS = EXTENSIONS[AssetKind.IMAGE]


class _Loader:
    """Turns the package's entries into content of one session, remembering every file it
    stored so that a failure can take them back."""

    def __init__(self, *, reader: PackageReader, run: CourseRun, user: User | None) -> None:
        self.reader, self.run, self.user = reader, run, user
        self.assets: dict[tuple[str, str], Asset] = {}
        self.stored: list[str] = []

    def asset(self, path: str, kind: str) -> Asset:
        # An image offered for download is the same file as the image shown in a text.
        if kind == AssetKind.FILE and path.rsplit(".", 1)[-1].lower() in IMAGE_EXTENSIONS:
            kind = AssetKind.IMAGE
        if (path, kind) not in self.assets:
            limits: dict[str, int] = settings.COURSEWARE_UPLOAD_LIMITS
            # On disk past a few megabytes: a package may hold videos of a gigabyte.
            with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
                size = self.reader.copy_to(path, spool, limit=limits[kind])
                spool.seek(0)
                upload = UploadedFile(
                    file=spool,
                    name=posixpath.basename(path),
                    size=size,
                )
                try:
                    asset = asset_create(
                        course=self.run.course, kind=kind, upload=upload, user=self.user
                    )
                except ServiceError as error:
                    raise PackageError(
                        _("%(path)s : %(reason)s") % {"path": path, "reason": error.message},
                        code=error.code,
                    ) from error
            self.stored.append(str(asset.file.name))
            self.assets[(path, kind)] = asset
        return self.assets[(path, kind)]

    def markdown(self, entry: TextBlockEntry) -> str:
        text = self.reader.text(entry.markdown)

        def inline(match: re.Match[str]) -> str:
            image, label, path, title = (
                match.group(1),
                match.group(2),
                match.group(3),
                match.group(4),
            )
            asset = self.asset(path, AssetKind.IMAGE if image else AssetKind.FILE)
            return f"{image}[{label}](asset:{asset.key}{title or ''})"

        def definition(match: re.Match[str]) -> str:
            asset = self.asset(match.group(2), AssetKind.FILE)
            return f"{match.group(1)}asset:{asset.key}"

        return MEDIA_DEFINITION.sub(definition, MEDIA_REFERENCE.sub(inline, text))

    def block_data(self, entry: object) -> dict[str, object]:
        if isinstance(entry, DataBlockEntry):
            return dict(entry.data)
        if isinstance(entry, TextBlockEntry):
            return {"markdown": self.markdown(entry)}
        if isinstance(entry, VideoBlockEntry):
            video = self.asset(entry.file, AssetKind.VIDEO) if entry.file else None
            return {
                "video": video.key if video else "",
                "url": entry.url or "",
                "captions": {
                    caption.language: self.asset(caption.file, AssetKind.CAPTION).key
                    for caption in entry.captions
                },
            }
        return {"file": self.asset(entry.file, AssetKind.FILE).key}  # type: ignore[attr-defined]

    def load(self, manifest: Manifest) -> None:
        for chapter_entry in manifest.chapters:
            chapter = outline.chapter_create(
                course_run=self.run,
                title=chapter_entry.title,
                release_at=_release_at(self.run, chapter_entry),
                key=chapter_entry.key,
            )
            for unit_entry in chapter_entry.units:
                unit = outline.unit_create(
                    chapter=chapter,
                    title=unit_entry.title,
                    duration_minutes=unit_entry.duration_minutes,
                    objectives="\n".join(unit_entry.objectives),
                    is_free_preview=unit_entry.free_preview,
                    key=unit_entry.key,
                )
                if (
                    unit_entry.due_offset_minutes is not None
                    or unit_entry.due_days_after_enrolment
                    or unit_entry.pool_size
                ):
                    outline.unit_update(
                        unit=unit,
                        pool_size=unit_entry.pool_size,
                        due_at=(
                            self.run.start
                            + datetime.timedelta(minutes=unit_entry.due_offset_minutes)
                            if unit_entry.due_offset_minutes is not None
                            else None
                        ),
                        due_days_after_enrolment=unit_entry.due_days_after_enrolment,
                    )
                for block_entry in unit_entry.blocks:
                    try:
                        outline.block_create(
                            unit=unit,
                            kind=block_entry.type,
                            data=self.block_data(block_entry),
                            title=block_entry.title,
                            key=block_entry.key,
                        )
                    except PackageError:
                        raise
                    except ServiceError as error:
                        raise PackageError(
                            _("Activité « %(key)s » : %(reason)s")
                            % {"key": block_entry.key, "reason": error.message},
                            code=error.code,
                        ) from error

    def forget_files(self) -> None:
        for name in self.stored:
            default_storage.delete(name)


def _release_at(run: CourseRun, entry: ChapterEntry) -> datetime.datetime | None:
    if entry.release_offset_minutes is not None:
        return run.start + datetime.timedelta(minutes=entry.release_offset_minutes)
    if entry.release_offset_days is not None:
        return run.start + datetime.timedelta(days=entry.release_offset_days)
    return None


def _load_into(
    *, reader: PackageReader, manifest: Manifest, run: CourseRun, user: User | None
) -> None:
    loader = _Loader(reader=reader, run=run, user=user)
    try:
        loader.load(manifest)
    except BaseException:
        # The transaction rolls the rows back; the files stored for them go too.
        loader.forget_files()
        raise


def _opened(file: IO[bytes]) -> tuple[PackageReader, Manifest]:
    reader = PackageReader(file)
    return reader, reader.manifest()


def _course_from(manifest: Manifest, *, owner: Institution) -> Course:
    entry = manifest.course
    if Course.objects.filter(code=entry.code).exists():
        raise PackageError(
            _("Un cours porte déjà le code %(code)s.") % {"code": entry.code}, code="code_taken"
        )
    languages = list(Language.objects.filter(code__in=entry.languages))
    subtitles = list(Language.objects.filter(code__in=entry.subtitle_languages))
    missing = set(entry.languages + entry.subtitle_languages) - {
        language.code for language in languages + subtitles
    }
    if missing:
        raise PackageError(
            _("Langue inconnue de la plateforme : %(codes)s.")
            % {"codes": ", ".join(sorted(missing))},
            code="unknown_language",
        )
    disciplines = list(Discipline.objects.filter(slug__in=entry.disciplines))
    unknown = set(entry.disciplines) - {discipline.slug for discipline in disciplines}
    if unknown:
        raise PackageError(
            _("Discipline inconnue de la plateforme : %(slugs)s.")
            % {"slugs": ", ".join(sorted(unknown))},
            code="unknown_discipline",
        )
    try:
        effort = Decimal(entry.effort_hours_per_week)
        slug = entry.slug if not Course.objects.filter(slug=entry.slug).exists() else ""
        return catalog.course_create(
            code=entry.code,
            title=entry.title,
            slug=slug,
            summary=entry.summary,
            description=entry.description,
            learning_outcomes="\n".join(entry.learning_outcomes),
            prerequisites=entry.prerequisites,
            level=entry.level,
            effort_hours_per_week=effort,
            duration_weeks=entry.duration_weeks,
            licence=entry.licence,
            languages=languages,
            subtitle_languages=subtitles,
            disciplines=disciplines,
            owners=[owner],
            offers_attestation=entry.offers_attestation,
            offers_certificate=entry.offers_certificate,
            ects_credits=entry.ects_credits,
            is_published=False,
        )
    except (ValidationError, InvalidOperation) as error:
        details = (
            "; ".join(
                f"{field} : {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            if isinstance(error, ValidationError) and hasattr(error, "message_dict")
            else str(error)
        )
        raise PackageError(
            _("manifest.json, course : %(details)s") % {"details": details}, code="course_invalid"
        ) from error


def _new_session(
    course: Course,
    manifest: Manifest,
    *,
    start: datetime.datetime,
    enrolment_start: datetime.datetime,
    end: datetime.datetime | None,
    enrolment_end: datetime.datetime | None,
) -> CourseRun:
    return catalog.course_run_create(
        course=course,
        start=start,
        end=end,
        enrolment_start=enrolment_start,
        enrolment_end=enrolment_end,
        pacing=manifest.session.pacing,
        title=manifest.session.title,
        is_published=False,
    )


def package_import_as_course(
    *,
    file: IO[bytes],
    owner: Institution,
    start: datetime.datetime,
    enrolment_start: datetime.datetime,
    end: datetime.datetime | None = None,
    enrolment_end: datetime.datetime | None = None,
    user: User | None = None,
) -> CourseRun:
    """A new (unpublished) course owned by ``owner``, with one session holding the content."""
    reader, manifest = _opened(file)
    with transaction.atomic():
        course = _course_from(manifest, owner=owner)
        run = _new_session(
            course, manifest, start=start, enrolment_start=enrolment_start, end=end,
            enrolment_end=enrolment_end,
        )  # fmt: skip
        _load_into(reader=reader, manifest=manifest, run=run, user=user)
    return run


def package_import_as_session(
    *,
    file: IO[bytes],
    course: Course,
    start: datetime.datetime,
    enrolment_start: datetime.datetime,
    end: datetime.datetime | None = None,
    enrolment_end: datetime.datetime | None = None,
    user: User | None = None,
) -> CourseRun:
    """A new (unpublished) session of ``course`` holding the package's content; the
    package's course description is not applied."""
    reader, manifest = _opened(file)
    with transaction.atomic():
        run = _new_session(
            course, manifest, start=start, enrolment_start=enrolment_start, end=end,
            enrolment_end=enrolment_end,
        )  # fmt: skip
        _load_into(reader=reader, manifest=manifest, run=run, user=user)
    return run


def package_import_into_session(
    *, file: IO[bytes], course_run: CourseRun, user: User | None = None
) -> CourseRun:
    """Fill the empty session ``course_run`` with the package's content."""
    reader, manifest = _opened(file)
    with transaction.atomic():
        outline.draft_lock(course_run_id=course_run.pk)
        if Chapter.objects.filter(course_run=course_run).exists():
            raise PackageError(
                _("Cette session a déjà un contenu : importez dans une nouvelle session."),
                code="not_empty",
            )
        _load_into(reader=reader, manifest=manifest, run=course_run, user=user)
    return course_run
