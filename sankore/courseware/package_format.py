"""The Sankoré course package, version 1: a zip holding ``manifest.json``, the Markdown of
each text block and the course's files. Documented in ``docs/course-packages.md``.

This module knows the format only: the manifest's schema (pydantic, so every refusal
names the faulty field), safe reading of an untrusted zip, and how Markdown refers to the
package's files. Importing and exporting live in the services and selectors.
"""

from __future__ import annotations

import json
import lzma
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from decimal import Decimal
from typing import IO, Annotated, Any, Literal

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
)

from sankore.core.errors import ServiceError

FORMAT = "sankore-course-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 10_000

Key = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{3,64}$")]
Path = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z._/-]{1,200}$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
# A Markdown image or link to a file of the package: ![texte](media/carte.png "titre"),
# or a reference definition: [1]: media/grille.csv
MEDIA_REFERENCE = re.compile(r'(!?)\[([^\]]*)\]\((media/[0-9A-Za-z._/-]{1,200})(\s+"[^"\n]*")?\)')
MEDIA_DEFINITION = re.compile(r"(?m)^( {0,3}\[[^\]\n]+\]:\s*)(media/[0-9A-Za-z._/-]{1,200})")


class PackageError(ServiceError):
    pass


# What a damaged archive raises while reading an entry.
_CORRUPT = (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error, lzma.LZMAError)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaptionEntry(_Strict):
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]
    file: Path


class TextBlockEntry(_Strict):
    key: Key
    type: Literal["text"]
    title: Title = ""
    markdown: Path


class VideoBlockEntry(_Strict):
    key: Key
    type: Literal["video"]
    title: Title = ""
    file: Path | None = None
    url: Annotated[str, StringConstraints(max_length=500)] | None = None
    captions: list[CaptionEntry] = Field(default_factory=list)


class ResourceBlockEntry(_Strict):
    key: Key
    type: Literal["resource"]
    title: Title = ""
    file: Path


class DataBlockEntry(_Strict):
    """Any other registered block type (problems…) whose data uses no file: its data as the
    type stores it, checked by the type on import."""

    key: Key
    type: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,31}$")]
    title: Title = ""
    data: dict[str, Any]


def _block_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if kind in ("text", "video", "resource") else "data"


BlockEntry = Annotated[
    Annotated[TextBlockEntry, Tag("text")]
    | Annotated[VideoBlockEntry, Tag("video")]
    | Annotated[ResourceBlockEntry, Tag("resource")]
    | Annotated[DataBlockEntry, Tag("data")],
    Discriminator(_block_tag),
]


class UnitEntry(_Strict):
    key: Key
    title: Title = Field(min_length=1)
    duration_minutes: int | None = Field(default=None, ge=1, le=600)
    objectives: list[Annotated[str, StringConstraints(max_length=500)]] = Field(
        default_factory=list
    )
    free_preview: bool = False
    # Due date of its problems: minutes after the session starts, or days after enrolment.
    due_offset_minutes: int | None = Field(default=None, ge=0, le=3650 * 1440)
    due_days_after_enrolment: int | None = Field(default=None, ge=1, le=3650)
    # A question pool: each learner gets this many of the unit's problems. (A supervised
    # exam's window and access code belong to one session's sittings: never exported.)
    pool_size: int | None = Field(default=None, ge=1, le=100)
    blocks: list[BlockEntry] = Field(default_factory=list)


class ChapterEntry(_Strict):
    key: Key
    title: Title = Field(min_length=1)
    release_offset_days: int | None = Field(default=None, ge=0, le=3650)
    # When the chapter opens at another time of day than the session starts.
    release_offset_minutes: int | None = Field(default=None, ge=0, le=3650 * 1440)
    units: list[UnitEntry] = Field(default_factory=list)


class CourseEntry(_Strict):
    code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    slug: Annotated[str, StringConstraints(pattern=r"^[-a-z0-9_]{1,120}$")]
    summary: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    description: str = ""
    learning_outcomes: list[str] = Field(default_factory=list)
    prerequisites: str = ""
    languages: list[str] = Field(min_length=1)
    subtitle_languages: list[str] = Field(default_factory=list)
    disciplines: list[str] = Field(min_length=1)
    level: str
    effort_hours_per_week: Decimal
    duration_weeks: int = Field(ge=1)
    licence: str
    offers_attestation: bool = True
    offers_certificate: bool = False
    ects_credits: int | None = None


class SessionEntry(_Strict):
    title: Title = ""
    pacing: Literal["instructor_led", "self_paced"] = "self_paced"


class Manifest(_Strict):
    format: Literal["sankore-course-package"]
    format_version: Literal[1]
    course: CourseEntry
    session: SessionEntry = Field(default_factory=SessionEntry)
    chapters: list[ChapterEntry] = Field(default_factory=list)
    # Blocks of kinds this format version cannot carry, named so nothing is lost silently.
    not_exported: list[dict[str, str]] = Field(default_factory=list)

    def keys(self) -> list[str]:
        keys = []
        for chapter in self.chapters:
            keys.append(chapter.key)
            for unit in chapter.units:
                keys.append(unit.key)
                keys.extend(block.key for block in unit.blocks)
        return keys


_PYDANTIC_MESSAGES = {
    "missing": _("champ manquant"),
    "extra_forbidden": _("champ inconnu"),
    "string_too_long": _("texte trop long"),
    "string_too_short": _("texte vide"),
    "string_pattern_mismatch": _("valeur mal formée"),
    "literal_error": _("valeur non reconnue"),
    "union_tag_invalid": _("type d'activité inconnu"),
    "union_tag_not_found": _("type d'activité manquant"),
    "int_parsing": _("nombre entier attendu"),
    "decimal_parsing": _("nombre attendu"),
    "bool_parsing": _("vrai ou faux attendu"),
    "too_short": _("liste vide"),
    "greater_than_equal": _("valeur trop petite"),
    "less_than_equal": _("valeur trop grande"),
}


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
    ).lstrip(".")
    reason = _PYDANTIC_MESSAGES.get(first["type"], first["msg"])
    more = len(error.errors()) - 1
    message = gettext("manifest.json, %(where)s : %(reason)s") % {"where": where, "reason": reason}
    if more:
        message += " " + gettext("(et %(count)s autre(s) erreur(s))") % {"count": more}
    return message


def manifest_parse(raw: bytes) -> Manifest:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise PackageError(
            _("manifest.json n'est pas un JSON valide en UTF-8."), code="manifest_json"
        ) from error
    if not isinstance(data, dict):
        raise PackageError(_("manifest.json doit être un objet JSON."), code="manifest_json")
    if data.get("format") != FORMAT:
        raise PackageError(
            _("Ce fichier n'est pas un paquet de cours Sankoré."), code="not_a_package"
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise PackageError(
            _("Version de format non prise en charge : %(version)s.")
            % {"version": data.get("format_version")},
            code="format_version",
        )
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as error:
        raise PackageError(_describe(error), code="manifest_invalid") from error
    duplicated = sorted(key for key, count in Counter(manifest.keys()).items() if count > 1)
    if duplicated:
        raise PackageError(
            _("manifest.json : clé utilisée plusieurs fois : %(keys)s.")
            % {"keys": ", ".join(duplicated)},
            code="duplicate_key",
        )
    return manifest


class PackageReader:
    """An untrusted zip, opened with care: no path outside the package, no zip bomb."""

    def __init__(self, file: IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError) as error:
            raise PackageError(
                _("Ce fichier n'est pas une archive zip."), code="not_a_zip"
            ) from error
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PackageError(_("L'archive contient trop de fichiers."), code="too_many_files")
        total = sum(info.file_size for info in infos)
        limit: int = settings.COURSEWARE_PACKAGE_MAX_BYTES
        if total > limit:
            raise PackageError(
                _("L'archive décompressée dépasse la taille maximale."), code="package_too_large"
            )
        self.names = {info.filename for info in infos if not info.is_dir()}

    def read(self, path: str, *, limit: int) -> bytes:
        self._check_path(path)
        info = self.zip.getinfo(path)
        if info.file_size > limit:
            raise PackageError(
                _("Fichier trop volumineux dans le paquet : %(path)s.") % {"path": path},
                code="file_too_large",
            )
        try:
            return self.zip.read(path)
        except _CORRUPT as error:
            raise PackageError(
                _("Fichier illisible dans le paquet : %(path)s.") % {"path": path},
                code="corrupt_file",
            ) from error

    def size(self, path: str) -> int:
        self._check_path(path)
        return self.zip.getinfo(path).file_size

    def copy_to(self, path: str, target: IO[bytes], *, limit: int) -> int:
        """Stream one file into ``target`` (never whole in memory); refused past ``limit``."""
        self._check_path(path)
        if self.zip.getinfo(path).file_size > limit:
            raise PackageError(
                _("Fichier trop volumineux dans le paquet : %(path)s.") % {"path": path},
                code="file_too_large",
            )
        copied = 0
        try:
            with self.zip.open(path) as source:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    copied += len(chunk)
                    if copied > limit:  # a header that lied about the size
                        raise PackageError(
                            _("Fichier trop volumineux dans le paquet : %(path)s.")
                            % {"path": path},
                            code="file_too_large",
                        )
                    target.write(chunk)
        except _CORRUPT as error:
            raise PackageError(
                _("Fichier illisible dans le paquet : %(path)s.") % {"path": path},
                code="corrupt_file",
            ) from error
        return copied

    def _check_path(self, path: str) -> None:
        normal = posixpath.normpath(path)
        if normal != path or path.startswith(("/", "../")) or "\\" in path:
            raise PackageError(
                _("Chemin refusé dans le paquet : %(path)s.") % {"path": path}, code="bad_path"
            )
        if path not in self.names:
            raise PackageError(
                _("Fichier manquant dans le paquet : %(path)s.") % {"path": path},
                code="missing_file",
            )

    def manifest(self) -> Manifest:
        if MANIFEST not in self.names:
            raise PackageError(
                _("Le paquet ne contient pas de manifest.json."), code="missing_manifest"
            )
        return manifest_parse(self.read(MANIFEST, limit=MAX_MANIFEST_BYTES))

    def text(self, path: str) -> str:
        try:
            return self.read(path, limit=MAX_MANIFEST_BYTES).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PackageError(
                _("%(path)s doit être encodé en UTF-8.") % {"path": path}, code="encoding"
            ) from error


def manifest_dump(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
