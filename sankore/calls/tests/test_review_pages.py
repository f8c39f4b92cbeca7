"""The reviewers' pages: a reviewer sees the call's applications but those they are conflicted
with, never another reviewer's name, bids and declares conflicts, and reviews only what was
assigned to them and validated; everyone else gets a 404."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.calls import reviewing
from sankore.calls.models import (
    Application,
    Bid,
    Call,
    CallReviewer,
    ConflictDeclaration,
    Review,
    ReviewAssignment,
    ReviewStatus,
)
from sankore.calls.tests.builders import panel_member, programme, published_call, south, submitted

pytestmark = pytest.mark.django_db

FULL = {
    "score-pertinence": "4", "score-qualite-pedagogique": "5", "score-co-construction": "3",
    "score-faisabilite": "4", "score-modele-economique": "2", "score-rayonnement": "5",
}  # fmt: skip


def _closed_yesterday(call: Call) -> Call:
    """Move a call whose applications were submitted (in 2027, the builders' dates) to one
    that closed yesterday, its review period running for three more weeks."""
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        opens_at=now - datetime.timedelta(days=60), closes_at=now - datetime.timedelta(days=1),
        review_ends_at=now + datetime.timedelta(days=21),
    )  # fmt: skip
    call.refresh_from_db()
    return call


@pytest.fixture
def scene() -> dict[str, Any]:
    call = published_call(title="Appel CLOM 2027")
    lead = south(name="Université de Lomé")
    own = submitted(call, lead=lead, title="Projet de Lomé")
    other = submitted(call, title="Projet de Cotonou")
    colleague = panel_member(call, institution=lead, full_name="Kossi Agbeko")
    outsider = panel_member(call, full_name="Hugues Lemaire-Tchouta")
    _closed_yesterday(call)
    return {"call": call, "own": own, "other": other, "colleague": colleague,
            "outsider": outsider}  # fmt: skip


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _assigned(application: Application, reviewer: CallReviewer) -> ReviewAssignment:
    staff = programme()
    assignment = reviewing.assignment_add(application=application, reviewer=reviewer, by=staff)
    reviewing.assignment_confirm(call=reviewer.call, by=staff)
    assignment.refresh_from_db()
    return assignment


def test_a_reviewer_never_sees_a_conflicted_application_nor_another_reviewer(
    scene: dict[str, Any],
) -> None:
    colleague = _signed_in(scene["colleague"].expert.user)
    page = colleague.get(reverse("calls:expertise", args=[scene["call"].slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Projet de Cotonou" in text
    assert "Projet de Lomé" not in text
    assert "1 candidature ne vous est pas montrée" in text
    assert "Hugues Lemaire-Tchouta" not in text
    home = colleague.get(reverse("calls:reviewer_home"))
    assert "Appel CLOM 2027" in home.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "learner", "lead_staff", "programme"])
def test_the_expertise_pages_are_only_for_the_panel(scene: dict[str, Any], who: str) -> None:
    client = Client()
    if who == "learner":
        client.force_login(UserFactory())
    elif who == "lead_staff":
        client.force_login(scene["own"].created_by)
    elif who == "programme":
        client.force_login(programme())
    assignment = _assigned(scene["other"], scene["outsider"])
    urls = [
        reverse("calls:expertise", args=[scene["call"].slug]),
        reverse("calls:review", args=[assignment.pk]),
    ]
    for url in urls:
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code == 404, url
    posted = client.post(
        reverse("calls:bids_save", args=[scene["call"].slug]), {f"bid-{scene['other'].pk}": "oui"}
    )
    assert posted.status_code in (302, 404)
    assert not Bid.objects.exists()


def test_bids_are_saved_and_a_crafted_bid_on_a_conflicted_application_is_refused(
    scene: dict[str, Any],
) -> None:
    reviewer = scene["colleague"]
    client = _signed_in(reviewer.expert.user)
    url = reverse("calls:bids_save", args=[scene["call"].slug])
    client.post(url, {f"bid-{scene['other'].pk}": "oui"})
    assert list(Bid.objects.values_list("application_id", "value")) == [(scene["other"].pk, "oui")]
    refused = client.post(url, {f"bid-{scene['own'].pk}": "oui"}, follow=True)
    assert "Vous êtes en conflit d'intérêts" in html.unescape(refused.content.decode())
    assert list(Bid.objects.values_list("application_id", flat=True)) == [scene["other"].pk]


def test_a_declared_conflict_takes_the_application_out_of_the_reviewers_page(
    scene: dict[str, Any],
) -> None:
    reviewer = scene["outsider"]
    client = _signed_in(reviewer.expert.user)
    url = reverse("calls:conflict_declare", args=[scene["call"].slug, scene["other"].pk])
    empty = client.post(url, {"reason": " "}, follow=True)
    assert "Décrivez le lien en quelques mots." in empty.content.decode()
    assert not ConflictDeclaration.objects.exists()
    client.post(url, {"reason": "Ancien collègue du porteur."})
    page = client.get(reverse("calls:expertise", args=[scene["call"].slug])).content.decode()
    assert "Projet de Cotonou" not in page
    assert "Projet de Lomé" in page


def test_a_review_is_only_reached_by_its_reviewer_once_validated(scene: dict[str, Any]) -> None:
    staff = programme()
    proposed = reviewing.assignment_add(
        application=scene["other"], reviewer=scene["outsider"], by=staff
    )
    mine = _signed_in(scene["outsider"].expert.user)
    assert mine.get(reverse("calls:review", args=[proposed.pk])).status_code == 404
    reviewing.assignment_confirm(call=scene["call"], by=staff)
    page = mine.get(reverse("calls:review", args=[proposed.pk]))
    assert page.status_code == 200
    assert "Projet de Cotonou" in page.content.decode()
    other_reviewer = _signed_in(scene["colleague"].expert.user)
    assert other_reviewer.get(reverse("calls:review", args=[proposed.pk])).status_code == 404


def test_the_review_form_saves_refuses_an_incomplete_hand_in_then_hands_in(
    scene: dict[str, Any],
) -> None:
    assignment = _assigned(scene["other"], scene["outsider"])
    client = _signed_in(scene["outsider"].expert.user)
    url = reverse("calls:review", args=[assignment.pk])
    saved = client.post(url, {"score-pertinence": "4", "action": "enregistrer",
                              "comment_to_applicant": "", "comment_to_committee": ""})  # fmt: skip
    assert saved.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert (review.status, review.scores) == (ReviewStatus.DRAFT, {"pertinence": 4})
    incomplete = client.post(url, {"score-pertinence": "5", "action": "remettre",
                                   "comment_to_applicant": "Bien."})  # fmt: skip
    assert incomplete.status_code == 400
    assert "Notez chaque critère" in incomplete.content.decode()
    review.refresh_from_db()
    assert (review.status, review.scores) == (ReviewStatus.DRAFT, {"pertinence": 4})
    done = client.post(url, {**FULL, "action": "remettre", "comment_to_applicant": "Solide.",
                             "comment_to_committee": "À financer."})  # fmt: skip
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    page = client.get(url).content.decode()
    # (4·20 + 5·25 + 3·15 + 4·15 + 2·15 + 5·10) / 5 = 78
    assert "78,00 / 100" in page


def test_the_applicant_never_reads_a_reviewers_name(scene: dict[str, Any]) -> None:
    assignment = _assigned(scene["own"], scene["outsider"])
    reviewing.review_save(
        assignment=assignment, by=scene["outsider"].expert.user,
        scores={key.removeprefix("score-"): int(v) for key, v in FULL.items()},
        comment_to_applicant="Solide.", comment_to_committee="Confidentiel.", submit=True,
    )  # fmt: skip
    lead = _signed_in(scene["own"].created_by)
    page = lead.get(scene["own"].get_absolute_url()).content.decode()
    assert "Projet de Lomé" in page
    for secret in ("Hugues Lemaire-Tchouta", scene["outsider"].expert.user.email, "Confidentiel."):
        assert secret not in page


def test_a_crafted_non_ascii_digit_in_a_bid_is_ignored_not_a_500(scene: dict[str, Any]) -> None:
    client = _signed_in(scene["outsider"].expert.user)
    response = client.post(
        reverse("calls:bids_save", args=[scene["call"].slug]), {"bid-²": "oui", "bid-9" * 3: "oui"}
    )
    assert response.status_code == 302
    assert not Bid.objects.exists()


def test_a_partner_that_declined_no_longer_reads_the_dossier(scene: dict[str, Any]) -> None:
    from sankore.calls.models import ApplicationPartner, PartnerStatus
    from sankore.calls.tests.builders import north, staff

    bordeaux = north()
    ApplicationPartner.objects.create(
        application=scene["own"], institution=bordeaux, role="Studio",
        status=PartnerStatus.DECLINED,
    )  # fmt: skip
    assert _signed_in(staff(bordeaux)).get(scene["own"].get_absolute_url()).status_code == 404


def test_a_dossier_file_is_read_by_its_people_and_its_reviewers_only(
    scene: dict[str, Any],
) -> None:
    from sankore.calls.models import ApplicationPartner, Attachment, PartnerStatus
    from sankore.calls.tests.builders import PDF, north, staff

    application = scene["other"]
    attachment = Attachment.objects.get(application=application)
    url = reverse("calls:attachment", args=[attachment.pk])
    declined = north()
    ApplicationPartner.objects.create(
        application=application, institution=declined, role="—", status=PartnerStatus.DECLINED
    )
    proposed = reviewing.assignment_add(
        application=application, reviewer=scene["outsider"], by=programme()
    )
    # Proposed only: the reviewer does not read the file yet; others never do.
    for person in (scene["outsider"].expert.user, scene["colleague"].expert.user,
                   UserFactory(), staff(declined), scene["own"].created_by):  # fmt: skip
        assert _signed_in(person).get(url).status_code == 404
    reviewing.assignment_confirm(call=scene["call"], by=programme())
    proposed.refresh_from_db()
    for person in (scene["outsider"].expert.user, application.created_by, programme()):
        response = _signed_in(person).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert Client().get(url).status_code == 302
