"""The calls' pages: the public call with its deadline in three zones, an application seen
only by its lead's and partners' staff (and programme staff), the dossier's autosave (JSON
back, a stale tab refused with 409), the submission and the partner's confirmation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.calls import services
from sankore.calls.models import ApplicationStatus, PartnerStatus
from sankore.calls.tests.test_applications import PDF, _north, _programme, _south, _staff

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _open_call(**fields: Any) -> Any:
    now = timezone.now()
    call = services.call_create(
        by=_programme(), title="Appel CLOM 2027", description="Concevoir des CLOM.",
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=20),
        review_ends_at=now + datetime.timedelta(days=60),
        results_on=(now + datetime.timedelta(days=90)).date(), total_budget=300000,
        time_zone="Africa/Dakar", **fields,
    )  # fmt: skip
    return services.call_publish(call=call, by=_programme())


def test_the_public_call_page_states_its_deadline_and_grid(client: Client) -> None:
    call = _open_call()
    body = client.get(call.get_absolute_url()).content.decode()
    assert "heure de Africa/Dakar" in body
    assert "en temps universel (UTC)" in body
    assert "Qualité pédagogique" in body
    assert client.get(reverse("calls:list")).content.decode().count(call.title) == 1


def test_an_application_is_seen_by_its_people_only() -> None:
    call = _open_call()
    lead = _south()
    author = _staff(lead)
    application = services.application_create(call=call, lead=lead, by=author, title="Projet")
    bordeaux = _north()
    services.application_partner_add(
        application=application, by=author, institution=bordeaux, role="Studio"
    )
    url = application.get_absolute_url()
    assert _client(author).get(url).status_code == 200
    assert _client(_staff(bordeaux)).get(url).status_code == 200
    assert _client(_programme()).get(url).status_code == 200
    assert _client(_staff(_south(name="Université de Lomé"))).get(url).status_code == 404
    assert _client(UserFactory()).get(url).status_code == 404


def test_the_dossier_autosaves_and_a_stale_tab_is_refused() -> None:
    call = _open_call()
    lead = _south()
    author = _staff(lead)
    application = services.application_create(call=call, lead=lead, by=author, title="Projet")
    client = _client(author)
    url = reverse("calls:application_save", args=[application.pk])
    saved = client.post(
        url, {"revision": "0", "section-resume": "Un CLOM d'agroécologie."}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200
    assert saved.json()["revision"] == 1
    stale = client.post(
        url, {"revision": "0", "section-resume": "Ancien texte."}, HTTP_HX_REQUEST="true"
    )
    assert stale.status_code == 409
    assert "rechargez la page" in stale.json()["detail"]
    application.refresh_from_db()
    assert application.answers["resume"] == "Un CLOM d'agroécologie."


def test_the_lead_submits_through_the_page_and_the_partner_confirms() -> None:
    call = _open_call(partner_required=True)
    lead = _south()
    author = _staff(lead)
    application = services.application_create(call=call, lead=lead, by=author, title="Projet")
    texts = {f"section-{s.key}": "Texte." for s in call.sections.filter(kind="texte")}
    client = _client(author)
    client.post(
        reverse("calls:application_save", args=[application.pk]),
        {"revision": "0", "requested_amount": "45000", **texts},
    )
    for key in ("budget", "lettres-engagement"):
        client.post(
            reverse("calls:application_act", args=[application.pk, f"piece-{key}"]),
            {"file": SimpleUploadedFile(f"{key}.pdf", PDF)},
        )
    bordeaux = _north()
    client.post(
        reverse("calls:application_act", args=[application.pk, "partenaire"]),
        {"institution": bordeaux.pk, "role": "Studio vidéo"},
    )
    # Not eligible before the partner confirms: nothing submitted.
    client.post(reverse("calls:application_act", args=[application.pk, "deposer"]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    _client(_staff(bordeaux)).post(
        reverse("calls:application_act", args=[application.pk, "confirmer"])
    )
    assert application.partners.get().status == PartnerStatus.CONFIRMED
    response = client.post(
        reverse("calls:application_act", args=[application.pk, "deposer"]), follow=True
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.receipt_number in response.content.decode()
