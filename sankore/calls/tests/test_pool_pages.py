"""The pool of experts in pages: programme staff add and change experts; an expert declares
the institutions they have links with, which takes from them the applications of those
institutions not yet reviewed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import Role, RoleAssignment
from sankore.accounts.tests.factories import UserFactory
from sankore.calls import reviewing
from sankore.calls.models import AssignmentState, CallEvent, Expert
from sankore.calls.tests.builders import (
    AFTER,
    panel_member,
    programme,
    published_call,
    south,
    staff,
    submitted,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "learner", "institution_staff", "expert"])
def test_the_pool_pages_are_for_programme_staff_only(who: str) -> None:
    expert = reviewing.expert_save(user=UserFactory(), by=programme(), institution=None)
    client = Client()
    if who == "learner":
        client.force_login(UserFactory())
    elif who == "institution_staff":
        client.force_login(staff(south()))
    elif who == "expert":
        client.force_login(expert.user)
    for url in (
        reverse("calls:expert_list"), reverse("calls:expert_new"),
        reverse("calls:expert_edit", args=[expert.pk]),
    ):  # fmt: skip
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == 404, url
    posted = client.post(reverse("calls:expert_new"), {"email": "x@example.org", "max_load": 3})
    assert posted.status_code in (302, 404)
    assert Expert.objects.count() == 1


def test_programme_staff_add_an_expert_with_an_existing_account() -> None:
    client = _client(programme())
    url = reverse("calls:expert_new")
    form = {"email": "inconnu@example.org", "max_load": "5", "languages": "fr, wo",
            "regions": ["afrique-ouest"], "active": "on"}  # fmt: skip
    unknown = client.post(url, form)
    assert unknown.status_code == 400
    assert "Aucun compte n&#x27;a cette adresse." in unknown.content.decode()
    assert not Expert.objects.exists()
    person = UserFactory(email="aminata@example.org")
    saved = client.post(url, {**form, "email": "Aminata@example.org"})
    assert saved.status_code == 302
    expert = Expert.objects.get()
    assert (expert.user, expert.languages, expert.regions, expert.max_load) == (
        person, ["fr", "wo"], ["afrique-ouest"], 5,
    )  # fmt: skip
    assert RoleAssignment.objects.filter(user=person, role=Role.EXPERT_REVIEWER).exists()
    again = client.post(url, {**form, "email": "aminata@example.org"})
    assert again.status_code == 400
    assert Expert.objects.count() == 1


def test_the_pool_list_reads_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    by = programme()
    client = _client(by)
    for _ in range(2):
        reviewing.expert_save(user=UserFactory(), by=by, institution=south())
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("calls:expert_list"))
    for _ in range(6):
        reviewing.expert_save(user=UserFactory(), by=by, institution=south())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("calls:expert_list"))
    assert response.content.decode().count('href="/appels/programme/experts/') == 8 + 1


def test_an_expert_declares_links_and_loses_the_pairs_not_yet_reviewed() -> None:
    call = published_call()
    lead = south(name="Université de Lomé")
    application = submitted(call, lead=lead)
    reviewer = panel_member(call)
    by = programme()
    pair = reviewing.assignment_add(application=application, reviewer=reviewer, by=by, now=AFTER)
    reviewing.assignment_confirm(call=call, by=by, now=AFTER)
    client = _client(reviewer.expert.user)
    assert client.get(reverse("calls:my_links")).status_code == 200
    assert _client(UserFactory()).get(reverse("calls:my_links")).status_code == 404
    response = client.post(reverse("calls:my_links"), {"institutions": [lead.pk]})
    assert response.status_code == 302
    assert list(reviewer.expert.linked_institutions.all()) == [lead]
    pair.refresh_from_db()
    assert pair.state == AssignmentState.REMOVED
    assert CallEvent.objects.filter(action="assignment_removed_conflict").count() == 1
