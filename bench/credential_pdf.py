"""Credential PDFs: render N documents, print documents per second and ms p50 / p95 / max.

    .venv/bin/python bench/credential_pdf.py                         # 200 documents, 1 process
    .venv/bin/python bench/credential_pdf.py --count 10000 --workers 2
    .venv/bin/python bench/credential_pdf.py --count 20 --out /tmp/credentials   # keep the PDFs

Each document has its own holder, identifier and verification URL (so its own QR code), half
in French and half in English, attestations and certificates alternating, with two logos and
two signatures made once (as an institution's are). No database: ``render_pdf`` takes plain
values. Each worker process renders its first document untimed, since the first one builds
the font configuration and parses the style sheet; the wall-clock rate includes everything.
"""

from __future__ import annotations

import argparse
import datetime
import io
import logging
import math
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sankore.config.settings")

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
GIVEN = ["Aminata", "Kouadio", "Marie-Ève", "Mamadou", "Léa", "Nguyễn", "Fatoumata", "Jean-Noël"]
FAMILY = ["Diallo", "N'Guessan", "Tremblay", "Ouédraogo", "Rakotomalala", "Ben Saïd", "Kaboré"]


def _image(size: tuple[int, int], colour: str, *, transparent: bool, image_format: str) -> bytes:
    from PIL import Image, ImageDraw

    mode, background = ("RGBA", (0, 0, 0, 0)) if transparent else ("RGB", "white")
    image = Image.new(mode, size, background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, size[1] - 20, size[1] - 20), fill=colour)
    for step in range(0, size[0] - size[1], 40):
        draw.line((size[1] + step, size[1] // 2, size[1] + step + 30, 30), fill=colour, width=8)
    output = io.BytesIO()
    image.save(output, format=image_format)
    return output.getvalue()


def _setup() -> None:
    import django

    django.setup()
    # One progress line per rendering step would be most of what the benchmark measures.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)


def _contents(count: int, first: int) -> list:  # list[CredentialContent], typed loosely
    from sankore.credentials.content import (
        CredentialContent,
        DocumentStyle,
        InstitutionMark,
        Kind,
        SignatoryMark,
    )

    institutions = (
        InstitutionMark(
            name="Université Cheikh Anta Diop",
            logo=_image((1200, 400), "#7a1f1f", transparent=True, image_format="PNG"),
            logo_name="ucad.png",
        ),
        InstitutionMark(
            name="Université de Bordeaux",
            logo=_image((900, 300), "#1f3a7a", transparent=False, image_format="JPEG"),
            logo_name="ub.jpg",
        ),
    )
    signatories = (
        SignatoryMark(
            name="Pr Moussa Sow",
            title="Recteur",
            institution=institutions[0].name,
            signature=_image((600, 200), "#0a1450", transparent=True, image_format="PNG"),
            signature_name="sow.png",
        ),
        SignatoryMark(
            name="Dr Claire Martin",
            title="Responsable pédagogique",
            institution=institutions[1].name,
            signature=_image((600, 200), "#0a1450", transparent=True, image_format="PNG"),
            signature_name="martin.png",
        ),
    )
    contents = []
    for number in range(first, first + count):
        identifier = "".join(ALPHABET[(number * 7 + i * 13) % len(ALPHABET)] for i in range(16))
        kind = Kind.CERTIFICATE if number % 2 else Kind.ATTESTATION
        contents.append(
            CredentialContent(
                identifier=identifier,
                kind=kind,
                holder_name=f"{GIVEN[number % len(GIVEN)]} {FAMILY[number % len(FAMILY)]}",
                course_title="Introduction à l'épidémiologie de terrain",
                course_code="UCAD-EPI-101",
                session_start=datetime.date(2026, 9, 1),
                session_end=datetime.date(2026, 12, 1),
                effort_hours=Decimal("42.5"),
                grade_percent=Decimal(60 + number % 40),
                ects_credits=3 if kind is Kind.CERTIFICATE else None,
                issued_at=datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC),
                language="fr" if number % 4 < 2 else "en",
                verification_url=f"https://sankore.example.org/credentials/{identifier}/",
                institutions=institutions,
                signatories=signatories,
                style=DocumentStyle(footer="Programme Sankoré — campus numériques"),
            )
        )
    return contents


def _work(count: int, first: int, out: str) -> list[float]:
    """Render ``count`` documents in this process; return each one's milliseconds."""
    _setup()
    from sankore.credentials.documents import render_pdf

    contents = _contents(count, first)
    render_pdf(contents[0])  # warm-up: font configuration and style sheet
    timings = []
    for content in contents:
        start = time.perf_counter()
        document = render_pdf(content)
        timings.append((time.perf_counter() - start) * 1000)
        if out:
            Path(out, f"{content.identifier}.pdf").write_bytes(document.pdf)
    return timings


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="documents in all")
    parser.add_argument("--workers", type=int, default=1, help="processes")
    parser.add_argument("--out", default="", help="folder to write the PDFs to")
    arguments = parser.parse_args()
    if arguments.out:
        Path(arguments.out).mkdir(parents=True, exist_ok=True)

    workers = max(1, arguments.workers)
    shares = [arguments.count // workers + (i < arguments.count % workers) for i in range(workers)]
    firsts = [sum(shares[:i]) for i in range(workers)]
    started = time.perf_counter()
    if workers == 1:
        timings = _work(shares[0], 0, arguments.out)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = pool.map(_work, shares, firsts, [arguments.out] * workers)
            timings = [ms for part in parts for ms in part]
    elapsed = time.perf_counter() - started

    print(
        f"{len(timings)} documents, {workers} process(es): {len(timings) / elapsed:.1f} documents/s"
        f" (wall clock, start-up included)"
    )
    print(
        f"ms per document: p50 {statistics.median(timings):.1f}"
        f"  p95 {_percentile(timings, 0.95):.1f}  max {max(timings):.1f}"
    )


if __name__ == "__main__":
    main()
