"""Uploaded files checked by what they contain (their magic bytes), not only by their name:
a few safe kinds, with a size limit. Shared by the apps that take files (open responses,
applications to calls for projects)."""

from __future__ import annotations

import zipfile

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from sankore.core.errors import ServiceError

_ALIASES = {"jpeg": "jpg"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class UploadRefusedError(ServiceError):
    pass


def _is_zip_with(upload: UploadedFile, *, odt: bool) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if odt:
                # Its size checked before reading: a tiny archive may unpack to gigabytes.
                return (
                    "mimetype" in names
                    and archive.getinfo("mimetype").file_size <= len(_ODT_MIMETYPE) + 16
                    and archive.read("mimetype").strip() == _ODT_MIMETYPE
                )
            return "[Content_Types].xml" in names and "word/document.xml" in names
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        upload.seek(0)


def _is_text(upload: UploadedFile) -> bool:
    upload.seek(0)
    try:
        data = upload.read()
        return b"\x00" not in data and bool(data.decode("utf-8"))
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)


def file_check(upload: UploadedFile, *, allowed: list[str], max_bytes: int) -> str:
    """The file's extension once its type is allowed, its size within ``max_bytes`` and its
    content what its extension says; ``UploadRefusedError`` with a message otherwise."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    extension = _ALIASES.get(extension, extension)
    if extension not in allowed:
        raise UploadRefusedError(
            _("Ce type de fichier n'est pas accepté ; formats acceptés : %(types)s.")
            % {"types": ", ".join(t.upper() for t in allowed)},
            code="file_type",
        )
    size = upload.size or 0
    if size == 0:
        raise UploadRefusedError(_("Le fichier est vide."), code="file_empty")
    if size > max_bytes:
        raise UploadRefusedError(
            _("Le fichier fait %(size)s : il doit faire au plus %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            code="file_too_big",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    matches = {
        "pdf": lambda: head.startswith(b"%PDF-"),
        "png": lambda: head.startswith(b"\x89PNG\r\n\x1a\n"),
        "jpg": lambda: head.startswith(b"\xff\xd8\xff"),
        "odt": lambda: head.startswith(b"PK\x03\x04") and _is_zip_with(upload, odt=True),
        "docx": lambda: head.startswith(b"PK\x03\x04") and _is_zip_with(upload, odt=False),
        "txt": lambda: _is_text(upload),
    }
    if not matches[extension]():
        raise UploadRefusedError(
            _("Le contenu du fichier ne correspond pas à un fichier %(type)s.")
            % {"type": extension.upper()},
            code="file_content",
        )
    return extension
