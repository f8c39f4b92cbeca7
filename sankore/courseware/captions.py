"""WebVTT captions: checked on upload, turned into a plain transcript at publication."""

from __future__ import annotations

import io

import webvtt
from django.utils.translation import gettext_lazy as _
from webvtt.errors import MalformedCaptionError, MalformedFileError

from sankore.core.errors import ServiceError

MAX_CAPTION_BYTES = 2 * 1024 * 1024


class CaptionError(ServiceError):
    pass


def caption_text_check(raw: bytes) -> str:
    """The caption file as text, or a ``CaptionError`` saying why it is not WebVTT."""
    if len(raw) > MAX_CAPTION_BYTES:
        raise CaptionError(_("Le fichier de sous-titres dépasse 2 Mo."), code="caption_too_large")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CaptionError(
            _("Le fichier de sous-titres doit être encodé en UTF-8."), code="caption_encoding"
        ) from error
    try:
        captions = webvtt.from_buffer(io.StringIO(text))
    except (MalformedFileError, MalformedCaptionError) as error:
        raise CaptionError(
            _("Ce fichier n'est pas au format WebVTT (il doit commencer par « WEBVTT »)."),
            code="caption_not_webvtt",
        ) from error
    if not len(captions):
        raise CaptionError(
            _("Ce fichier WebVTT ne contient aucun sous-titre."), code="caption_empty"
        )
    return text


def transcript_of(vtt_text: str) -> str:
    """The words of the captions as paragraphs, without timings or repeated lines."""
    lines: list[str] = []
    for caption in webvtt.from_buffer(io.StringIO(vtt_text)).captions:
        for line in caption.text.splitlines():
            line = line.strip()
            if line and (not lines or lines[-1] != line):
                lines.append(line)
    return "\n".join(lines)
