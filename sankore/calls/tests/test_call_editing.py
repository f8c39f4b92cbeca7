"""Programme staff create and edit a call in pages: who may (a 404 for anyone else, the login
page when signed out), the closing instant typed in the call's zone and stored in UTC, the
timeline in order, amounts and weights in range, what a published call still lets change
(the closing instant only later, journaled), the reserved slugs, and the list's constant
number of queries."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from sankore.accounts.models import User
from sankore.accounts.tests.factories import UserFactory
from sankore.calls import call_parts, services, urls
from sankore.calls.models import (
    Call,
    CallEvent,
    CallStatus,
    Criterion,
    DossierSection,
    FundingTier,
    Strand,
)
from sankore.calls.services import CallError
from sankore.calls.tests.builders import (
    CLOSES,
    DURING,
    REVIEW_ENDS,
    programme,
    published_call,
    south,
    staff,
    submitted,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _draft(**fields: Any) -> Call:
    values: dict[str, Any] = {
        "title": "Appel CLOM 2027", "description": "Concevoir des CLOM.",
        "opens_at": CLOSES - datetime.timedelta(days=60), "closes_at": CLOSES,
        "review_ends_at": REVIEW_ENDS, "results_on": datetime.date(2027, 6, 1),
        "total_budget": Decimal("100000"),
    }  # fmt: skip
    values.update(fields)
    return services.call_create(by=programme(), **values)


def _form(**overrides: Any) -> dict[str, Any]:
    """The main form as a browser posts it (a field set to None is left out: a box unticked)."""
    data: dict[str, Any] = {
        "title": "Appel CLOM 2027", "slug": "", "description": "Concevoir des CLOM.",
        "members_only": "on", "southern_lead_required": "on",
        "regions": ["afrique-ouest"], "institution_kinds": ["universite"],
        "currency": "EUR", "total_budget": "250 000,50", "time_zone": "Africa/Dakar",
        "opens_on": "2027-01-15", "opens_time": "08:00",
        "closes_on": "2027-03-31", "closes_time": "23:59",
        "review_ends_on": "2027-05-15", "review_ends_time": "23:59",
        "results_on": "2027-06-01", "reviewers_per_application": "3",
        "disagreement_threshold": "15",
    }  # fmt: skip
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _edit_form(call: Call, **overrides: Any) -> dict[str, Any]:
    """The main form of ``call`` as its page shows it, with ``overrides``."""
    local = timezone.localtime(call.closes_at, call.zone)
    review = timezone.localtime(call.review_ends_at, call.zone)
    opens = timezone.localtime(call.opens_at, call.zone)
    data = _form(
        title=call.title, slug=call.slug, description=call.description,
        regions=call.regions, institution_kinds=call.institution_kinds,
        total_budget=str(call.total_budget), time_zone=call.time_zone,
        opens_on=opens.date().isoformat(), opens_time=opens.strftime("%H:%M"),
        closes_on=local.date().isoformat(), closes_time=local.strftime("%H:%M"),
        review_ends_on=review.date().isoformat(), review_ends_time=review.strftime("%H:%M"),
        results_on=call.results_on.isoformat(),
        reviewers_per_application=str(call.reviewers_per_application),
    )  # fmt: skip
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


# --- Who may ---------------------------------------------------------------------------------


def _user(who: str) -> User | None:
    if who == "anonymous":
        return None
    if who == "learner":
        return UserFactory()
    if who == "institution_staff":
        return staff(south())
    return programme()


PAGES = [
    ("get", "calls:programme_list", None),
    ("get", "calls:call_new", None),
    ("post", "calls:call_new", None),
    ("get", "calls:call_edit", None),
    ("post", "calls:call_edit", None),
    ("get", "calls:part_new", "volets"),
    ("post", "calls:part_new", "paliers"),
    ("get", "calls:part_edit", "rubriques"),
    ("post", "calls:part_edit", "criteres"),
    ("post", "calls:part_delete", "criteres"),
    ("post", "calls:call_publish", None),
    ("post", "calls:call_archive", None),
]


def _url(name: str, kind: str | None, call: Call) -> str:
    if name in ("calls:programme_list", "calls:call_new"):
        return reverse(name)
    if name in ("calls:call_edit", "calls:call_publish", "calls:call_archive"):
        return reverse(name, args=[call.slug])
    if name == "calls:part_new":
        return reverse(name, args=[call.slug, kind])
    part = {"rubriques": call.sections, "criteres": call.criteria}[str(kind)].first()
    assert part is not None
    return reverse(name, args=[call.slug, kind, part.pk])


def _valid_post(name: str, kind: str | None, call: Call) -> dict[str, Any]:
    if name == "calls:call_new":
        return _form(title="Un autre appel")
    if name == "calls:call_edit":
        return _edit_form(call, description="Une présentation revue.")
    if name == "calls:part_new":
        return {"palier-label": "Petit projet", "palier-max_amount": "20 000"}
    if name == "calls:part_edit":
        return {"critere-title": "Pertinence", "critere-weight": "30", "critere-scale_max": "5"}
    return {}


@pytest.mark.parametrize(("method", "name", "kind"), PAGES)
@pytest.mark.parametrize("who", ["anonymous", "learner", "institution_staff", "programme"])
def test_only_programme_staff_reach_the_editing_pages(
    method: str, name: str, kind: str | None, who: str
) -> None:
    call = _draft()
    url = _url(name, kind, call)
    client = _client(_user(who))
    response = (
        client.get(url) if method == "get" else client.post(url, _valid_post(name, kind, call))
    )
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif who in ("learner", "institution_staff"):
        assert response.status_code == 404
    else:
        assert response.status_code == (200 if method == "get" else 302), _text(response)
    if who != "programme":
        # Nothing was written by a refused request.
        assert Call.objects.count() == 1
        assert Call.objects.get().status == CallStatus.DRAFT
        assert Criterion.objects.count() == 6
        assert not FundingTier.objects.exists()
        assert list(CallEvent.objects.values_list("action", flat=True)) == ["call_created"]


def test_the_calls_list_links_to_the_editing_pages_for_programme_staff_only() -> None:
    manage = reverse("calls:programme_list")
    assert manage in _client(programme()).get(reverse("calls:list")).content.decode()
    for user in (None, UserFactory(), staff(south())):
        assert manage not in _client(user).get(reverse("calls:list")).content.decode()


# --- The closing instant in the call's zone --------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "utc"),
    [
        ("Africa/Dakar", datetime.datetime(2027, 3, 31, 23, 59, tzinfo=UTC)),  # UTC+0
        ("Europe/Paris", datetime.datetime(2027, 3, 31, 21, 59, tzinfo=UTC)),  # summer: UTC+2
    ],
)
def test_a_call_created_through_the_page_closes_at_the_zones_instant(
    zone: str, utc: datetime.datetime
) -> None:
    client = _client(programme())
    response = client.post(reverse("calls:call_new"), _form(time_zone=zone), follow=True)
    assert response.status_code == 200
    call = Call.objects.get()
    assert call.closes_at == utc
    assert call.time_zone == zone
    assert call.status == CallStatus.DRAFT
    assert call.total_budget == Decimal("250000.50")
    assert call.regions == ["afrique-ouest"]
    assert call.institution_kinds == ["universite"]
    assert call.reviewers_per_application == 3
    assert call.criteria.count() == 6  # the programme's default grid
    assert response.redirect_chain[-1][0] == reverse("calls:call_edit", args=[call.slug])
    body = _text(response)
    # The equivalent in UTC, in the message and on the page.
    assert f"soit le 31 mars 2027 à {utc:%H:%M} en temps universel (UTC)" in body
    assert "heure de " + zone in body


def test_a_time_the_clocks_skip_is_refused_rather_than_guessed() -> None:
    # Paris puts its clocks forward at 02:00 on 28 March 2027: 02:30 does not exist.
    response = _client(programme()).post(
        reverse("calls:call_new"),
        _form(time_zone="Europe/Paris", closes_on="2027-03-28", closes_time="02:30"),
    )
    assert response.status_code == 400
    assert "Cette heure n'existe pas ce jour-là dans le fuseau Europe/Paris" in _text(response)
    assert not Call.objects.exists()


def test_a_timeline_out_of_order_is_refused_and_nothing_is_written() -> None:
    client = _client(programme())
    response = client.post(
        reverse("calls:call_new"), _form(opens_on="2027-04-15", closes_on="2027-03-31")
    )
    assert response.status_code == 400
    body = _text(response)
    assert "Le calendrier va de l'ouverture à la clôture, puis à la fin de l'évaluation." in body
    # The error is tied to its field.
    assert 'id="id_closes_on_error"' in body
    assert 'aria-describedby="id_closes_on_error"' in body
    assert not Call.objects.exists()
    assert not CallEvent.objects.exists()
    # The results on the closing day, or the review ending before the closing: refused too.
    late = client.post(reverse("calls:call_new"), _form(results_on="2027-03-31"))
    assert late.status_code == 400
    assert "Les résultats sont annoncés après le jour de la clôture" in _text(late)
    early = client.post(reverse("calls:call_new"), _form(review_ends_on="2027-03-30"))
    assert early.status_code == 400
    assert not Call.objects.exists()


def test_editing_a_draft_out_of_order_changes_nothing() -> None:
    call = _draft()
    before = Call.objects.values().get(pk=call.pk)
    response = _client(programme()).post(
        reverse("calls:call_edit", args=[call.slug]),
        _edit_form(call, title="Nouveau titre", review_ends_on="2027-03-01"),
    )
    assert response.status_code == 400
    assert "Le calendrier va de l'ouverture à la clôture" in _text(response)
    assert Call.objects.values().get(pk=call.pk) == before
    assert not CallEvent.objects.filter(action="call_updated").exists()
    with pytest.raises(CallError) as refused:
        services.call_update(
            call=call, by=programme(), closes_at=CLOSES, opens_at=CLOSES + datetime.timedelta(1)
        )
    assert refused.value.code == "bad_timeline"


def test_a_draft_changes_entirely_through_its_page() -> None:
    call = _draft()
    client = _client(programme())
    response = client.post(
        reverse("calls:call_edit", args=[call.slug]),
        _edit_form(
            call, title="Appel CLOM 2027, second tour", slug="clom-2027-b",
            regions=["maghreb", "afrique-ouest"], members_only=None, two_stages="on",
            time_zone="Europe/Paris", closes_time="17:00", total_budget="120 000",
            full_proposal_on="2027-04-30", full_proposal_time="17:00",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.full_proposal_closes_at == CLOSES + datetime.timedelta(days=30)
    assert call.title == "Appel CLOM 2027, second tour"
    assert call.slug == "clom-2027-b"
    assert call.regions == ["afrique-ouest", "maghreb"]  # in the regions' order
    assert call.members_only is False
    assert call.two_stages is True
    assert call.closes_at == CLOSES  # 17:00 in Paris
    assert call.total_budget == Decimal("120000")
    event = CallEvent.objects.get(action="call_updated")
    assert "slug" in event.detail["fields"]
    assert "two_stages" in event.detail["fields"]


# --- Strands, tiers, dossier, grid -----------------------------------------------------------


@pytest.mark.parametrize("amount", ["-5", "1e12", "0", "douze", "12,345"])
def test_absurd_tier_amounts_are_refused(amount: str) -> None:
    call = _draft()
    response = _client(programme()).post(
        reverse("calls:part_new", args=[call.slug, "paliers"]),
        {"palier-label": "Grand projet", "palier-max_amount": amount},
    )
    assert response.status_code == 400
    assert 'id="id_palier-max_amount_error"' in response.content.decode()
    assert not FundingTier.objects.exists()
    with pytest.raises(CallError) as refused:
        call_parts.tier_save(call=call, by=programme(), label="Grand projet", max_amount=amount)
    assert refused.value.code == "bad_amount"


def test_a_tier_is_an_amount_within_the_envelope() -> None:
    call = _draft()
    client = _client(programme())
    url = reverse("calls:part_new", args=[call.slug, "paliers"])
    response = client.post(url, {"palier-label": "Petit projet", "palier-max_amount": "12 500,50"})
    assert response.status_code == 302
    assert response["Location"].endswith("#paliers")
    tier = FundingTier.objects.get()
    assert tier.max_amount == Decimal("12500.50")
    over = client.post(url, {"palier-label": "Trop", "palier-max_amount": "100 000,01"})
    assert over.status_code == 400
    assert "Un palier ne dépasse pas l'enveloppe de l'appel" in _text(over)
    # The envelope does not go below its largest tier either.
    with pytest.raises(CallError) as refused:
        services.call_update(call=call, by=programme(), total_budget="10 000")
    assert refused.value.code == "bad_amount"


def test_a_criterion_weighs_from_1_to_100() -> None:
    call = _draft()
    client = _client(programme())
    response = client.post(
        reverse("calls:part_new", args=[call.slug, "criteres"]),
        {"critere-title": "Accessibilité", "critere-weight": "0", "critere-scale_max": "5"},
    )
    assert response.status_code == 400
    body = _text(response)
    assert "Le poids d'un critère va de 1 à 100." in body
    assert 'id="id_critere-weight_error"' in body
    assert call.criteria.count() == 6
    for weight, scale in ((101, 5), (10, 0), (10, 101)):
        with pytest.raises(CallError):
            call_parts.criterion_save(
                call=call, by=programme(), title="Accessibilité", weight=weight, scale_max=scale
            )
    ok = client.post(
        reverse("calls:part_new", args=[call.slug, "criteres"]),
        {"critere-title": "Accessibilité", "critere-weight": "10", "critere-scale_max": "10"},
    )
    assert ok.status_code == 302
    criterion = call.criteria.get(key="accessibilite")  # the key deduced from the title
    assert (criterion.weight, criterion.scale_max, criterion.position) == (10, 10, 6)
    # The page shows the weights' sum, which need not be 100.
    page = client.get(reverse("calls:call_edit", args=[call.slug])).content.decode()
    assert '<td class="number" id="weights-total">110</td>' in page


def test_sections_keys_are_unique_and_types_known() -> None:
    call = _draft()
    by = programme()
    client = _client(by)
    url = reverse("calls:part_new", args=[call.slug, "rubriques"])
    fields = {
        "rubrique-title": "Résumé", "rubrique-kind": "texte", "rubrique-required": "on",
        "rubrique-max_length": "800", "rubrique-max_megabytes": "5",
    }  # fmt: skip
    # « resume » is taken by the default dossier: a deduced key is numbered…
    assert client.post(url, fields).status_code == 302
    assert call.sections.filter(key="resume-2", max_length=800).exists()
    # …a key typed is refused.
    taken = client.post(url, {**fields, "rubrique-key": "resume"})
    assert taken.status_code == 400
    assert "La clé « resume » est déjà prise dans cet appel." in _text(taken)
    no_type = client.post(url, {**fields, "rubrique-kind": "piece", "rubrique-title": "CV"})
    assert no_type.status_code == 400
    assert "Cochez au moins un type de fichier accepté." in _text(no_type)
    with pytest.raises(CallError) as refused:
        call_parts.section_save(call=call, by=by, title="CV", kind="piece", accepted_types=["exe"])
    assert refused.value.code == "bad_types"
    with pytest.raises(CallError) as refused:
        call_parts.section_save(call=call, by=by, title="Lettre", stage=2)
    assert refused.value.code == "bad_stage"  # not a two-stage call
    cv = call_parts.section_save(
        call=call, by=by, title="CV des porteurs", kind="piece", accepted_types=["pdf", "odt"]
    )
    assert (cv.key, cv.accepted_types) == ("cv-des-porteurs", ["pdf", "odt"])
    # Edited through its page: the same key kept, the new limit stored.
    edit = reverse("calls:part_edit", args=[call.slug, "rubriques", cv.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "rubrique-title": "CV", "rubrique-key": "cv-des-porteurs", "rubrique-kind": "piece",
            "rubrique-accepted_types": ["pdf"], "rubrique-max_length": "5000",
            "rubrique-max_megabytes": "2",
        },
    )  # fmt: skip
    assert response.status_code == 302
    cv.refresh_from_db()
    assert (cv.title, cv.required, cv.max_bytes) == ("CV", False, 2 * 1024 * 1024)


def test_strands_are_added_edited_and_deleted() -> None:
    call = _draft()
    client = _client(programme())
    assert (
        client.post(
            reverse("calls:part_new", args=[call.slug, "volets"]),
            {"volet-title": "CLOM", "volet-description": "Un cours en ligne ouvert."},
        ).status_code
        == 302
    )
    strand = Strand.objects.get()
    assert client.post(
        reverse("calls:part_edit", args=[call.slug, "volets", strand.pk]),
        {"volet-title": "CLOM certifiant", "volet-position": "3"},
    ).status_code == 302  # fmt: skip
    strand.refresh_from_db()
    assert (strand.title, strand.position) == ("CLOM certifiant", 3)
    empty = client.post(reverse("calls:part_new", args=[call.slug, "volets"]), {"volet-title": ""})
    assert empty.status_code == 400
    assert (
        client.post(reverse("calls:part_delete", args=[call.slug, "volets", strand.pk])).status_code
        == 302
    )
    assert not Strand.objects.exists()
    assert list(
        CallEvent.objects.filter(action__startswith="strand").values_list("action", flat=True)
    ) == ["strand_added", "strand_changed", "strand_deleted"]
    # A part of another call is not found through this one.
    other = _draft(title="Autre appel")
    section = other.sections.first()
    assert section is not None
    url = reverse("calls:part_edit", args=[call.slug, "rubriques", section.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("calls:part_new", args=[call.slug, "inconnu"])).status_code == 404


# --- Publication and what it freezes ---------------------------------------------------------


def test_the_publish_button_publishes_once() -> None:
    call = _draft()
    client = _client(programme())
    url = reverse("calls:call_publish", args=[call.slug])
    assert (
        "Publier l’appel"
        in client.get(reverse("calls:call_edit", args=[call.slug])).content.decode()
    )
    assert client.post(url).status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED
    again = client.post(url)
    assert again.status_code == 400
    assert "Cet appel est déjà publié." in _text(again)
    # A call without a grid is not published.
    bare = _draft(title="Sans grille")
    bare.criteria.all().delete()
    response = client.post(reverse("calls:call_publish", args=[bare.slug]))
    assert response.status_code == 400
    assert "Un appel publié a une grille d'évaluation." in _text(response)


def test_a_published_calls_dossier_and_grid_are_frozen() -> None:
    call = published_call()
    by = programme()
    client = _client(by)
    section = call.sections.get(key="budget")
    response = client.post(reverse("calls:part_delete", args=[call.slug, "rubriques", section.pk]))
    assert response.status_code == 400
    assert "L'appel est publié : ses volets, paliers, rubriques et critères" in _text(response)
    assert DossierSection.objects.filter(pk=section.pk).exists()
    with pytest.raises(CallError) as refused:
        call_parts.section_delete(section=section, by=by)
    assert refused.value.code == "frozen"
    with pytest.raises(CallError):
        call_parts.strand_save(call=call, by=by, title="Nouveau volet")
    with pytest.raises(CallError):
        call_parts.criterion_save(call=call, by=by, title="Nouveau critère", weight=5)
    added = client.post(
        reverse("calls:part_new", args=[call.slug, "criteres"]),
        {"critere-title": "Nouveau", "critere-weight": "5", "critere-scale_max": "5"},
    )
    assert added.status_code == 400
    assert call.criteria.count() == 6


def test_a_section_files_were_attached_to_is_never_deleted() -> None:
    call = published_call()
    submitted(call)
    # Even were the call a draft again, the attachment's section is protected: a refusal.
    Call.objects.filter(pk=call.pk).update(status=CallStatus.DRAFT)
    section = call.sections.get(key="budget")
    with pytest.raises(CallError) as refused:
        call_parts.section_delete(section=section, by=programme())
    assert refused.value.code == "in_use"
    response = _client(programme()).post(
        reverse("calls:part_delete", args=[call.slug, "rubriques", section.pk])
    )
    assert response.status_code == 400
    assert "Des candidatures y ont joint des fichiers" in _text(response)
    assert DossierSection.objects.filter(pk=section.pk).exists()


def test_a_published_calls_closing_moves_later_only_and_the_extension_is_journaled() -> None:
    call = published_call()
    by = programme()
    client = _client(by)
    url = reverse("calls:call_edit", args=[call.slug])
    # Earlier: refused, nothing written.
    with pytest.raises(CallError) as refused:
        services.call_update(call=call, by=by, closes_at=CLOSES - datetime.timedelta(hours=1))
    assert refused.value.code == "closing_earlier"
    earlier = client.post(url, _edit_form(call, closes_time="16:00"))
    assert earlier.status_code == 400
    assert "sa clôture peut être reportée, pas avancée" in _text(earlier)
    call.refresh_from_db()
    assert call.closes_at == CLOSES
    assert not CallEvent.objects.filter(action__in=["call_updated", "call_extended"]).exists()
    # Later: accepted and journaled.
    later = client.post(url, _edit_form(call, closes_on="2027-04-07"), follow=True)
    assert later.status_code == 200
    call.refresh_from_db()
    assert call.closes_at == CLOSES + datetime.timedelta(days=7)
    extension = CallEvent.objects.get(action="call_extended")
    assert extension.actor == by
    assert extension.detail == {
        "previous": CLOSES.astimezone(UTC).isoformat(),
        "closes_at": (CLOSES + datetime.timedelta(days=7)).astimezone(UTC).isoformat(),
    }
    assert "soit le 7 avril 2027 à 15:00 en temps universel (UTC)" in _text(later)
    assert "clôture reportée" in _text(later)  # the journal on the page


def test_a_published_call_keeps_its_rules() -> None:
    call = published_call()
    by = programme()
    with pytest.raises(CallError) as refused:
        services.call_update(call=call, by=by, title="Autre", regions=["maghreb"])
    assert refused.value.code == "frozen"
    assert "« Intitulé », « Régions admises »" in str(refused.value.message)
    # On the page those fields are disabled: what is posted for them is ignored.
    response = _client(by).post(
        reverse("calls:call_edit", args=[call.slug]),
        _edit_form(
            call, title="Autre", regions=["maghreb"], description="Présentation revue.",
            reviewers_per_application="4", normalise_scores="on",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.title, call.regions) == ("Appel CLOM 2027", [])
    assert call.description == "Présentation revue."
    assert (call.reviewers_per_application, call.normalise_scores) == (4, True)


def test_an_open_call_is_not_archived_and_an_archived_call_no_longer_changes() -> None:
    now = timezone.now()
    open_call = published_call(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=20),
        review_ends_at=now + datetime.timedelta(days=60),
        results_on=(now + datetime.timedelta(days=90)).date(),
    )  # fmt: skip
    client = _client(programme())
    refused = client.post(reverse("calls:call_archive", args=[open_call.slug]))
    assert refused.status_code == 400
    assert "L'appel est ouvert aux candidatures" in _text(refused)
    call = published_call(title="Appel à venir")
    assert client.post(reverse("calls:call_archive", args=[call.slug])).status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.ARCHIVED
    response = client.post(reverse("calls:call_edit", args=[call.slug]), _edit_form(call))
    assert response.status_code == 400
    assert "Un appel archivé ne se modifie plus." in _text(response)


# --- Slugs -----------------------------------------------------------------------------------


def test_the_slug_programme_is_refused() -> None:
    by = programme()
    response = _client(by).post(reverse("calls:call_new"), _form(slug="programme"))
    assert response.status_code == 400
    assert "« programme » est le nom d'une page du site" in _text(response)
    assert not Call.objects.exists()
    with pytest.raises(CallError) as refused:
        _draft(slug="programme")
    assert refused.value.code == "bad_slug"
    # A title that would make it gets another one; an update may not take it either.
    call = _draft(title="Programme")
    assert call.slug == "programme-2"
    with pytest.raises(CallError):
        services.call_update(call=call, by=by, slug="candidatures")
    assert resolve("/appels/programme/").url_name == "programme_list"


def test_every_literal_first_segment_of_the_calls_paths_is_reserved() -> None:
    segments = {str(p.pattern).split("/", 1)[0] for p in urls.urlpatterns}
    literal = {s for s in segments if s and not s.startswith("<")}
    assert literal <= services.RESERVED_SLUGS


# --- The programme's list --------------------------------------------------------------------


def test_the_programme_list_counts_submitted_applications_in_constant_queries(
    django_assert_max_num_queries: Any,
) -> None:
    client = _client(programme())
    url = reverse("calls:programme_list")
    _draft(title="Brouillon 1")
    published_call(title="Publié 1")
    client.get(url)  # the session, once
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    busy = published_call(title="Publié 2")
    submitted(busy)
    submitted(busy, title="CLOM de santé publique")
    _draft(title="Brouillon 2")
    _draft(title="Brouillon 3")
    published_call(title="Publié 3")
    assert Call.objects.count() == 6
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(url)
    body = response.content.decode()
    assert "Brouillon 3" in body
    assert '<td class="number">2</td>' in body  # Publié 2's submitted applications
    assert "en préparation" in body


def test_a_submitted_application_is_counted_on_the_calls_page() -> None:
    call = published_call()
    application = submitted(call)
    assert application.submitted_at == DURING
    body = _client(programme()).get(reverse("calls:call_edit", args=[call.slug])).content
    assert "<dt>Candidatures déposées</dt><dd>1</dd>" in body.decode()


def test_a_closing_already_passed_is_not_moved_again() -> None:
    """Before: a passed closing could be pushed later, reopening a call under review."""
    call = published_call()
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(days=1)
    )
    call.refresh_from_db()
    with pytest.raises(CallError) as refused:
        services.call_update(call=call, by=programme(), closes_at=now + datetime.timedelta(days=5))
    assert refused.value.code == "closing_earlier"
    call.refresh_from_db()
    assert call.closes_at < now
