"""The credential's PDF: a Django template laid out by WeasyPrint, with a QR code to its
verification page.

The renderer takes a ``CredentialContent`` and reads nothing else: no database, no file, no
network. WeasyPrint gets a fetcher that serves this document's own images from memory and
refuses every URL; images come in as bytes and are checked with Pillow first, so neither an
authored string nor a crafted image can make the worker fetch a URL or read a local file.
"""

from __future__ import annotations

import datetime
import enum
import functools
import hashlib
import io
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import segno
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from sankore.credentials.content import CredentialContent, DocumentStyle, Kind

logger = logging.getLogger(__name__)

TEMPLATE = "credentials/pdf/credential.html"
STYLESHEET = "credentials/pdf/credential.css"

# PDF/A-3b is the archival profile (fonts embedded, sRGB output intent, XMP metadata): a
# credential is meant to be kept for decades. It costs 3 KB (the ICC profile) and about 4 ms.
PDF_VARIANT = "pdf/a-3b"

# Bounds on an uploaded image: a logo or a signature weighs a few hundred kilobytes; anything
# larger is a mistake or a decompression bomb, and would slow down every document.
MAX_IMAGE_BYTES = 4 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000
_IMAGE_FORMATS = frozenset({"PNG", "JPEG", "WEBP", "GIF"})
# Logos print at most 60 × 18 mm and signatures 50 × 15 mm: 1200 × 400 pixels is over
# 400 dpi for both, and keeps the file small.
_PRINT_BOX = (1200, 400)

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

# The only URLs the page holds: names of this document's own images, served from memory.
RESOURCE_SCHEME = "sankore-resource:"


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    sha256: str  # hex digest of ``pdf``, stored beside the file to prove it unchanged
    warnings: tuple[str, ...]  # for staff, translated: what was replaced by a placeholder


class InMemoryURLFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves the resources it was given and refuses every URL.

    ``http:``, ``https:``, ``file:``, ``data:``… are all refused: WeasyPrint catches the
    refusal, logs it and draws nothing in place of the resource, so the document is still
    produced and nothing outside the process is reached. Images are handed over as bytes
    under short names rather than as data URIs, which the HTML parser reads a character at a
    time (a tenth of the rendering time with two logos and two signatures).
    """

    def __init__(self, resources: Mapping[str, tuple[str, bytes]]) -> None:
        # No protocol allowed: the parent's opener is never used, this only makes sure of it.
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self._resources = resources

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        resource = self._resources.get(url) if url.startswith(RESOURCE_SCHEME) else None
        if resource is None:
            logger.warning("credential PDF: refused to fetch %.100s", url)
            raise ValueError(f"credential documents fetch nothing: refused {url[:100]}")
        mime_type, body = resource
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


class _ImageProblem(enum.Enum):
    MISSING = "missing"
    FORMAT = "format"
    UNREADABLE = "unreadable"
    TOO_HEAVY = "too heavy"
    TOO_LARGE = "too large"


@dataclass(frozen=True)
class _CheckedImage:
    jpeg: bytes = b""
    problem: _ImageProblem | None = None


@functools.lru_cache(maxsize=256)
def _check_image(data: bytes, name: str) -> _CheckedImage:
    """Verify an image with Pillow and make it ready to print.

    Cached: the same few logos and signatures are on thousands of documents, and bytes keep
    their hash once computed.
    """
    if len(data) > MAX_IMAGE_BYTES:
        return _CheckedImage(problem=_ImageProblem.TOO_HEAVY)
    # SVG is refused outright: an SVG may hold URLs, and Pillow cannot vouch for it.
    if name.lower().endswith((".svg", ".svgz")) or data.lstrip()[:1] == b"<":
        return _CheckedImage(problem=_ImageProblem.FORMAT)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in _IMAGE_FORMATS:
                return _CheckedImage(problem=_ImageProblem.FORMAT)
            # The header gives the size before any pixel is decoded.
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return _CheckedImage(problem=_ImageProblem.TOO_LARGE)
            image.verify()
        # verify() checks the structure only; decoding catches truncated files too.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            printable = _printable(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return _CheckedImage(problem=_ImageProblem.UNREADABLE)
    output = io.BytesIO()
    printable.save(output, format="JPEG", quality=92, subsampling=0)
    return _CheckedImage(jpeg=output.getvalue())


def _printable(image: Image.Image) -> Image.Image:
    """The image as WeasyPrint can embed it without work: upright, on white, at print size.

    WeasyPrint re-encodes a PNG for every document (and its transparency as a second image)
    but copies a JPEG as it is; on a white page a JPEG of high quality without chroma
    subsampling prints the same, in a fraction of the time.
    """
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail(_PRINT_BOX)  # never enlarges
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return upright.convert("L" if upright.mode in ("1", "L", "I", "I;16") else "RGB")


def _image(data: bytes | None, name: str) -> _CheckedImage:
    if not data:
        return _CheckedImage(problem=_ImageProblem.MISSING)
    return _check_image(data, name)


def _problem_text(problem: _ImageProblem) -> str:
    if problem is _ImageProblem.FORMAT:
        return gettext("format refusé : seuls PNG, JPEG, WebP et GIF sont acceptés")
    if problem is _ImageProblem.TOO_HEAVY:
        return gettext("fichier de plus de 4 Mo")
    if problem is _ImageProblem.TOO_LARGE:
        return gettext("image de plus de 25 mégapixels")
    return gettext("fichier illisible")


def _logo_warning(institution: str, problem: _ImageProblem) -> str:
    if problem is _ImageProblem.MISSING:
        return gettext(
            "Logo manquant pour %(institution)s : un emplacement vide a été imprimé."
        ) % {"institution": institution}
    return gettext(
        "Logo inutilisable pour %(institution)s (%(reason)s) : un emplacement vide a été imprimé."
    ) % {"institution": institution, "reason": _problem_text(problem)}


def _signature_warning(signatory: str, problem: _ImageProblem) -> str:
    if problem is _ImageProblem.MISSING:
        return gettext(
            "Signature manquante pour %(signatory)s : un emplacement vide a été imprimé."
        ) % {"signatory": signatory}
    return gettext(
        "Signature inutilisable pour %(signatory)s (%(reason)s) : "
        "un emplacement vide a été imprimé."
    ) % {"signatory": signatory, "reason": _problem_text(problem)}


def _colour_warning(colour: str) -> str:
    return gettext(
        "Couleur d'accent invalide (%(colour)s) : la couleur par défaut a été utilisée."
    ) % {"colour": colour[:20]}


def _ects_warning() -> str:
    return gettext("Crédits ECTS non imprimés : une attestation de suivi n'en confère pas.")


@dataclass(frozen=True)
class _Setup:
    font_config: FontConfiguration
    stylesheet: CSS


@functools.lru_cache(maxsize=1)
def _setup() -> _Setup:
    # Once per process: asking fontconfig for the system fonts and parsing the style sheet
    # cost more than laying out a page. The sheet uses DejaVu only (fonts-dejavu-core) and
    # takes the institution's colour from a custom property set on the page.
    font_config = FontConfiguration()
    css = get_template(STYLESHEET).render({})
    return _Setup(font_config, CSS(string=css, font_config=font_config))


def _qr_png(url: str) -> bytes:
    # Level Q survives a fold or a stain across a quarter of the symbol; the 4-module quiet
    # zone is the standard's and readers need it. A small PNG (4 pixels a module, printed
    # without smoothing) rather than SVG: WeasyPrint draws an SVG path in Python, at a tenth
    # of the whole document's time.
    output = io.BytesIO()
    segno.make(url, error="q", micro=False, boost_error=False).save(
        output, kind="png", scale=4, border=4
    )
    return output.getvalue()


def _number(value: Decimal, locale: str) -> str:
    return format_decimal(value.normalize(), format="#,##0.##", locale=locale)


def _percent(grade: Decimal, locale: str) -> str:
    # One decimal at most, in the language's own pattern: « 87,5 % », "87.5%".
    share = (grade / 100).quantize(Decimal("0.001"))
    return format_percent(share, locale=locale, decimal_quantization=False)


def _size(text: str, *, long: int, very_long: int) -> str:
    # The name and the course title are the largest lines of the page: long ones step down
    # so that they keep to one or two lines and stay clear of the signatures below.
    if len(text) <= long:
        return "size-l"
    if len(text) <= very_long:
        return "size-m"
    return "size-s"


# A warning stays unformatted until the document's language is switched off again: staff
# read it in their own language, not in the document's.
_Warning = Callable[[], str]


@dataclass
class _Page:
    context: dict[str, Any]
    resources: dict[str, tuple[str, bytes]]
    warnings: list[_Warning]

    def add(self, name: str, mime_type: str, body: bytes) -> str:
        url = f"{RESOURCE_SCHEME}{name}"
        self.resources[url] = (mime_type, body)
        return url


def _page(content: CredentialContent, locale: str) -> _Page:
    page = _Page(context={}, resources={}, warnings=[])
    accent = content.style.accent_colour
    # Validated when saved; checked again because it is written into the page's style.
    if not _COLOUR.fullmatch(accent):
        page.warnings.append(functools.partial(_colour_warning, accent))
        accent = DocumentStyle().accent_colour

    institutions = []
    for number, institution in enumerate(content.institutions):
        logo = _image(institution.logo, institution.logo_name)
        if logo.problem is not None:
            page.warnings.append(functools.partial(_logo_warning, institution.name, logo.problem))
        url = page.add(f"logo-{number}", "image/jpeg", logo.jpeg) if logo.jpeg else ""
        institutions.append({"name": institution.name, "logo": url})

    signatories = []
    for number, signatory in enumerate(content.signatories):
        signature = _image(signatory.signature, signatory.signature_name)
        if signature.problem is not None:
            page.warnings.append(
                functools.partial(_signature_warning, signatory.name, signature.problem)
            )
        url = (
            page.add(f"signature-{number}", "image/jpeg", signature.jpeg) if signature.jpeg else ""
        )
        signatories.append(
            {
                "name": signatory.name,
                "title": signatory.title,
                "institution": signatory.institution,
                "signature": url,
            }
        )

    ects = content.ects_credits
    if ects is not None and content.kind is Kind.ATTESTATION:
        # Credits need a verified identity: an attestation never prints them.
        page.warnings.append(_ects_warning)
        ects = None

    def long_date(value: datetime.date | None) -> str:
        if not value:
            return ""
        text = format_date(value, format="long", locale=locale)
        # French writes the first day of a month as an ordinal: « 1er décembre 2026 ».
        if locale.startswith("fr") and value.day == 1 and text.startswith("1 "):
            text = "1er" + text[1:]
        return text

    hours = content.effort_hours
    grade = content.grade_percent
    page.context = {
        "content": content,
        "is_attestation": content.kind is Kind.ATTESTATION,
        "accent": accent,
        "institutions": institutions,
        "institution_names": ", ".join(i.name for i in content.institutions),
        "signatories": signatories,
        "session_start": long_date(content.session_start),
        "session_end": long_date(content.session_end),
        "hours": _number(hours, locale),
        # gettext's plural rules take integers; a fraction of an hour reads as a plural.
        "hours_count": int(hours) if hours == hours.to_integral_value() else 2,
        "grade": _percent(grade, locale) if grade is not None else "",
        "ects": ects,
        "issued_on": long_date(timezone.localtime(content.issued_at).date()),
        "issued_at_iso": content.issued_at.isoformat(timespec="seconds"),
        "qr": page.add("qr", "image/png", _qr_png(content.verification_url)),
        "name_size": _size(content.holder_name, long=32, very_long=56),
        "title_size": _size(content.course_title, long=60, very_long=110),
    }
    return page


def render_pdf(content: CredentialContent) -> RenderedDocument:
    """Lay out the credential in its own language and return the PDF with its digest."""
    setup = _setup()
    with translation.override(content.language):
        page = _page(content, translation.to_locale(content.language))
        html = render_to_string(TEMPLATE, page.context)
    document = HTML(string=html, url_fetcher=InMemoryURLFetcher(page.resources))
    pdf = document.write_pdf(
        font_config=setup.font_config, stylesheets=[setup.stylesheet], pdf_variant=PDF_VARIANT
    )
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return RenderedDocument(
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        warnings=tuple(warning() for warning in page.warnings),
    )
