"""The partnership pages: who sees what (the thread and the agreement only for the two
institutions' people and programme staff), forms that refuse bad input with a message and
change nothing, the ranked candidates with their explanation, query counts of the lists."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import Role, RoleAssignment
from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.tests.factories import CourseFactory, DisciplineFactory, LanguageFactory
from sankore.partnerships import agreements, services
from sankore.partnerships.models import (
    Agreement,
    InstitutionProfile,
    Partnership,
    PartnershipState,
    ProjectIdea,
)
from sankore.partnerships.tests.factories import (
    agreement_terms,
    northern,
    proposal,
    signatory_of,
    southern,
    staff_of,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_partnership_page_is_for_its_parties_and_programme_staff_only() -> None:
    partnership, asking, asked = proposal()
    url = partnership.get_absolute_url()
    programme = UserFactory()
    RoleAssignment.objects.create(user=programme, role=Role.PROGRAMME_STAFF)
    outsider = staff_of(northern(name="Université de Lille"))
    learner = UserFactory()

    assert _client(asking).get(url).status_code == 200
    assert _client(asked).get(url).status_code == 200
    assert _client(programme).get(url).status_code == 200
    assert _client(outsider).get(url).status_code == 404
    assert _client(learner).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/comptes/login/" in anonymous["Location"]
    # Nor may they act on it.
    accept = reverse("partnerships:act", args=[partnership.pk, "accepter"])
    assert _client(outsider).post(accept).status_code == 404
    partnership.refresh_from_db()
    assert partnership.state == PartnershipState.PROPOSED


def test_the_home_lists_only_ones_own_partnerships(django_assert_max_num_queries: Any) -> None:
    mine, asking, _asked = proposal()
    for n in range(5):
        proposal(
            southern(name=f"Université {n}", slug=f"u-{n}"),
            northern(name=f"Nord {n}", slug=f"n-{n}"),
        )
    client = _client(asking)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("partnerships:home")).content.decode()
    assert body.count("CLOM d&#x27;agroécologie") == 1
    assert mine.get_absolute_url() in body


def test_the_partner_accepts_through_the_page_and_the_proposer_cannot() -> None:
    partnership, asking, asked = proposal()
    url = reverse("partnerships:act", args=[partnership.pk, "accepter"])
    response = _client(asking).post(url, follow=True)
    assert "Seul l&#x27;établissement sollicité" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.state == PartnershipState.PROPOSED
    _client(asked).post(url)
    partnership.refresh_from_db()
    assert partnership.state == PartnershipState.ACCEPTED


def test_the_agreement_form_reports_bad_amounts_and_saves_nothing() -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    url = reverse("partnerships:agreement_edit", args=[partnership.pk])
    form: dict[str, Any] = {
        "purpose": "Co-construire", "licence": "CC-BY-SA-4.0", "ip_terms": "",
        "starts_on": "2027-01-01", "ends_on": "2027-12-31", "currency": "XOF",
        "proposer_role": "Porteur", "proposer_contributions": "Contenus",
        "partner_role": "Co-producteur", "partner_contributions": "Studio",
        "etape-TOTAL_FORMS": "1", "etape-INITIAL_FORMS": "0",
        "etape-0-title": "Tournage", "etape-0-due_on": "2027-03-01",
        "budget-TOTAL_FORMS": "1", "budget-INITIAL_FORMS": "0",
        "budget-0-label": "Studio", "budget-0-funded_by": str(partnership.partner_id),
        "budget-0-amount": "-500",
    }  # fmt: skip
    refused = _client(asking).post(url, form)
    assert refused.status_code == 400
    assert "positif" in refused.content.decode()
    assert not Agreement.objects.exists()

    form["budget-0-amount"] = "1 500 000"
    assert _client(asking).post(url, form).status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.budget_lines.get().amount == 1_500_000
    assert agreement.milestones.get().due_on == datetime.date(2027, 3, 1)


def test_signing_through_the_page_records_the_request() -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    agreements.agreement_save(partnership=partnership, by=asking, **agreement_terms(partnership))
    agreements.agreement_submit(partnership=partnership, by=asking)
    staff_only = _client(asking).get(reverse("partnerships:sign", args=[partnership.pk]))
    assert staff_only.status_code == 403
    president = signatory_of(partnership.proposer)
    response = _client(president).post(
        reverse("partnerships:sign", args=[partnership.pk]),
        {
            "institution": partnership.proposer_id, "signed_name": "Awa Traoré",
            "signed_function": "Présidente", "confirm": "on",
        },
        HTTP_USER_AGENT="Firefox/128",
        REMOTE_ADDR="196.28.1.2",
    )  # fmt: skip
    assert response.status_code == 302
    signature = partnership.agreement.signatures.get()
    assert (signature.signed_name, signature.ip_address, signature.user_agent) == (
        "Awa Traoré", "196.28.1.2", "Firefox/128",
    )  # fmt: skip


def test_an_idea_shows_its_institution_ranked_partners_with_reasons() -> None:
    agronomy = DisciplineFactory(slug="agronomie", name_fr="Agronomie", name_en="Agronomy")
    french = LanguageFactory(code="fr", name_fr="Français", name_en="French")
    ouaga = southern()
    bordeaux, lille = northern(), northern(name="Université de Lille", slug="lille")
    author = staff_of(ouaga)
    for institution, capabilities in ((bordeaux, ["studio-video"]), (lille, [])):
        services.profile_update(
            institution=institution, by=staff_of(institution), disciplines=[agronomy],
            languages=[french], capabilities=capabilities,
        )  # fmt: skip
    idea = services.idea_create(
        institution=ouaga, by=author, kind="besoin", title="CLOM d'agroécologie",
        description="Un CLOM pour les techniciens agricoles.", discipline=agronomy,
        audience="professionnels", language=french, seeks=["studio-video"],
        starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31),
    )  # fmt: skip

    body = _client(author).get(idea.get_absolute_url()).content.decode()
    assert body.index("Université de Bordeaux") < body.index("Université de Lille")
    assert "Apporte ce que vous cherchez : studio vidéo" in body
    assert "Même discipline : Agronomie" in body
    # Another institution's staff see the idea and may answer it, not the ranking.
    other = _client(staff_of(bordeaux)).get(idea.get_absolute_url()).content.decode()
    assert "Partenaires possibles" not in other
    assert reverse("partnerships:propose", args=[ouaga.slug]) in other


def test_the_idea_form_refuses_reversed_dates_and_stores_nothing() -> None:
    ouaga = southern()
    author = staff_of(ouaga)
    discipline = DisciplineFactory()
    LanguageFactory(code="fr")
    response = _client(author).post(
        reverse("partnerships:idea_create"),
        {
            "institution": ouaga.pk, "kind": "besoin", "title": "Idée", "description": "Texte",
            "discipline": discipline.pk, "audience": "licence", "language": "fr",
            "starts_on": "2027-06-01", "ends_on": "2027-01-01",
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert "La fin doit suivre le début." in response.content.decode()
    assert not ProjectIdea.objects.exists()


def test_only_the_institution_staff_edit_its_profile() -> None:
    ouaga = southern()
    url = reverse("partnerships:profile_edit", args=[ouaga.slug])
    assert _client(staff_of(northern())).get(url).status_code == 403
    assert _client(signatory_of(ouaga)).get(url).status_code == 403
    assert not InstitutionProfile.objects.exists()
    response = _client(staff_of(ouaga)).post(
        url,
        {
            "capabilities": ["tutorat", "centre-examen"], "interests": "Agroécologie",
            "open_to_partnerships": "on",
            "contact-TOTAL_FORMS": "1", "contact-INITIAL_FORMS": "0",
            "contact-0-full_name": "Awa Traoré", "contact-0-email": "awa@ujkz.example",
        },
    )  # fmt: skip
    assert response.status_code == 302
    profile = InstitutionProfile.objects.get()
    assert profile.capabilities == ["tutorat", "centre-examen"]
    assert [c.full_name for c in profile.contacts.all()] == ["Awa Traoré"]


def test_a_course_of_the_parties_is_linked_by_its_code() -> None:
    partnership, _asking, asked = proposal()
    Partnership.objects.filter(pk=partnership.pk).update(state=PartnershipState.ACTIVE)
    course = CourseFactory(owners=[partnership.partner], code="UB-AGRO-01")
    _client(asked).post(
        reverse("partnerships:act", args=[partnership.pk, "cours"]), {"course": "ub-agro-01"}
    )
    assert list(partnership.courses.all()) == [course]


def _idea_with_candidates(count: int) -> tuple[ProjectIdea, Any]:
    agronomy = DisciplineFactory(slug="agronomie", name_fr="Agronomie")
    french = LanguageFactory(code="fr", name_fr="Français")
    ouaga = southern()
    author = staff_of(ouaga)
    for n in range(count):
        institution = northern(name=f"Université du Nord {n}", slug=f"nord-{n}")
        services.profile_update(
            institution=institution, by=staff_of(institution), disciplines=[agronomy],
            languages=[french], capabilities=["studio-video"],
        )  # fmt: skip
        CourseFactory(owners=[institution], partners=[southern(name=f"Sud {n}", slug=f"sud-{n}")])
    idea = services.idea_create(
        institution=ouaga, by=author, kind="besoin", title="CLOM", description="Texte",
        discipline=agronomy, audience="licence", language=french, seeks=["studio-video"],
        starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 2, 1),
    )  # fmt: skip
    return idea, author


@pytest.mark.parametrize("count", [3, 15])
def test_the_ranking_costs_the_same_queries_whatever_the_number_of_candidates(
    count: int, django_assert_max_num_queries: Any
) -> None:
    idea, author = _idea_with_candidates(count)
    client = _client(author)
    with django_assert_max_num_queries(20):
        body = client.get(idea.get_absolute_url()).content.decode()
    assert body.count("Apporte ce que vous cherchez : studio vidéo") == min(count, 10)


def test_a_candidate_already_in_a_partnership_with_us_is_not_offered_again() -> None:
    idea, author = _idea_with_candidates(2)
    partner = idea.institution.__class__.objects.get(slug="nord-0")
    services.partnership_propose(
        proposer=idea.institution, partner=partner, by=author, title="Déjà", message="Bonjour",
        idea=idea,
    )  # fmt: skip
    body = _client(author).get(idea.get_absolute_url()).content.decode()
    assert "Partenariat déjà en cours" in body
    assert reverse("partnerships:propose", args=["nord-0"]) not in body
    assert reverse("partnerships:propose", args=["nord-1"]) in body


@pytest.mark.parametrize("count", [2, 12])
def test_the_ideas_list_costs_the_same_queries_and_filters(
    count: int, django_assert_max_num_queries: Any
) -> None:
    agronomy = DisciplineFactory(slug="agronomie", name_fr="Agronomie")
    child = DisciplineFactory(slug="agroecologie", name_fr="Agroécologie", parent=agronomy)
    law = DisciplineFactory(slug="droit", name_fr="Droit")
    french = LanguageFactory(code="fr", name_fr="Français")
    viewer = staff_of(northern())
    for n in range(count):
        institution = southern(name=f"Université {n}", slug=f"u-{n}")
        services.idea_create(
            institution=institution, by=staff_of(institution), kind="besoin",
            title=f"Idée {n}", description="Texte", discipline=child if n % 2 else law,
            audience="licence", language=french,
            starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 2, 1),
        )  # fmt: skip
    client = _client(viewer)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("partnerships:ideas")).content.decode()
    assert body.count('class="course-card"') == count
    # A discipline finds the ideas of its sub-disciplines too.
    filtered = client.get(reverse("partnerships:ideas"), {"discipline": agronomy.pk})
    assert filtered.content.decode().count('class="course-card"') == count // 2


def test_the_back_office_reads_a_partnership_and_its_journal_without_changing_it() -> None:
    from sankore.partnerships.tests.factories import programme_person

    partnership, _asking, asked = proposal()
    services.partnership_decline(partnership=partnership, by=asked, reason="Pas cette année.")
    client = _client(programme_person())
    change = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert "Pas cette année." in page.content.decode()
    client.post(change, {"title": "Autre", "state": "actif"})
    partnership.refresh_from_db()
    assert (partnership.title, partnership.state) == ("CLOM d'agroécologie", "refuse")
    assert client.get(reverse("admin:partnerships_partnership_changelist")).status_code == 200
    assert client.get(reverse("admin:partnerships_projectidea_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:partnerships_institutionprofile_changelist")).status_code == 200
    )
