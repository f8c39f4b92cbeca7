"""Creating accounts outside the sign-up pages (demo data, imports, commands)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import User
from sankore.accounts.services import EmailTakenError, ProfileError, user_create

pytestmark = pytest.mark.django_db


def test_a_verified_account_can_log_in_at_once(client: Client) -> None:
    user = user_create(
        email=" Fatou.Sow@Example.org ",
        password="mot-de-passe-demo-42",
        full_name="Fatou  Sow",
        country="ML",
        preferred_language="fr",
        email_verified=True,
    )

    assert (user.email, user.full_name, user.country) == (
        "fatou.sow@example.org",
        "Fatou Sow",
        "ML",
    )
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == (user.email, True, True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "mot-de-passe-demo-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:dashboard")


def test_an_unverified_account_is_sent_to_verification_on_login(client: Client) -> None:
    user = user_create(email="ali@example.org", password="mot-de-passe-demo-42")

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "mot-de-passe-demo-42"}
    )

    assert response["Location"] == reverse("account_email_verification_sent")


def test_an_address_already_in_use_is_refused_whatever_its_case() -> None:
    user_create(email="ali@example.org", password=None)

    with pytest.raises(EmailTakenError) as refused:
        user_create(email="ALI@example.org", password=None)

    assert refused.value.code == "email_taken"
    assert User.objects.count() == 1
    assert EmailAddress.objects.count() == 1


def test_an_unknown_language_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(ProfileError) as refused:
        user_create(email="ali@example.org", password=None, preferred_language="wo")

    assert refused.value.code == "unknown_language"
    assert User.objects.count() == 0
    assert EmailAddress.objects.count() == 0
