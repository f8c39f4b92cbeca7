"""The programme's pages: the dashboard's figures on a known set, its list and CSV export
(exact rows, a fixed number of queries whatever the number of partnerships), the weights
(a new row that the ranking uses; bad values refused with nothing saved), the agreement as
PDF (parties, budget, signatures) — and who may see each of them."""

from __future__ import annotations

import csv
import datetime
import io
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.tests.factories import CourseFactory, DisciplineFactory
from sankore.institutions.models import Institution
from sankore.partnerships import agreements, selectors, services
from sankore.partnerships.models import MatchWeights, Partnership, PartnershipState
from sankore.partnerships.tests.factories import (
    agreement_terms,
    northern,
    proposal,
    signatory_of,
    southern,
    staff_of,
)

pytestmark = pytest.mark.django_db
State = PartnershipState
UTC = datetime.UTC


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _programme_staff() -> User:
    user = UserFactory(full_name="Awa Diallo")
    RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_STAFF)
    return user


def _at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2027, 1, 1, hour, tzinfo=UTC) + datetime.timedelta(days=day - 1)


def _set(partnership: Partnership, **fields: Any) -> Partnership:
    """Put a partnership at a step with fixed dates (the workflow is tested elsewhere)."""
    Partnership.objects.filter(pk=partnership.pk).update(**fields)
    partnership.refresh_from_db()
    return partnership


def _institution(name: str, slug: str, country: str, region: str) -> Institution:
    return southern(name=name, slug=slug, acronym="", country=country, region=region)


def _known_set() -> dict[str, Partnership]:
    """Four partnerships of three region pairs: three signed after 2, 10.5 and 30 days."""
    ouaga, bordeaux = southern(acronym="UO"), northern(acronym="UB")
    dakar = _institution("Université de Dakar", "dakar", "SN", "afrique-ouest")
    lille = northern(name="Université de Lille", slug="lille", acronym="")
    montreal = _institution("Université de Montréal", "montreal", "CA", "ameriques")
    tana = _institution("Université d'Antananarivo", "tana", "MG", "ocean-indien")
    tunis = _institution("Université de Tunis", "tunis", "TN", "maghreb")
    active = _set(
        proposal(ouaga, bordeaux)[0], state=State.ACTIVE, proposed_at=_at(1),
        signed_at=_at(11, 0) + datetime.timedelta(hours=24),
    )  # fmt: skip
    closed = _set(
        proposal(dakar, lille)[0], title="CLOM de droit OHADA", state=State.CLOSED,
        proposed_at=_at(2), signed_at=_at(32), closed_at=_at(200),
    )  # fmt: skip
    closed.courses.add(CourseFactory(owners=[dakar]), CourseFactory(owners=[lille]))
    proposed = _set(proposal(montreal, tana)[0], title="CLOM de santé publique", proposed_at=_at(3))
    produced = _set(
        proposal(tunis, ouaga)[0], title="CLOM d'irrigation", state=State.PRODUCED,
        proposed_at=_at(4), signed_at=_at(6),
    )  # fmt: skip
    return {"active": active, "closed": closed, "proposed": proposed, "produced": produced}


# --- The dashboard ---------------------------------------------------------------------------


def test_the_dashboard_counts_states_region_pairs_and_days_to_agreement() -> None:
    known = _known_set()

    board = selectors.programme_dashboard()

    counts = {state: count for state, _label, count in board.by_state}
    assert counts == {
        State.PROPOSED: 1, State.DISCUSSION: 0, State.ACCEPTED: 0, State.DECLINED: 0,
        State.DRAFTED: 0, State.ACTIVE: 1, State.PRODUCED: 1, State.CLOSED: 1,
    }  # fmt: skip
    # The North one first whoever proposed; two Southern ones in the order of the proposal.
    assert [(pair.label, pair.count) for pair in board.by_region_pair] == [
        ("Europe de l'Ouest → Afrique de l'Ouest", 2),
        ("Amériques → Océan Indien", 1),
        ("Maghreb → Afrique de l'Ouest", 1),
    ]
    assert board.by_region_pair[0].key == "europe-ouest:afrique-ouest"
    assert board.total == 4
    assert board.signed_count == 3
    assert board.days_to_agreement_median == 10.5
    assert board.days_to_agreement_max == 30.0
    # The database's pairs are the ones ``region_pair`` gives each partnership.
    for partnership in known.values():
        first, second = selectors.region_pair(partnership)
        listed = selectors.programme_partnerships(pair=_pair_of(partnership))
        assert partnership in listed
        assert any(pair.label == f"{first} → {second}" for pair in board.by_region_pair)


def _pair_of(partnership: Partnership) -> tuple[str, str]:
    row = selectors.programme_partnerships().get(pk=partnership.pk)
    return row.pair_first, row.pair_second  # type: ignore[attr-defined]


def test_an_even_number_of_signed_partnerships_takes_the_mean_of_the_middle_two() -> None:
    _known_set()
    extra = proposal(
        _institution("Université de Niamey", "niamey", "NE", "afrique-ouest"),
        northern(name="Université de Liège", slug="liege", country="BE"),
    )[0]
    _set(extra, state=State.ACTIVE, proposed_at=_at(1), signed_at=_at(8, 0))  # 6.5 days

    board = selectors.programme_dashboard()

    assert board.signed_count == 4
    assert board.days_to_agreement_median == 8.5  # (6.5 + 10.5) / 2
    assert board.days_to_agreement_max == 30.0


def test_an_empty_programme_has_no_delay_to_show() -> None:
    board = selectors.programme_dashboard()
    assert board.total == board.signed_count == 0
    assert board.days_to_agreement_median is None
    assert board.days_to_agreement_max is None
    assert board.by_region_pair == []


def test_the_dashboard_page_shows_the_figures_and_filters_the_list() -> None:
    known = _known_set()
    client = _client(_programme_staff())
    url = reverse("partnerships:programme")

    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert '<dd id="median-days">10,5 jours</dd>' in body
    assert '<dd id="max-days">30 jours</dd>' in body
    assert '<a href="?state=actif#liste">Actif</a>' in body
    assert '<a href="?pair=europe-ouest%3Aafrique-ouest#liste">' in body
    assert all(p.get_absolute_url() in body for p in known.values())

    by_state = client.get(url, {"state": State.ACTIVE}).content.decode()
    assert known["active"].get_absolute_url() in by_state
    assert known["closed"].get_absolute_url() not in by_state
    by_pair = client.get(url, {"pair": "maghreb:afrique-ouest"}).content.decode()
    listed = [p for p in known.values() if p.get_absolute_url() in by_pair]
    assert listed == [known["produced"]]


def test_the_dashboard_makes_as_many_queries_for_3_as_for_30(
    django_assert_max_num_queries: Any,
) -> None:
    client = _client(_programme_staff())
    counts = []
    for n in (3, 30):
        while Partnership.objects.count() < n:
            i = Partnership.objects.count()
            proposal(southern(slug=f"s-{i}", name=f"Sud {i}"), northern(slug=f"n-{i}"))
        with django_assert_max_num_queries(10) as captured:
            assert client.get(reverse("partnerships:programme")).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# --- Who may see the programme's pages -------------------------------------------------------


PROGRAMME_PAGES = ["partnerships:programme", "partnerships:programme_csv",
                   "partnerships:programme_weights"]  # fmt: skip


@pytest.mark.parametrize("name", PROGRAMME_PAGES)
def test_the_programme_pages_are_for_programme_staff_only(name: str) -> None:
    url = reverse(name)
    institution_staff = staff_of(southern())
    learner = UserFactory()

    assert _client(_programme_staff()).get(url).status_code == 200
    assert _client(institution_staff).get(url).status_code == 403
    assert _client(learner).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/comptes/login/")


def test_the_home_links_the_dashboard_for_programme_staff_only() -> None:
    link = reverse("partnerships:programme")
    home = reverse("partnerships:home")
    assert link in _client(_programme_staff()).get(home).content.decode()
    assert link not in _client(staff_of(southern())).get(home).content.decode()


# --- The CSV export --------------------------------------------------------------------------


def _csv(client: Client, **params: str) -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse("partnerships:programme_csv"), params)
    assert response.status_code == 200
    assert response.streaming
    data = b"".join(response.streaming_content)  # type: ignore[arg-type]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="partenariats.csv"'
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


HEADER = [
    "Identifiant", "Intitulé", "Établissement qui propose", "Pays du proposant",
    "Région du proposant", "Établissement partenaire", "Pays du partenaire",
    "Région du partenaire", "État", "Proposé le", "Signé le", "Jours jusqu’à la signature",
    "Clos le", "Cours liés",
]  # fmt: skip


def test_the_csv_has_one_row_per_partnership_for_excel_in_french() -> None:
    known = _known_set()

    data, rows = _csv(_client(_programme_staff()))

    assert data.startswith(b"\xef\xbb\xbf")
    assert rows[0] == HEADER
    a, c, p, d = known["active"], known["closed"], known["proposed"], known["produced"]
    # Newest proposal first.
    assert rows[1:] == [
        [str(d.pk), "CLOM d'irrigation", "Université de Tunis", "Tunisie", "Maghreb",
         "Université de Ouagadougou", "Burkina Faso", "Afrique de l'Ouest", "cours produits",
         "2027-01-04", "2027-01-06", "2,0", "", "0"],
        [str(p.pk), "CLOM de santé publique", "Université de Montréal", "Canada", "Amériques",
         "Université d'Antananarivo", "Madagascar", "Océan Indien", "proposé", "2027-01-03",
         "", "", "", "0"],
        [str(c.pk), "CLOM de droit OHADA", "Université de Dakar", "Sénégal",
         "Afrique de l'Ouest", "Université de Lille", "France", "Europe de l'Ouest", "clos",
         "2027-01-02", "2027-02-01", "30,0", "2027-07-19", "2"],
        [str(a.pk), "CLOM d'agroécologie", "Université de Ouagadougou", "Burkina Faso",
         "Afrique de l'Ouest", "Université de Bordeaux", "France", "Europe de l'Ouest", "actif",
         "2027-01-01", "2027-01-12", "10,5", "", "0"],
    ]  # fmt: skip


def test_the_csv_follows_the_dashboards_filters() -> None:
    known = _known_set()
    _data, rows = _csv(_client(_programme_staff()), pair="europe-ouest:afrique-ouest")
    assert [int(row[0]) for row in rows[1:]] == [known["closed"].pk, known["active"].pk]


def test_a_title_that_looks_like_a_formula_is_not_run_by_the_spreadsheet() -> None:
    _set(proposal()[0], title='=HYPERLINK("http://example.org")')
    _data, rows = _csv(_client(_programme_staff()))
    assert rows[1][1] == '\'=HYPERLINK("http://example.org")'


def test_the_csv_makes_as_many_queries_for_3_as_for_30(
    django_assert_max_num_queries: Any,
) -> None:
    client = _client(_programme_staff())
    counts = []
    for n in (3, 30):
        while Partnership.objects.count() < n:
            i = Partnership.objects.count()
            partnership = proposal(
                southern(slug=f"s-{i}", name=f"Sud {i}"), northern(slug=f"n-{i}")
            )[0]
            partnership.courses.add(CourseFactory(owners=[partnership.proposer]))
        with django_assert_max_num_queries(4) as captured:
            _data, rows = _csv(client)
        assert len(rows) == n + 1
        assert {row[-1] for row in rows[1:]} == {"1"}
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# --- The weights -----------------------------------------------------------------------------


WEIGHTS_URL = "partnerships:programme_weights"
NORTH_SOUTH_ONLY = {
    "discipline": "0", "capabilities": "0", "language": "0", "north_south": "100",
    "past_collaborations": "0", "load": "0",
}  # fmt: skip


def _ranking_of(institution: Institution) -> list[str]:
    return [c.institution.name for c in selectors.match_candidates(institution=institution)]


def test_new_weights_are_recorded_and_the_ranking_uses_them() -> None:
    agronomy = DisciplineFactory(slug="agronomie", name_fr="Agronomie", name_en="Agronomy")
    ouaga, _bordeaux = southern(), northern()
    dakar = _institution("Université de Dakar", "dakar", "SN", "afrique-ouest")
    for institution in (ouaga, dakar):
        services.profile_update(
            institution=institution, by=staff_of(institution), disciplines=[agronomy],
            languages=[], capabilities=[],
        )  # fmt: skip
    # By default the shared discipline (30) outweighs the North–South pair (15).
    assert _ranking_of(ouaga) == ["Université de Dakar", "Université de Bordeaux"]
    programme = _programme_staff()
    client = _client(programme)

    response = client.post(reverse(WEIGHTS_URL), NORTH_SOUTH_ONLY)

    assert response.status_code == 302
    row = MatchWeights.objects.get()
    assert (row.discipline, row.capabilities, row.language, row.north_south) == (0, 0, 0, 100)
    assert (row.past_collaborations, row.load, row.created_by) == (0, 0, programme)
    assert _ranking_of(ouaga) == ["Université de Bordeaux", "Université de Dakar"]
    page = client.get(reverse(WEIGHTS_URL)).content.decode()
    assert "Awa Diallo" in page
    assert 'name="north_south" value="100"' in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("discipline", "101"), ("load", "-1"), ("language", "beaucoup"), (None, "0")],
)
def test_bad_weights_are_refused_with_a_message_and_nothing_is_saved(
    field: str | None, value: str
) -> None:
    services.match_weights_set(by=_programme_staff(), discipline=40)
    data = {**NORTH_SOUTH_ONLY, **({field: value} if field else {"north_south": "0"})}

    response = _client(_programme_staff()).post(reverse(WEIGHTS_URL), data)

    assert response.status_code == 400
    assert MatchWeights.objects.count() == 1
    assert selectors.match_weights_current().discipline == 40
    form = response.context["form"]
    if field:
        assert field in form.errors
    else:  # every criterion at zero: the service's refusal, shown on the form
        assert form.non_field_errors() == ["Au moins un critère doit compter."]
        assert "Au moins un critère doit compter." in response.content.decode()


# --- The agreement as PDF --------------------------------------------------------------------


def _agreement_out_for_signature() -> tuple[Partnership, User]:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    agreements.agreement_save(partnership=partnership, by=asking, **agreement_terms(partnership))
    agreements.agreement_submit(partnership=partnership, by=asking)
    return partnership, asking


def _sign(partnership: Partnership, institution: Institution, name: str) -> None:
    person = signatory_of(institution, full_name=name)
    agreements.agreement_sign(
        partnership=partnership, by=person, institution=institution, signed_name=name,
        signed_function="Présidente",
    )  # fmt: skip


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def test_the_agreement_pdf_shows_parties_budget_and_signatures() -> None:
    partnership, asking = _agreement_out_for_signature()
    _sign(partnership, partnership.proposer, "Aminata Ouédraogo")
    url = reverse("partnerships:agreement_pdf", args=[partnership.pk])

    started = time.perf_counter()
    response = _client(asking).get(url)
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="convention-{partnership.pk}-v1.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    assert "Université de Ouagadougou" in text
    assert "Université de Bordeaux" in text
    assert "Porteur" in text
    assert "Co-producteur" in text
    assert "15 500,50 €" in text  # 12 500,50 + 3 000
    assert "12 500,50 €" in text  # what the partner brings
    assert "Aminata Ouédraogo" in text
    assert "en attente de signature" in text  # the partner has not signed yet
    assert partnership.agreement.content_hash in text.replace(" ", "")
    assert elapsed < 10  # measured: a fraction of a second


def test_the_agreement_pdf_reads_in_english_for_an_english_reader() -> None:
    partnership, asking = _agreement_out_for_signature()
    client = _client(asking)
    client.cookies["sankore_language"] = "en"
    response = client.get(reverse("partnerships:agreement_pdf", args=[partnership.pk]))
    assert "€15,500.50" in _pdf_text(response.content)


def test_the_partnership_page_links_its_agreement_pdf() -> None:
    partnership, asking = _agreement_out_for_signature()
    body = _client(asking).get(partnership.get_absolute_url()).content.decode()
    assert reverse("partnerships:agreement_pdf", args=[partnership.pk]) in body


def test_the_agreement_pdf_is_for_the_parties_and_programme_staff_only() -> None:
    partnership, _asking = _agreement_out_for_signature()
    url = reverse("partnerships:agreement_pdf", args=[partnership.pk])

    assert _client(_programme_staff()).get(url).status_code == 200
    assert _client(signatory_of(partnership.partner)).get(url).status_code == 200
    assert (
        _client(staff_of(northern(name="Université de Lille", slug="lille"))).get(url).status_code
        == 404
    )
    assert _client(UserFactory()).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    # A partnership without an agreement has no PDF.
    bare = proposal(southern(slug="autre-sud"), northern(slug="autre-nord"))[0]
    pdf = reverse("partnerships:agreement_pdf", args=[bare.pk])
    assert _client(_programme_staff()).get(pdf).status_code == 404


def test_a_draft_agreement_prints_as_a_draft_without_signatures() -> None:
    partnership, asking, asked = proposal()
    services.partnership_accept(partnership=partnership, by=asked)
    agreements.agreement_save(partnership=partnership, by=asking, **agreement_terms(partnership))

    response = _client(asked).get(reverse("partnerships:agreement_pdf", args=[partnership.pk]))

    text = _pdf_text(response.content)
    assert "projet, non encore soumis à la signature" in text
    assert "il n’engage pas les parties" in text
    assert "en attente de signature" not in text
    assert "15 500,50 €" in text
