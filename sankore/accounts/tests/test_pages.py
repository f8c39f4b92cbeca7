"""Every account page a learner can reach renders in the site's layout, CSP-clean and labelled."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client, RequestFactory

from sankore.accounts.models import User
from sankore.accounts.throttling import lockout_response

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    ("/comptes/login/", "Se connecter"),
    ("/comptes/signup/", "Créer un compte"),
    ("/comptes/confirm-email/", "Vérifiez votre adresse électronique"),
    ("/comptes/confirm-email/cle-inconnue/", "Confirmer votre adresse électronique"),
    ("/comptes/password/reset/", "Mot de passe oublié"),
    ("/comptes/password/reset/done/", "Message envoyé"),
    ("/comptes/password/reset/key/done/", "Mot de passe changé"),
    ("/comptes/inactive/", "Compte désactivé"),
]
LOGGED_IN_PAGES = [
    ("/comptes/profil/", "Mon profil"),
    ("/comptes/logout/", "Se déconnecter"),
    ("/comptes/password/change/", "Changer de mot de passe"),
    ("/comptes/email/", "Adresse électronique"),
    ("/comptes/reauthenticate/", "Confirmer votre identité"),
    ("/comptes/reauthenticate/code/", "Confirmer votre identité"),
]


def _assert_site_page(html: str, heading: str) -> None:
    assert f"<h1>{heading}</h1>" in html
    assert '<header class="site-header">' in html  # extends base.html
    # The Content-Security-Policy forbids inline scripts and styles.
    assert "<script" not in html
    assert "style=" not in html
    # Every visible input, select and textarea has a label.
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag or 'type="submit"' in tag:
            continue
        field_id = re.search(r'id="([^"]+)"', tag)
        assert field_id, tag
        assert f'for="{field_id.group(1)}"' in html, tag


@pytest.mark.parametrize(("path", "heading"), ANONYMOUS_PAGES)
def test_anonymous_account_pages_render(client: Client, path: str, heading: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    _assert_site_page(response.content.decode(), heading)


@pytest.mark.parametrize(("path", "heading"), LOGGED_IN_PAGES)
def test_logged_in_account_pages_render(
    client: Client, learner: User, path: str, heading: str
) -> None:
    client.force_login(learner)

    response = client.get(path)

    assert response.status_code == 200
    _assert_site_page(response.content.decode(), heading)


def test_password_set_sends_users_with_a_password_to_password_change(
    client: Client, learner: User
) -> None:
    client.force_login(learner)

    response = client.get("/comptes/password/set/")

    assert response.status_code == 302
    assert response["Location"] == "/comptes/password/change/"


def test_password_set_page_renders_for_an_account_without_password(
    client: Client, learner: User
) -> None:
    learner.set_unusable_password()
    learner.save(update_fields=["password"])
    client.force_login(learner)

    response = client.get("/comptes/password/set/")

    assert response.status_code == 200
    _assert_site_page(response.content.decode(), "Choisir un mot de passe")


def test_reauthentication_code_page_renders_once_a_code_is_sent(
    client: Client, learner: User
) -> None:
    client.force_login(learner)
    sent = client.post("/comptes/reauthenticate/code/", {"recipient": learner.email})
    assert sent.status_code == 302

    response = client.get(sent["Location"])

    assert response.status_code == 200
    _assert_site_page(response.content.decode(), "Saisir le code reçu")
    assert len(mail.outbox) == 1


def test_lockout_page_renders() -> None:
    request = RequestFactory().post("/comptes/login/")
    request.user = AnonymousUser()

    response = lockout_response(request)

    assert response.status_code == 429
    _assert_site_page(response.content.decode(), "Connexion momentanément bloquée")


def test_account_pages_speak_english_when_asked(client: Client) -> None:
    client.cookies["sankore_language"] = "en"

    response = client.get("/comptes/login/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
