"""The credential's PDF, read back as a person and a phone would: its text (pypdf), its QR
code (the page rendered by pypdfium2, decoded by zxing-cpp), its safety (no URL fetched)."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import re
from decimal import Decimal

import pypdf
import pypdfium2
import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from sankore.credentials.content import (
    CredentialContent,
    DocumentStyle,
    InstitutionMark,
    Kind,
    SignatoryMark,
)
from sankore.credentials.documents import (
    RESOURCE_SCHEME,
    InMemoryURLFetcher,
    render_pdf,
)


def png(*, size: tuple[int, int] = (300, 100), mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, "white" if mode == "RGB" else (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((10, 10, size[0] // 3, size[1] - 10), fill="#7a1f1f")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def credential(**changes: object) -> CredentialContent:
    content = CredentialContent(
        identifier="K7QX2M4PZ9RT3VWA",
        kind=Kind.ATTESTATION,
        holder_name="Aminata Diallo-Ngom",
        course_title="Introduction à l'épidémiologie de terrain",
        course_code="UCAD-EPI-101",
        session_start=datetime.date(2026, 9, 1),
        session_end=datetime.date(2026, 12, 1),
        effort_hours=Decimal("42.5"),
        grade_percent=Decimal("87.5"),
        ects_credits=None,
        issued_at=datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC),
        language="fr",
        verification_url="https://sankore.example.org/credentials/K7QX2M4PZ9RT3VWA/",
        institutions=(
            InstitutionMark(
                name="Université Cheikh Anta Diop", acronym="UCAD", logo=png(), logo_name="u.png"
            ),
        ),
        signatories=(
            SignatoryMark(
                name="Pr Moussa Sow",
                title="Recteur",
                institution="Université Cheikh Anta Diop",
                signature=png(mode="RGBA"),
                signature_name="sow.png",
            ),
        ),
        style=DocumentStyle(footer="Programme Sankoré"),
    )
    return dataclasses.replace(content, **changes)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    # Lines wrap where the layout decides: compare without any white space.
    return re.sub(r"\s+", "", text)


def image_count(pdf: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return sum(len(page.images) for page in reader.pages)


# --- What the document says ---


def test_a_french_attestation_names_the_holder_the_course_and_says_identity_was_not_verified():
    document = render_pdf(credential())

    text = text_of(document.pdf)
    assert "Aminata Diallo-Ngom" in text
    assert "Introduction à l'épidémiologie de terrain" in text
    assert "K7QX2M4PZ9RT3VWA" in text
    assert "ATTESTATION DE SUIVI" in text
    assert "L'identité du titulaire n'a pas été vérifiée." in text
    assert "du 1er septembre 2026 au 1er décembre 2026" in text
    assert "42,5 heures" in text
    assert "87,5\xa0%" in text
    assert "Délivrée le 1er décembre 2026" in text
    assert "Université Cheikh Anta Diop" in text
    assert "Pr Moussa Sow" in text
    assert "Recteur" in text
    assert "Programme Sankoré" in text
    assert flat(credential().verification_url) in flat(text)
    assert document.warnings == ()


def test_a_french_certificate_says_identity_was_verified_and_prints_its_ects_credits():
    document = render_pdf(credential(kind=Kind.CERTIFICATE, ects_credits=3))

    text = text_of(document.pdf)
    assert "CERTIFICAT" in text
    assert "L'identité du titulaire a été vérifiée" in text
    assert "n'a pas été vérifiée" not in text
    assert "3 crédits" in text
    assert "Délivré le 1er décembre 2026" in text


def test_an_english_certificate_formats_dates_and_numbers_in_english():
    document = render_pdf(
        credential(kind=Kind.CERTIFICATE, language="en", effort_hours=Decimal("1250.5"))
    )

    text = text_of(document.pdf)
    assert "Aminata Diallo-Ngom" in text
    assert "K7QX2M4PZ9RT3VWA" in text
    assert "September 1, 2026" in text
    assert "December 1, 2026" in text
    assert "1,250.5" in text
    assert "87.5%" in text
    assert "CERTIFICATE" in text
    assert "awarded to" in text
    assert "The holder's identity was verified" in text
    assert "Issued on December 1, 2026" in text
    assert "attestation" not in text.lower()


def test_an_attestation_never_prints_ects_credits_and_staff_are_told():
    document = render_pdf(credential(kind=Kind.ATTESTATION, ects_credits=5))

    assert "ECTS" not in text_of(document.pdf)
    assert document.warnings == (
        "Crédits ECTS non imprimés : une attestation de suivi n'en confère pas.",
    )


def test_the_grade_is_left_out_when_the_course_does_not_show_it():
    document = render_pdf(credential(grade_percent=None))

    text = text_of(document.pdf)
    assert "NOTE OBTENUE" not in text
    assert "%" not in text


def test_a_custom_heading_replaces_the_kinds_heading():
    document = render_pdf(credential(style=DocumentStyle(heading="Attestation de réussite")))

    text = text_of(document.pdf)
    assert "ATTESTATION DE RÉUSSITE" in text
    assert "ATTESTATION DE SUIVI" not in text
    # The kind's meaning stays, whatever the heading says.
    assert "L'identité du titulaire n'a pas été vérifiée." in text


def test_the_pdf_carries_its_metadata_and_is_archival():
    document = render_pdf(credential(kind=Kind.CERTIFICATE))

    reader = pypdf.PdfReader(io.BytesIO(document.pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "Certificat — Introduction à l'épidémiologie de terrain"
    assert reader.metadata.author == "Université Cheikh Anta Diop"
    assert reader.metadata.creation_date == datetime.datetime(
        2026, 12, 1, 10, 0, tzinfo=datetime.UTC
    )
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert b"pdfaid:part" in document.pdf or b"pdfaid:part" in _xmp(reader)
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def _xmp(reader: pypdf.PdfReader) -> bytes:
    metadata = reader.trailer["/Root"]["/Metadata"].get_object()
    return bytes(metadata.get_data())


def test_the_digest_is_the_sha256_of_the_bytes_and_the_same_content_gives_the_same_file():
    first = render_pdf(credential())
    second = render_pdf(credential())

    assert first.sha256 == hashlib.sha256(first.pdf).hexdigest()
    assert second.pdf == first.pdf


# --- The QR code ---


@pytest.mark.parametrize(
    "url",
    [
        "https://sankore.example.org/credentials/K7QX2M4PZ9RT3VWA/",
        "https://certificats.universite-exemple.fr/verifier/ABCDEFGH23456789/?lang=fr&src=qr",
    ],
)
def test_the_qr_code_decodes_to_the_verification_url_exactly(url: str):
    document = render_pdf(credential(verification_url=url))

    pdf = pypdfium2.PdfDocument(document.pdf)
    try:
        page = pdf[0].render(scale=2).to_pil()
    finally:
        pdf.close()
    decoded = zxingcpp.read_barcodes(page)

    assert [(code.format, code.text) for code in decoded] == [(zxingcpp.BarcodeFormat.QRCode, url)]


# --- Missing and refused images ---


def test_a_missing_logo_gives_a_placeholder_and_a_warning_naming_the_institution():
    institution = InstitutionMark(name="Université de Bordeaux", logo=None)

    document = render_pdf(credential(institutions=(institution,)))

    assert "UNIVERSITÉ DE BORDEAUX" in text_of(document.pdf)  # printed in capitals
    assert document.warnings == (
        "Logo manquant pour Université de Bordeaux : un emplacement vide a été imprimé.",
    )
    assert image_count(document.pdf) == 2  # the signature and the QR code


def test_an_svg_logo_is_refused_with_a_placeholder_and_a_warning():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/x.png"/></svg>'
    institution = InstitutionMark(name="Université de Bordeaux", logo=svg, logo_name="logo.svg")

    document = render_pdf(credential(institutions=(institution,)))

    assert document.warnings == (
        "Logo inutilisable pour Université de Bordeaux (format refusé : seuls PNG, JPEG, WebP "
        "et GIF sont acceptés) : un emplacement vide a été imprimé.",
    )
    assert image_count(document.pdf) == 2


@pytest.mark.parametrize(
    "signature",
    [
        b"not an image at all",
        png()[:200],  # truncated
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # a PNG header and nothing sound after it
    ],
)
def test_a_corrupt_signature_gives_a_placeholder_and_a_warning_naming_the_signatory(
    signature: bytes,
):
    signatory = SignatoryMark(name="Dr Claire Martin", title="Doyenne", signature=signature)

    document = render_pdf(credential(signatories=(signatory,)))

    assert "Dr Claire Martin" in text_of(document.pdf)
    assert document.warnings == (
        "Signature inutilisable pour Dr Claire Martin (fichier illisible) : "
        "un emplacement vide a été imprimé.",
    )
    assert image_count(document.pdf) == 2  # the logo and the QR code


def test_an_image_in_a_format_outside_the_list_is_refused():
    output = io.BytesIO()
    Image.new("RGB", (50, 20), "black").save(output, format="BMP")
    signatory = SignatoryMark(name="Dr Claire Martin", title="Doyenne", signature=output.getvalue())

    document = render_pdf(credential(signatories=(signatory,)))

    assert "format refusé" in document.warnings[0]


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded():
    huge = png(size=(6000, 5000), mode="RGB")  # 30 megapixels, a few kilobytes compressed
    institution = InstitutionMark(name="Université de Bordeaux", logo=huge)

    document = render_pdf(credential(institutions=(institution,)))

    assert document.warnings == (
        "Logo inutilisable pour Université de Bordeaux (image de plus de 25 mégapixels) : "
        "un emplacement vide a été imprimé.",
    )


def test_warnings_are_in_the_language_of_the_caller_not_of_the_document():
    document = render_pdf(credential(language="en", institutions=(InstitutionMark(name="UB"),)))

    assert document.warnings == ("Logo manquant pour UB : un emplacement vide a été imprimé.",)


def test_an_invalid_accent_colour_falls_back_to_the_default_with_a_warning():
    style = DocumentStyle(accent_colour="red; } body { background: url(http://127.0.0.1:9/)")

    document = render_pdf(credential(style=style))

    assert len(document.warnings) == 1
    assert document.warnings[0].startswith("Couleur d'accent invalide")


# --- Nothing is ever fetched ---


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/logo.png",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "data:image/png;base64,iVBORw0KGgo=",
        f"{RESOURCE_SCHEME}not-given",
        "HTTP://127.0.0.1:9/",
    ],
)
def test_the_fetcher_refuses_every_url_but_the_documents_own_resources(url: str):
    fetcher = InMemoryURLFetcher({f"{RESOURCE_SCHEME}logo-0": ("image/png", b"x")})

    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)


def test_the_fetcher_serves_the_documents_own_resources():
    fetcher = InMemoryURLFetcher({f"{RESOURCE_SCHEME}logo-0": ("image/png", b"bytes")})

    response = fetcher.fetch(f"{RESOURCE_SCHEME}logo-0")

    assert response.read() == b"bytes"
    assert response.content_type == "image/png"


def test_markup_in_authored_strings_is_printed_as_text_and_fetches_nothing(monkeypatch):
    fetched: list[str] = []
    original = InMemoryURLFetcher.fetch

    def spy(self, url, headers=None):  # type: ignore[no-untyped-def]
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(InMemoryURLFetcher, "fetch", spy)
    name = '<img src="http://127.0.0.1:9/track.png"> Awa'
    footer = '<link rel="stylesheet" href="file:///etc/passwd">'

    document = render_pdf(credential(holder_name=name, style=DocumentStyle(footer=footer)))

    text = text_of(document.pdf)
    assert name in text
    assert footer in text
    assert sorted(fetched) == [
        f"{RESOURCE_SCHEME}{name}" for name in ("logo-0", "qr", "signature-0")
    ]


# --- Any name a holder may ask for ---

# Letters DejaVu covers (Latin, Greek, Cyrillic), marks, apostrophes, hyphens and spaces: the
# printed name must come back from the PDF whatever its length.
name_characters = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Lt", "Zs", "Pd", "Po"),
    max_codepoint=0x04FF,
    exclude_characters="\u00ad",  # the soft hyphen is invisible by definition
) | st.sampled_from("'’-  éèêëàâäîïôöùûüçœæÉÈÀÇŒ")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(name_characters, min_size=1, max_size=160).filter(lambda s: s.strip()))
def test_any_printable_name_is_rendered_and_read_back(holder_name: str):
    document = render_pdf(credential(holder_name=holder_name))

    assert flat(holder_name) in flat(text_of(document.pdf))
