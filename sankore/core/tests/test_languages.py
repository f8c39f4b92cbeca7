"""French by default, English complete: the same pages in both languages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "french", "english"),
    [
        ("/cours/", "Catalogue des cours", "Course catalogue"),
        ("/etablissements/", "Établissements du réseau", "Institutions in the network"),
        ("/comptes/login/", "Se connecter", "Log in"),
        ("/comptes/signup/", "Créer un compte", "Create an account"),
    ],
)
def test_pages_speak_french_by_default_and_english_on_request(
    client: Client, path: str, french: str, english: str
) -> None:
    assert french in client.get(path).content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(path).content.decode()

    assert english in body
    assert '<html lang="en">' in body


def test_the_dashboard_in_english(client: Client) -> None:
    learner = UserFactory()
    enrolment_create(user=learner, course_run=CourseRunFactory())
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    body = client.get("/mes-cours/").content.decode()

    assert "<h1>My courses</h1>" in body
    assert '<h2 id="section-upcoming">Upcoming <span' in body


def test_the_language_switcher_names_each_language_in_itself(client: Client) -> None:
    body = client.get("/cours/").content.decode()

    assert '<option value="fr" lang="fr" selected>Français</option>' in body
    assert '<option value="en" lang="en">English</option>' in body


def test_switching_language_sets_the_cookie_and_returns_to_the_page(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/cours/"})

    assert response.status_code == 302
    assert response["Location"] == "/cours/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
