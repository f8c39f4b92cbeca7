"""Repeated failed logins lock the (account, address) pair, even against the right password."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import User
from sankore.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _attempt(client: Client, email: str, password: str, ip: str = "10.0.0.1") -> object:
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_out_even_the_right_password(client: Client, learner: User) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        refused = _attempt(client, learner.email, "mauvais-mot-de-passe")
        assert refused.status_code == 200  # the form says the password is wrong
    fifth = _attempt(client, learner.email, "mauvais-mot-de-passe")
    assert fifth.status_code == 429

    sixth = _attempt(client, learner.email, PASSWORD)

    assert sixth.status_code == 429
    html = sixth.content.decode()
    assert "<h1>Connexion momentanément bloquée</h1>" in html
    assert "Vous pourrez réessayer dans 15 minutes." in html
    assert sixth["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account(client: Client, learner: User) -> None:
    for _ in range(5):
        _attempt(client, learner.email, "mauvais-mot-de-passe")

    other = UserFactory(email="autre@example.org")

    response = _attempt(Client(), other.email, PASSWORD)

    assert response.status_code == 302


def test_the_lock_is_per_address_so_a_campus_neighbour_is_not_locked_out(
    client: Client, learner: User
) -> None:
    for _ in range(5):
        _attempt(client, learner.email, "mauvais-mot-de-passe", ip="10.0.0.1")

    response = _attempt(Client(), learner.email, PASSWORD, ip="10.0.0.2")

    assert response.status_code == 302


def test_the_email_is_matched_whatever_its_case(client: Client, learner: User) -> None:
    for _ in range(5):
        _attempt(client, learner.email.upper(), "mauvais-mot-de-passe")

    response = _attempt(client, learner.email, PASSWORD)

    assert response.status_code == 429


def test_a_success_before_the_limit_resets_the_count(client: Client, learner: User) -> None:
    for _ in range(4):
        _attempt(client, learner.email, "mauvais-mot-de-passe")
    assert _attempt(client, learner.email, PASSWORD).status_code == 302
    client.post(reverse("account_logout"))

    for _ in range(4):
        refused = _attempt(client, learner.email, "mauvais-mot-de-passe")
        assert refused.status_code == 200

    assert _attempt(client, learner.email, PASSWORD).status_code == 302


def test_a_login_attempt_with_an_address_longer_than_axes_column_is_refused_cleanly(
    client: Client,
) -> None:
    """Axes stores the address tried in 255 characters: PostgreSQL refused a longer one (500)."""
    overlong = "a" * 64 + "@" + ("b" * 63 + ".") * 3 + "org"

    response = client.post("/comptes/login/", {"login": overlong, "password": "faux"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_whole_campus_behind_one_address_can_sign_in_at_once() -> None:
    """Sixty learners of a campus numérique, one NAT address, all within a minute (allauth
    alone would stop at thirty)."""
    learners = UserFactory.create_batch(60)

    statuses = [
        _attempt(Client(), learner.email, PASSWORD, ip="41.82.0.7").status_code
        for learner in learners
    ]

    assert statuses == [302] * 60
