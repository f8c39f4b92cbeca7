"""The learner's profile: name for certificates, country, language, institution, roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import Role, User
from sankore.accounts.services import ProfileError, user_profile_update
from sankore.accounts.tests.factories import RoleAssignmentFactory
from sankore.institutions.models import InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

PROFILE_URL = "/comptes/profil/"


def _valid_post(**changes: Any) -> dict[str, Any]:
    return {
        "full_name": "Awa Diop",
        "certificate_name": "Awa Ndèye DIOP",
        "country": "SN",
        "preferred_language": "fr",
        "institution": "",
        **changes,
    }


def test_profile_url_is_named_accounts_profile() -> None:
    assert reverse("accounts:profile") == PROFILE_URL


def test_profile_needs_a_login(client: Client) -> None:
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={PROFILE_URL}"


def test_profile_page_shows_the_current_values_and_roles(client: Client, learner: User) -> None:
    campus = InstitutionFactory(name="Campus numérique de Dakar", acronym="", kind="campus")
    RoleAssignmentFactory(user=learner, role=Role.CAMPUS_STAFF, institution=campus)
    client.force_login(learner)

    response = client.get(PROFILE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Mon profil</h1>" in html
    assert 'value="Awa Diop"' in html
    assert '<option value="SN" selected>Sénégal</option>' in html
    assert "Nom tel qu'il doit figurer sur vos attestations et certificats" in html
    assert 'aria-describedby="id_certificate_name_helptext"' in html
    assert "<li>Apprenant</li>" in html
    assert "<li>Personnel de campus numérique — Campus numérique de Dakar</li>" in html


def test_profile_update_saves_every_field_and_switches_the_language(
    client: Client, learner: User
) -> None:
    university = InstitutionFactory(name="Université de Ouagadougou")
    client.force_login(learner)

    response = client.post(
        PROFILE_URL,
        _valid_post(
            full_name="Awa  Diop ",
            country="BF",
            preferred_language="en",
            institution=str(university.pk),
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    learner.refresh_from_db()
    assert learner.full_name == "Awa Diop"
    assert learner.certificate_name == "Awa Ndèye DIOP"
    assert learner.printed_name == "Awa Ndèye DIOP"
    assert learner.country == "BF"
    assert learner.preferred_language == "en"
    assert learner.institution == university
    follow = client.get(PROFILE_URL)
    assert '<html lang="en">' in follow.content.decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"full_name": ""},
        {"full_name": "x" * 201},
        {"country": "ZZ"},
        {"preferred_language": "de"},
        {"institution": "999999"},
    ],
    ids=["no-name", "name-too-long", "unknown-country", "unknown-language", "no-institution"],
)
def test_refused_profile_update_leaves_the_row_unchanged(
    client: Client, learner: User, changes: dict[str, str]
) -> None:
    client.force_login(learner)
    before = model_to_dict(User.objects.get(pk=learner.pk))

    response = client.post(PROFILE_URL, _valid_post(**changes))

    assert response.status_code == 200
    field = next(iter(changes))
    assert response.context["form"].errors.keys() == {field}
    assert f'aria-describedby="id_{field}_error"' in response.content.decode() or (
        f'aria-describedby="id_{field}_helptext id_{field}_error"' in response.content.decode()
    )
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert model_to_dict(User.objects.get(pk=learner.pk)) == before


def test_profile_service_refuses_bad_values_before_touching_the_user(learner: User) -> None:
    before = model_to_dict(User.objects.get(pk=learner.pk))

    with pytest.raises(ProfileError) as refused:
        user_profile_update(
            user=learner,
            full_name="Awa Diop",
            certificate_name="",
            country="SN",
            preferred_language="xx",
            institution=None,
        )

    assert refused.value.code == "unknown_language"
    assert learner.preferred_language == "fr"  # the in-memory user is untouched too
    assert model_to_dict(User.objects.get(pk=learner.pk)) == before


def test_profile_institution_list_offers_existing_institutions(
    client: Client, learner: User
) -> None:
    campus = InstitutionFactory(
        name="Campus de Yaoundé", acronym="CNFY", kind=InstitutionKind.CAMPUS
    )
    client.force_login(learner)

    response = client.get(PROFILE_URL)

    assert f'<option value="{campus.pk}">Campus de Yaoundé (CNFY)</option>' in (
        response.content.decode()
    )
