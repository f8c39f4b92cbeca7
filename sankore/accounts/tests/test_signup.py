"""Sign-up with email verification: one email, a link that confirms by POST and logs in."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import User
from sankore.accounts.tests.conftest import link_in
from sankore.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "  Kouamé   N'Guessan ",
    "email": "Kouame.Nguessan@Example.org",
    "password1": "un-mot-de-passe-tres-long",
    "password2": "un-mot-de-passe-tres-long",
    "country": "CI",
}


def test_signup_page_asks_name_email_passwords_and_country(client: Client) -> None:
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Créer un compte</h1>" in html
    for name, autocomplete in [
        ("full_name", "name"),
        ("email", "email"),
        ("password1", "new-password"),
        ("password2", "new-password"),
        ("country", "country"),
    ]:
        assert f'<label for="id_{name}">' in html
        assert f'name="{name}"' in html
        assert f'autocomplete="{autocomplete}"' in html
    assert '<option value="CI">Côte d&#x27;Ivoire</option>' in html  # French country names


def test_signup_creates_the_account_and_sends_exactly_one_verification_email(
    client: Client,
) -> None:
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "kouame.nguessan@example.org"
    assert user.full_name == "Kouamé N'Guessan"
    assert user.country == "CI"
    assert user.preferred_language == "fr"
    assert user.password.startswith("md5$")  # the test hasher; production is argon2
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kouame.nguessan@example.org"]
    assert message.subject.startswith("[Sankoré] ")
    assert "/comptes/confirm-email/" in link_in(message)
    assert "example.com" not in str(message.body)
    assert "Sankoré" in str(message.body)
    assert "_auth_user_id" not in client.session


def test_the_email_link_asks_for_confirmation_then_confirms_and_logs_in(client: Client) -> None:
    client.post(reverse("account_signup"), SIGNUP)
    path = link_in(mail.outbox[0])

    page = client.get(path)

    assert page.status_code == 200
    assert "<h1>Confirmer votre adresse électronique</h1>" in page.content.decode()
    # The form posts to this address's confirmation link. Its key is signed with the current
    # second, so the page's may differ from the mail's by its timestamp: compare what names
    # the address (before the first colon), not the second it was signed in.
    assert f'action="{path.split(":", 1)[0]}:' in page.content.decode()
    assert EmailAddress.objects.get().verified is False  # a GET (a mail scanner) changes nothing

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == reverse("learning:dashboard")
    address = EmailAddress.objects.get()
    assert address.verified is True
    assert address.primary is True
    assert int(client.session["_auth_user_id"]) == address.user_id


def test_signup_in_english_records_english_as_preferred_language(client: Client) -> None:
    client.cookies["sankore_language"] = "en"

    client.post(reverse("account_signup"), SIGNUP)

    assert User.objects.get().preferred_language == "en"


def test_refused_signup_creates_nothing_and_ties_the_error_to_its_field(client: Client) -> None:
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "autre-chose-42"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_password2_error"' in html
    assert 'aria-describedby="id_password2_error"' in html
    assert 'aria-invalid="true"' in html
    assert "<title>Erreur : Créer un compte" in html
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_signup_without_name_or_country_is_refused(client: Client) -> None:
    response = client.post(reverse("account_signup"), {**SIGNUP, "full_name": "", "country": ""})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "country"}
    assert User.objects.count() == 0


def test_an_unverified_account_cannot_log_in(client: Client) -> None:
    UserFactory(email="nouveau@example.org", email_verified=False)

    response = client.post(
        reverse("account_login"), {"login": "nouveau@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # a fresh verification link
    assert mail.outbox[0].to == ["nouveau@example.org"]


def test_an_address_longer_than_254_characters_is_refused_not_cut(client: Client) -> None:
    from sankore.accounts.models import User

    response = client.post(
        "/comptes/signup/",
        {
            "email": "a" * 300 + "@example.org",
            "full_name": "Aminata Diallo",
            "country": "SN",
            "password1": "savane-Baobab-2025",
            "password2": "savane-Baobab-2025",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert User.objects.count() == 0
