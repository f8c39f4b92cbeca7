"""Login with the email address, logout by POST, and the interface in the learner's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import User
from sankore.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_has_labelled_fields_and_a_forgotten_password_link(client: Client) -> None:
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Se connecter</h1>" in html
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert f'<a href="{reverse("account_reset_password")}">Mot de passe oublié ?</a>' in html
    assert 'aria-describedby="id_password_helptext"' in html


def test_login_with_email_and_password_opens_the_dashboard(client: Client, learner: User) -> None:
    response = client.post(
        reverse("account_login"), {"login": "Awa.Diop@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("learning:dashboard")
    assert int(client.session["_auth_user_id"]) == learner.pk


def test_login_switches_the_interface_to_the_preferred_language(client: Client) -> None:
    UserFactory(email="jane@example.org", preferred_language="en")

    response = client.post(
        reverse("account_login"), {"login": "jane@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(reverse("accounts:profile")).content.decode().count('<html lang="en">') == 1


def test_wrong_password_is_refused_without_logging_in(client: Client, learner: User) -> None:
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": "pas-le-bon"}
    )

    assert response.status_code == 200
    assert "<title>Erreur : Se connecter" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_logout_by_get_only_asks_for_confirmation(client: Client, learner: User) -> None:
    client.force_login(learner)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert "<h1>Se déconnecter</h1>" in response.content.decode()
    assert int(client.session["_auth_user_id"]) == learner.pk


def test_logout_by_post_ends_the_session(client: Client, learner: User) -> None:
    client.force_login(learner)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:home")
    assert "_auth_user_id" not in client.session
