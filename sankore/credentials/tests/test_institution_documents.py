"""An institution's staff set its document template and signatories; others cannot."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import Role
from sankore.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from sankore.courseware.tests.factories import small_png
from sankore.credentials.models import DocumentTemplate, Signatory
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client):  # type: ignore[no-untyped-def]
    institution = InstitutionFactory(name="Université de Kinshasa", slug="unikin")
    staff = UserFactory()
    RoleAssignmentFactory(user=staff, role=Role.INSTITUTION_STAFF, institution=institution)
    client.force_login(staff)
    return client, institution


def test_staff_save_the_template_and_its_version_goes_up(staff_client) -> None:  # type: ignore[no-untyped-def]
    client, institution = staff_client
    url = reverse("studio:institution_documents", args=[institution.slug])
    values = {"accent_colour": "#7a1f1f", "heading_fr": "Attestation de réussite",
              "heading_en": "", "footer_fr": "Kinshasa", "footer_en": "Kinshasa"}  # fmt: skip

    first = client.post(url, values)
    same = client.post(url, values)
    changed = client.post(url, {**values, "footer_fr": "Kinshasa — Lemba"})
    bad = client.post(url, {**values, "accent_colour": "rouge"})

    assert (first.status_code, same.status_code, changed.status_code) == (302, 302, 302)
    template = DocumentTemplate.objects.get(institution=institution)
    assert (template.version, template.footer_fr, template.accent_colour) == (
        2,
        "Kinshasa — Lemba",
        "#7a1f1f",
    )
    assert bad.status_code == 200
    assert "#rrvvbb" in bad.content.decode()
    assert DocumentTemplate.objects.get(institution=institution).version == 2


def test_staff_add_a_signatory_with_a_checked_image(staff_client) -> None:  # type: ignore[no-untyped-def]
    client, institution = staff_client
    url = reverse("studio:signatory_add", args=[institution.slug])

    fake = client.post(url, {"name": "Awa Ndiaye", "title_fr": "Rectrice", "position": 0,
                             "is_active": "on",
                             "signature": SimpleUploadedFile("s.png", b"<svg></svg>")})  # fmt: skip
    assert not Signatory.objects.exists()
    png = SimpleUploadedFile("s.png", small_png(200, 80))
    good = client.post(url, {"name": "Awa Ndiaye", "title_fr": "Rectrice", "position": 0,
                             "is_active": "on", "signature": png})  # fmt: skip

    assert fake.status_code == good.status_code == 302
    signatory = Signatory.objects.get()
    assert signatory.signature.name.endswith(".png")
    assert DocumentTemplate.objects.get(institution=institution).version == 2  # bumped


def test_staff_of_another_institution_are_refused(client: Client) -> None:
    institution = InstitutionFactory()
    elsewhere = UserFactory()
    RoleAssignmentFactory(
        user=elsewhere, role=Role.INSTITUTION_STAFF, institution=InstitutionFactory()
    )
    signatory = Signatory.objects.create(institution=institution, name="X", title_fr="Doyen")
    client.force_login(elsewhere)

    page = client.get(reverse("studio:institution_documents", args=[institution.slug]))
    post = client.post(
        reverse("studio:signatory", args=[institution.slug, signatory.pk]), {"action": "delete"}
    )

    assert (page.status_code, post.status_code) == (403, 403)
    assert Signatory.objects.filter(pk=signatory.pk).exists()
    assert not DocumentTemplate.objects.exists()
