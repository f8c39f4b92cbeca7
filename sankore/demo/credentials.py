"""The demo's credentials: a document template and signatories for the institutions owning
the demo learner's finished sessions, and the attestations that learner earned there."""

from __future__ import annotations

import io
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sankore.accounts.models import User
from sankore.assessments import services as assessments
from sankore.assessments.models import GradingPolicy
from sankore.catalog.models import RunState
from sankore.credentials import services as credentials
from sankore.credentials.models import Credential, DocumentTemplate, Signatory
from sankore.demo.data.people import LEARNER_EMAIL
from sankore.institutions.models import Institution
from sankore.learning.models import Enrolment

PASSED_SESSIONS = 2
SIGNATORY_TITLES = [
    ("Présidente de l'université", "President of the University"),
    ("Responsable pédagogique du cours", "Course Academic Lead"),
]


def _signature_png(name: str) -> bytes:
    """A hand-like stroke for the demo (real institutions upload a scanned signature)."""
    from PIL import Image, ImageDraw

    rng = random.Random(name)  # noqa: S311  a drawing, not a secret
    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(20 + i * 16, 60 + rng.randint(-30, 30)) for i in range(20)]
    draw.line(points, fill=(20, 30, 80, 255), width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _logo_png(institution: Institution) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 240), (31, 78, 121))
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 224, 224), outline=(255, 255, 255), width=6)
    draw.text((60, 100), (institution.acronym or institution.name)[:6], fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _dress(institution: Institution, *, with_logo: bool) -> None:
    if DocumentTemplate.objects.filter(institution=institution).exists():
        return
    DocumentTemplate.objects.create(
        institution=institution,
        footer_fr=f"{institution.name} — {institution.city}".strip(" —"),
        footer_en=f"{institution.name} — {institution.city}".strip(" —"),
    )
    if with_logo and not institution.logo:
        institution.logo.save(f"{institution.slug}.png", ContentFile(_logo_png(institution)))
    people = ["Aminata Sow", "Pierre Kabongo"]
    for position, ((title_fr, title_en), name) in enumerate(
        zip(SIGNATORY_TITLES, people, strict=False)
    ):
        signatory = Signatory(
            institution=institution, name=name, title_fr=title_fr, title_en=title_en,
            position=position,
        )  # fmt: skip
        signatory.signature.save(
            f"{institution.slug}-{position}.png", ContentFile(_signature_png(name))
        )


def seed_credentials() -> int:
    """Idempotent: returns how many credentials were issued now."""
    learner = User.objects.filter(email=LEARNER_EMAIL).first()
    if learner is None or Credential.objects.filter(holder=learner).exists():
        return 0
    now = timezone.now()
    finished = [
        enrolment.course_run
        for enrolment in Enrolment.objects.filter(user=learner)
        .select_related("course_run__course")
        .order_by("-course_run__start")
        if enrolment.course_run.state_at(now) == RunState.ARCHIVED
        and enrolment.course_run.course.offers_attestation
    ][:PASSED_SESSIONS]
    issued = 0
    for index, run in enumerate(finished):
        with transaction.atomic():
            for institution in run.course.owners.all():
                # The second institution shows what staff see when a logo is missing.
                _dress(institution, with_logo=index == 0)
            if not GradingPolicy.objects.filter(course_run=run).exists():
                assessments.grading_policy_set(
                    course_run=run, passing_percent=Decimal(50),
                    types=[assessments.TypeLine("Quiz", Decimal(100))],
                )  # fmt: skip
            assessments.grade_override(
                user=learner, course_run=run, percent=Decimal("78.5"),
                reason="Données de démonstration : session réussie.", changed_by=learner,
            )  # fmt: skip
            credential, created = credentials.credential_issue(
                holder=learner, course_run=run, kind="attestation", basis="note",
                make_document=False,
            )  # fmt: skip
        if created:
            issued += 1
            credentials.credential_document_make(credential_id=credential.pk)
    return issued
