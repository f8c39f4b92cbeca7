"""Laying out the exams' printed pages (the convocation, the attendance list) with WeasyPrint,
as the credentials do: their own images served from memory, every URL refused, DejaVu fonts.

These pages are made on the fly and never kept (a convocation changes with its seat, a list
with its candidates), so they are plain PDF rather than the credentials' archival PDF/A.
"""

from __future__ import annotations

import functools
import io
import threading

import segno
from django.template.loader import get_template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from sankore.credentials.documents import RESOURCE_SCHEME, InMemoryURLFetcher

QR_NAME = f"{RESOURCE_SCHEME}qr"

# One layout at a time per process: the font configuration is shared between renderings and
# WeasyPrint does not promise it may be used by two threads at once (a threaded web server,
# or the tests' concurrent registrations each e-mailing a convocation). A page takes a
# fraction of a second, so waiting costs little.
_LAYOUT_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _stylesheet(name: str) -> tuple[FontConfiguration, CSS]:
    # Once per process and sheet: asking fontconfig for the fonts and parsing the sheet cost
    # more than laying out a page. The sheets hold no template variable.
    font_config = FontConfiguration()
    return font_config, CSS(string=get_template(name).render({}), font_config=font_config)


def qr_png(text: str) -> bytes:
    # Level Q survives a fold or a stain across a quarter of the symbol; a PNG printed without
    # smoothing, as on the credentials (an SVG costs WeasyPrint far more to draw).
    output = io.BytesIO()
    segno.make(text, error="q", micro=False, boost_error=False).save(
        output, kind="png", scale=4, border=4
    )
    return output.getvalue()


def pdf_write(
    *, html: str, stylesheet: str, qr: bytes | None = None, images: dict[str, bytes] | None = None
) -> bytes:
    """The page as PDF; ``qr`` is the PNG the page shows at ``QR_NAME``, ``images`` more
    PNGs under their own names (``RESOURCE_SCHEME`` + name)."""
    font_config, css = _stylesheet(stylesheet)
    resources = {QR_NAME: ("image/png", qr)} if qr is not None else {}
    for name, png in (images or {}).items():
        resources[f"{RESOURCE_SCHEME}{name}"] = ("image/png", png)
    with _LAYOUT_LOCK:
        document = HTML(string=html, url_fetcher=InMemoryURLFetcher(resources))
        pdf = document.write_pdf(font_config=font_config, stylesheets=[css])
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf
