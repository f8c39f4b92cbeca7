"""Forgotten password, end to end: email, link, new password, login with it (and not the old)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import User
from sankore.accounts.tests.conftest import link_in
from sankore.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-tout-nouveau-mot-de-passe"


def _login(client: Client, email: str, password: str) -> int:
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response.status_code


def test_password_reset_end_to_end(client: Client, learner: User) -> None:
    response = client.post(reverse("account_reset_password"), {"email": learner.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [learner.email]
    key_path = link_in(mail.outbox[0])
    assert key_path.startswith("/comptes/password/reset/key/")

    # allauth moves the key out of the address (into the session) before showing the form.
    landing = client.get(key_path)
    assert landing.status_code == 302
    form_page = client.get(landing["Location"])
    assert form_page.status_code == 200
    assert "<h1>Choisir un nouveau mot de passe</h1>" in form_page.content.decode()

    done = client.post(landing["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    assert _login(Client(), learner.email, PASSWORD) == 200  # the old one is refused
    assert _login(Client(), learner.email, NEW_PASSWORD) == 302


def test_a_used_or_forged_reset_link_is_refused(client: Client, learner: User) -> None:
    response = client.get("/comptes/password/reset/key/1-forged-key/", follow=True)

    assert response.status_code == 200
    assert "<h1>Lien non valide</h1>" in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


def test_reset_request_for_an_unknown_address_looks_the_same(client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "inconnu@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_reset_email_is_written_in_the_learners_language(client: Client) -> None:
    english = UserFactory(email="jane@example.org", preferred_language="en")

    client.post(reverse("account_reset_password"), {"email": english.email})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Sankoré] Password Reset Email"
    assert "Thank you for using Sankoré!" in str(mail.outbox[0].body)
