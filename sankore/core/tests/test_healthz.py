from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_a_reachable_database(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client: Client) -> None:
    with mock.patch("sankore.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/etablissements/?country=%00", "/cours/?q=a%00b", "/admin/login/?next=%00"],
)
def test_a_nul_byte_in_the_query_string_is_a_400_page(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_an_api_parameter_is_a_400_with_a_detail(client: Client) -> None:
    response = client.get("/api/v1/courses?q=%00")

    assert response.status_code == 400
    assert response.json() == {"detail": "Caractère nul interdit dans la requête."}


@pytest.mark.django_db
def test_a_nul_byte_in_a_posted_form_is_a_400_and_nothing_is_written(client: Client) -> None:
    from sankore.accounts.models import User

    response = client.post(
        "/comptes/signup/",
        {"email": "a\x00@example.org", "password1": "x", "password2": "x", "full_name": "A"},
    )

    assert response.status_code == 400
    assert User.objects.count() == 0
