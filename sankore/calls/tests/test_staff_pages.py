"""Programme staff's pages of a call: who may open them (a 404 for everyone else, exports
included), the panel and the assignment (never a conflicted reviewer offered), the ranking
with figures computed by hand, the decisions, the publication and its e-mails (anonymised),
the exports (CSV, PDF), the public results and the applicant's feedback — and queries that do
not grow with the number of applications."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.calls import committee, reviewing
from sankore.calls.models import (
    Application,
    AssignmentState,
    Call,
    CallReviewer,
    Decision,
    DecisionValue,
    Expert,
    ReviewAssignment,
)
from sankore.calls.tests.builders import (
    AFTER,
    north,
    panel_member,
    programme,
    published_call,
    south,
    staff,
    submitted,
)
from sankore.catalog.tests.factories import CourseFactory
from sankore.partnerships.tests.factories import proposal

pytestmark = pytest.mark.django_db

KEYS = (
    "pertinence", "qualite-pedagogique", "co-construction", "faisabilite",
    "modele-economique", "rayonnement",
)  # fmt: skip
# 20×4 + 25×5 + 15×3 + 15×4 + 15×2 + 10×5 = 390 points out of 500: 78 / 100.
FULL = dict(zip(KEYS, (4, 5, 3, 4, 2, 5), strict=True))
NBSP = "\xa0"


def _all(score: int) -> dict[str, int]:
    """Every criterion at ``score`` out of 5: ``score`` × 20 out of 100."""
    return dict.fromkeys(KEYS, score)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _closed_call(**fields: Any) -> Call:
    """A call closed two days ago, whose review period runs for another month."""
    now = timezone.now()
    values: dict[str, Any] = {
        "opens_at": now - datetime.timedelta(days=60),
        "closes_at": now - datetime.timedelta(days=2),
        "review_ends_at": now + datetime.timedelta(days=30),
        "results_on": (now + datetime.timedelta(days=40)).date(),
    }
    values.update(fields)
    return published_call(**values)


def _application(call: Call, **fields: Any) -> Application:
    return submitted(call, when=call.closes_at - datetime.timedelta(days=10), **fields)


def _reviewed(
    application: Application,
    reviewer: CallReviewer,
    scores: dict[str, int],
    *,
    to_applicant: str = "Projet solide.",
    to_committee: str = "",
) -> ReviewAssignment:
    by = programme()
    assignment = reviewing.assignment_add(application=application, reviewer=reviewer, by=by)
    reviewing.assignment_confirm(call=application.call, by=by)
    reviewing.review_save(
        assignment=assignment, by=reviewer.expert.user, scores=scores,
        comment_to_applicant=to_applicant, comment_to_committee=to_committee, submit=True,
    )  # fmt: skip
    assignment.refresh_from_db()
    return assignment


def _select_options(body: str, select_id: str) -> list[int]:
    match = re.search(rf'<select[^>]* id="{select_id}"[^>]*>(.*?)</select>', body, re.DOTALL)
    assert match is not None, select_id
    return [int(value) for value in re.findall(r'<option value="(\d+)"', match.group(1))]


def _row(body: str, application: Application) -> str:
    match = re.search(rf'<tr id="row-{application.pk}">(.*?)</tr>', body, re.DOTALL)
    assert match is not None
    return match.group(1)


def _staff_urls(call: Call, application: Application, assignment: ReviewAssignment) -> dict:
    slug = call.slug
    return {
        "get": [
            reverse("calls:manage", args=[slug]),
            reverse("calls:ranking", args=[slug]),
            reverse("calls:ranking_pdf", args=[slug]),
            reverse("calls:export_applications", args=[slug]),
            reverse("calls:export_reviews", args=[slug]),
            reverse("calls:decide", args=[application.pk]),
        ],
        "post": [
            reverse("calls:panel_add", args=[slug]),
            reverse("calls:assignment_propose", args=[slug]),
            reverse("calls:assignment_add", args=[slug]),
            reverse("calls:assignment_remove", args=[slug, assignment.pk]),
            reverse("calls:assignment_confirm", args=[slug]),
            reverse("calls:results_publish", args=[slug]),
            reverse("calls:decide", args=[application.pk]),
        ],
    }


def test_only_programme_staff_open_the_staff_pages_everyone_else_gets_a_404() -> None:
    call = _closed_call()
    lead = south()
    application = _application(call, lead=lead)
    reviewer = panel_member(call)
    other = panel_member(call)
    assignment = reviewing.assignment_add(
        application=application, reviewer=reviewer, by=programme()
    )
    urls = _staff_urls(call, application, assignment)
    posted = {
        "application": application.pk, "reviewer": other.pk, "action": "decider",
        "value": "retenu", "motivation": "Excellent.", "expert": reviewer.expert.pk,
    }  # fmt: skip

    anonymous = Client()
    for url in urls["get"]:
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    for url in urls["post"]:
        response = anonymous.post(url, posted)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url

    for person in (UserFactory(), staff(lead), reviewer.expert.user):
        client = _client(person)
        for url in urls["get"]:
            assert client.get(url).status_code == 404, url
        for url in urls["post"]:
            assert client.post(url, posted).status_code == 404, url
    # Nothing was written by the refused requests.
    assert list(ReviewAssignment.objects.values_list("pk", "state")) == [
        (assignment.pk, AssignmentState.PROPOSED)
    ]
    assert not Decision.objects.exists()
    assert CallReviewer.objects.filter(call=call).count() == 2
    call.refresh_from_db()
    assert call.results_published_at is None

    client = _client(programme())
    for url in urls["get"]:
        response = client.get(url)
        assert response.status_code == 200, url
    # The public results page is nobody's before the publication, staff's included.
    assert client.get(reverse("calls:results", args=[call.slug])).status_code == 404


def test_the_call_page_links_staff_to_the_management() -> None:
    call = _closed_call()
    manage = reverse("calls:manage", args=[call.slug])
    assert manage in _client(programme()).get(call.get_absolute_url()).content.decode()
    assert manage not in _client(UserFactory()).get(call.get_absolute_url()).content.decode()
    assert manage not in Client().get(call.get_absolute_url()).content.decode()


def test_the_manage_page_never_offers_a_conflicted_reviewer() -> None:
    call = _closed_call()
    ouaga, bordeaux = south(), north()
    application = _application(call, lead=ouaga, partners=(bordeaux,), title="Avec Bordeaux")
    elsewhere = _application(call, title="Ailleurs")
    from_lead = panel_member(call, institution=ouaga)
    from_partner = panel_member(call, institution=bordeaux)
    linked = panel_member(call, linked=(ouaga,))
    declared = panel_member(call)
    reviewing.conflict_declare(
        reviewer=declared, application=application, reason="J'ai codirigé ce projet.",
        by=declared.expert.user,
    )  # fmt: skip
    free = panel_member(call)
    full = panel_member(call, max_load=1)
    reviewing.assignment_add(application=elsewhere, reviewer=full, by=programme())

    body = _client(programme()).get(reverse("calls:manage", args=[call.slug])).content.decode()

    assert _select_options(body, f"add-reviewer-{application.pk}") == [free.pk]
    # On the other application, only the reviewer already on it and the one without any
    # spare load are left out.
    assert _select_options(body, f"add-reviewer-{elsewhere.pk}") == [
        from_lead.pk, from_partner.pk, linked.pk, declared.pk, free.pk,
    ]  # fmt: skip
    assert 'id="submitted-count">2<' in body
    assert 'id="panel-size">6<' in body
    assert "Ajoutée par l&#x27;équipe du programme (0)" in body


def test_staff_propose_then_validate_the_assignment_through_the_page() -> None:
    call = _closed_call()
    applications = [_application(call, title=f"Projet {n}") for n in range(3)]
    for _n in range(3):
        panel_member(call, max_load=4)
    client = _client(programme())

    response = client.post(reverse("calls:assignment_propose", args=[call.slug]), follow=True)
    assert response.status_code == 200
    pairs = ReviewAssignment.objects.filter(application__call=call)
    assert pairs.count() == 6
    assert set(pairs.values_list("state", flat=True)) == {AssignmentState.PROPOSED}
    body = response.content.decode()
    assert "Affectation proposée : 6 paire(s) nouvelle(s), 0 conservée(s)." in body
    assert "Valider l’affectation (6 paires proposées)" in body
    assert 'id="shortfalls"' not in body

    response = client.post(reverse("calls:assignment_confirm", args=[call.slug]), follow=True)
    assert "6 paires validées" in response.content.decode()
    assert set(pairs.values_list("state", flat=True)) == {AssignmentState.CONFIRMED}
    for application in applications:
        assert pairs.filter(application=application).count() == 2


def test_the_manage_page_shows_why_an_application_is_short() -> None:
    call = _closed_call()
    lead = south()
    application = _application(call, lead=lead, title="Sans experts")
    panel_member(call, institution=lead)
    panel_member(call)
    client = _client(programme())

    response = client.post(reverse("calls:assignment_propose", args=[call.slug]), follow=True)

    body = response.content.decode()
    assert "1 candidature n’a pas tous ses experts" in body
    shortfalls = re.search(r'<div class="panel" id="shortfalls">(.*?)</div>', body, re.DOTALL)
    assert shortfalls is not None
    assert application.title in shortfalls.group(1)
    assert "1 expert(s) sur 2" in shortfalls.group(1)
    assert "Seul 1 expert sans conflit disponible" in shortfalls.group(1)


def test_a_reviewed_pair_is_not_removed_and_staff_are_told_why() -> None:
    call = _closed_call()
    application = _application(call)
    reviewed = _reviewed(application, panel_member(call), FULL)
    pending = reviewing.assignment_add(
        application=application, reviewer=panel_member(call), by=programme()
    )
    client = _client(programme())

    response = client.post(
        reverse("calls:assignment_remove", args=[call.slug, reviewed.pk]), follow=True
    )
    assert response.status_code == 200
    assert "L&#x27;évaluation est remise : l&#x27;affectation reste." in response.content.decode()
    reviewed.refresh_from_db()
    assert reviewed.state == AssignmentState.CONFIRMED

    client.post(reverse("calls:assignment_remove", args=[call.slug, pending.pk]))
    pending.refresh_from_db()
    assert pending.state == AssignmentState.REMOVED


def test_staff_add_an_expert_to_the_panel_and_a_pair_by_hand() -> None:
    call = _closed_call()
    application = _application(call)
    person = UserFactory(email="nouvelle.experte@example.org")
    expert = reviewing.expert_save(user=person, by=programme(), institution=None, max_load=5)
    client = _client(programme())
    body = client.get(reverse("calls:manage", args=[call.slug])).content.decode()
    assert "nouvelle.experte@example.org" in body

    client.post(reverse("calls:panel_add", args=[call.slug]), {"expert": expert.pk})
    reviewer = CallReviewer.objects.get(call=call, expert=expert)
    assert reviewer.max_load == 5
    # Twice is refused by the form: the expert is no longer offered.
    response = client.post(reverse("calls:panel_add", args=[call.slug]), {"expert": expert.pk})
    assert response.status_code == 400
    assert CallReviewer.objects.filter(call=call).count() == 1

    client.post(
        reverse("calls:assignment_add", args=[call.slug]),
        {"application": application.pk, "reviewer": reviewer.pk},
    )
    pair = ReviewAssignment.objects.get(application=application)
    assert (pair.reviewer_id, pair.state, pair.manual) == (
        reviewer.pk, AssignmentState.PROPOSED, True,
    )  # fmt: skip
    response = client.post(
        reverse("calls:assignment_add", args=[call.slug]),
        {"application": application.pk, "reviewer": reviewer.pk},
        follow=True,
    )
    assert "Cet expert évalue déjà cette candidature." in response.content.decode()


def _ranked_call() -> dict[str, Any]:
    """Four applications scored by hand (budget 100 000):
    « Cent » 100 and 100 → 100,00; « Désaccord » 78 and 100 → 89,00, spread 22 > 15;
    « Soixante » 60 and 60 → 60,00; « Sans note », one review expected, none handed in."""
    call = _closed_call(total_budget=Decimal("100000"))
    first = panel_member(call, full_name="Awa Ndiaye", email="awa@example.org")
    second = panel_member(call, full_name="Jean Dupuis", email="jean@example.org")
    third = panel_member(call, full_name="Lina Haddad", email="lina@example.org")
    cent = _application(
        call, title="Cent", amount="30 000", partners=(north(name="Université de Liège"),)
    )
    split = _application(call, title="Désaccord", amount="40 000")
    sixty = _application(call, title="Soixante", amount="50 000")
    unscored = _application(call, title="Sans note", amount="10 000")
    _reviewed(cent, first, _all(5))
    _reviewed(cent, second, _all(5))
    _reviewed(
        split, first, FULL, to_applicant="Le plan de diffusion est trop vague.",
        to_committee="Confidentiel : l'équipe me semble trop petite.",
    )  # fmt: skip
    _reviewed(split, second, _all(5), to_applicant="Très bonne co-construction.")
    _reviewed(sixty, first, _all(3))
    _reviewed(sixty, second, _all(3))
    by = programme()
    reviewing.assignment_add(application=unscored, reviewer=third, by=by)
    reviewing.assignment_confirm(call=call, by=by)
    return {
        "call": call, "cent": cent, "split": split, "sixty": sixty, "unscored": unscored,
        "first": first, "second": second,
    }  # fmt: skip


def test_the_ranking_page_shows_the_scores_computed_by_hand() -> None:
    data = _ranked_call()
    call = data["call"]
    body = _client(programme()).get(reverse("calls:ranking", args=[call.slug])).content.decode()

    table = body[body.index('<table id="ranking">') :]
    titles = [data[key].title for key in ("cent", "split", "sixty", "unscored")]
    positions = [table.index(f">{title}</a>") for title in titles]
    assert positions == sorted(positions)

    cent, split, sixty = (_row(body, data[key]) for key in ("cent", "split", "sixty"))
    unscored = _row(body, data["unscored"])
    assert '<td class="number">1</td>' in cent
    assert '<td class="number">100,00</td>' in cent
    assert f'<td class="number">30{NBSP}000,00</td>' in cent
    assert "désaccord" not in cent
    assert '<td class="number">2</td>' in split
    assert '<td class="number">89,00</td>' in split
    assert "Awa Ndiaye : 78,00" in split
    assert "Jean Dupuis : 100,00" in split
    assert "2 / 2" in split
    assert "22,00" in split
    assert '<span class="badge badge-a-venir">désaccord</span>' in split
    assert f'<td class="number">70{NBSP}000,00</td>' in split
    assert '<td class="number">60,00</td>' in sixty
    assert f'<td class="number">120{NBSP}000,00</td>' in sixty
    assert "<td>non</td>" in sixty
    assert "<td>oui</td>" in split
    assert "0 / 1" in unscored
    assert '<td class="number">—</td>' in unscored

    assert f'id="budget">100{NBSP}000,00 EUR<' in body
    assert f'id="funded">70{NBSP}000,00 EUR<' in body
    assert f'id="remaining">30{NBSP}000,00 EUR<' in body
    assert 'id="reviews-missing">1<' in body
    assert "brutes" in body

    normalised = _client(programme()).get(
        reverse("calls:ranking", args=[call.slug]) + "?normalisation=1"
    )
    assert "normalisées par expert" in normalised.content.decode()


def test_a_decision_needs_a_motivation_then_is_recorded() -> None:
    data = _ranked_call()
    application = data["split"]
    client = _client(programme())
    url = reverse("calls:decide", args=[application.pk])

    page = client.get(url).content.decode()
    assert "Awa Ndiaye" in page
    assert "Confidentiel : l&#x27;équipe me semble trop petite." in page
    assert "Le plan de diffusion est trop vague." in page

    response = client.post(url, {"action": "decider", "value": "retenu", "motivation": "  "})
    assert response.status_code == 400
    assert not Decision.objects.exists()
    response = client.post(
        url,
        {"action": "decider", "value": "retenu", "motivation": "Ok.", "granted_amount": "50 000"},
    )
    assert response.status_code == 400
    assert "Le montant accordé dépasse le montant demandé." in response.content.decode()
    assert not Decision.objects.exists()

    response = client.post(
        url,
        {"action": "decider", "value": "retenu", "motivation": "Projet structurant.",
         "granted_amount": "35 000,50"},
    )  # fmt: skip
    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert (decision.value, decision.motivation, decision.granted_amount) == (
        DecisionValue.SELECTED, "Projet structurant.", Decimal("35000.50"),
    )  # fmt: skip
    ranking = client.get(reverse("calls:ranking", args=[data["call"].slug])).content.decode()
    assert "retenu</span>" in _row(ranking, application)


def test_a_selected_project_is_linked_to_its_partnership_and_course() -> None:
    call = _closed_call()
    lead = south()
    application = _application(call, lead=lead)
    committee.decision_record(
        application=application, value="retenu", motivation="Oui.", by=programme()
    )
    partnership, _asking, _asked = proposal(proposer=lead)
    course = CourseFactory(owners=[lead])
    CourseFactory(owners=[north()], title="Cours d'un autre")
    client = _client(programme())
    url = reverse("calls:decide", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Cours d&#x27;un autre" not in page
    assert "Cours d'un autre" not in page

    response = client.post(
        url, {"action": "lier", "partnership": partnership.pk, "course": course.pk}
    )
    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert (decision.partnership_id, decision.course_id) == (partnership.pk, course.pk)


def test_publishing_waits_for_every_decision_then_mails_the_anonymised_reviews(
    mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    data = _ranked_call()
    call = data["call"]
    client = _client(programme())
    publish = reverse("calls:results_publish", args=[call.slug])
    committee.decision_record(
        application=data["split"], value="retenu", motivation="Projet structurant.",
        by=programme(),
    )  # fmt: skip

    response = client.post(publish, follow=True)
    assert "3 candidature(s) attendent encore leur décision." in response.content.decode()
    call.refresh_from_db()
    assert call.results_published_at is None
    assert not Decision.objects.filter(notified_at__isnull=False).exists()

    for key, value in (("cent", "retenu"), ("sixty", "non-retenu"), ("unscored", "liste-attente")):
        committee.decision_record(
            application=data[key], value=value, motivation=f"Motif {key}.", by=programme()
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish, follow=True)
    assert "Résultats publiés : 4 candidats prévenus par courriel." in response.content.decode()
    call.refresh_from_db()
    assert call.results_published_at is not None

    split = data["split"]
    mails = [m for m in mailoutbox if m.to == [split.created_by.email]]
    assert len(mails) == 1
    body = mails[0].body
    assert "Expert 1" in body
    assert "Expert 2" in body
    assert "Le plan de diffusion est trop vague." in body
    assert "Projet structurant." in body
    for secret in ("Awa Ndiaye", "awa@example.org", "Jean Dupuis", "jean@example.org",
                   "Confidentiel", "trop petite"):  # fmt: skip
        assert secret not in body
        assert all(secret not in m.body for m in mailoutbox)


def test_the_public_results_list_the_selected_projects_only_without_scores() -> None:
    data = _ranked_call()
    call = data["call"]
    url = reverse("calls:results", args=[call.slug])
    assert Client().get(url).status_code == 404
    by = programme()
    for key, value in (
        ("cent", "retenu"), ("split", "retenu"), ("sixty", "non-retenu"),
        ("unscored", "liste-attente"),
    ):  # fmt: skip
        committee.decision_record(
            application=data[key], value=value, motivation=f"Motif {key}.", by=by,
            granted_amount="25 000" if key == "split" else None,
        )  # fmt: skip
    assert "voir les projets retenus" not in Client().get(call.get_absolute_url()).content.decode()
    committee.results_publish(call=call, by=by)

    response = Client().get(url)
    assert response.status_code == 200
    body = response.content.decode()
    projects = re.findall(r'<th scope="row">([^<]*)</th>', body)
    assert projects == ["Cent", "Désaccord"]  # by title: no order that would hint at a score
    assert "Soixante" not in body
    assert "Sans note" not in body
    assert f"25{NBSP}000,00" in body
    assert f"30{NBSP}000,00" in body
    assert "Université de Liège" in body
    for secret in ("100,00", "89,00", "/ 100", "Awa Ndiaye", "Jean Dupuis", "Motif"):
        assert secret not in body
    assert "voir les projets retenus" in Client().get(call.get_absolute_url()).content.decode()


def test_the_applicant_reads_the_decision_and_anonymised_reviews_once_notified() -> None:
    data = _ranked_call()
    call, split = data["call"], data["split"]
    applicant = _client(split.created_by)
    url = split.get_absolute_url()
    by = programme()
    for key in ("cent", "split", "sixty", "unscored"):
        committee.decision_record(
            application=data[key], value="retenu", motivation=f"Motif {key}.", by=by
        )
    assert "Décision du comité" not in applicant.get(url).content.decode()

    committee.results_publish(call=call, by=by)

    body = applicant.get(url).content.decode()
    assert "Décision du comité" in body
    assert "Motif split." in body
    assert "Expert 1" in body
    assert "Expert 2" in body
    assert "Le plan de diffusion est trop vague." in body
    assert f"40{NBSP}000,00 EUR" in body
    for secret in ("Awa Ndiaye", "awa@example.org", "Jean Dupuis", "Confidentiel"):
        assert secret not in body


def test_the_exports_are_spreadsheet_ready_and_guarded_against_formulas() -> None:
    call = _closed_call()
    application = _application(call, title="=cmd|' /C calc'!A0")
    _reviewed(
        application, panel_member(call, full_name="Awa Ndiaye"), FULL,
        to_applicant="@SUM(A1:A9)", to_committee="+33 6 00 00 00 00",
    )  # fmt: skip
    client = _client(programme())

    response = client.get(reverse("calls:export_applications", args=[call.slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffAccusé de réception;Titre;")
    lines = text.splitlines()
    assert len(lines) == 2
    assert ";'=cmd|' /C calc'!A0;" in lines[1]
    assert ";78,00;1;0,00;non;" in lines[1]

    response = client.get(reverse("calls:export_reviews", args=[call.slug]))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffAccusé de réception;Candidature;Expert;")
    row = text.splitlines()[1]
    assert "'=cmd|' /C calc'!A0" in row
    assert ";Awa Ndiaye;" in row
    assert ";4;5;3;4;2;5;78,00;'@SUM(A1:A9);'+33 6 00 00 00 00;" in row


def test_the_ranking_pdf_is_a_pdf() -> None:
    data = _ranked_call()
    response = _client(programme()).get(reverse("calls:ranking_pdf", args=[data["call"].slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- Queries that do not grow with the number of applications -------------------------------


def _call_of(size: int) -> Call:
    """``size`` applications, each with two reviewers (one review handed in), every other
    one decided; a panel of three."""
    call = _closed_call()
    reviewers = [panel_member(call, max_load=20) for _ in range(3)]
    by = programme()
    for n in range(size):
        application = _application(call, title=f"Projet {n}", partners=(north(),))
        _reviewed(application, reviewers[n % 3], FULL)
        reviewing.assignment_add(application=application, reviewer=reviewers[(n + 1) % 3], by=by)
        if n % 2:
            committee.decision_record(
                application=application, value="retenu", motivation="Oui.", by=by
            )
    return call


# The bounds are the queries of the 2-application call: the 8-application one must stay in them.
BOUNDS = {"manage": 16, "ranking": 10, "export_applications": 9, "export_reviews": 6}


@pytest.mark.parametrize("size", [2, 8])
def test_the_staff_pages_cost_the_same_queries_whatever_the_number_of_applications(
    size: int, django_assert_max_num_queries: Any
) -> None:
    call = _call_of(size)
    assert Application.objects.filter(call=call).count() == size
    client = _client(programme())
    for name, bound in BOUNDS.items():
        url = reverse(f"calls:{name}", args=[call.slug])
        with django_assert_max_num_queries(bound):
            response = client.get(url)
            if response.streaming:
                content = b"".join(response.streaming_content)
            else:
                content = response.content
        assert response.status_code == 200
        assert content.count(b"Projet ") >= size


def test_experts_are_offered_by_email_only_when_active_and_not_yet_on_the_panel() -> None:
    call = _closed_call()
    on_panel = panel_member(call, email="deja@example.org")
    retired = reviewing.expert_save(
        user=UserFactory(email="retraite@example.org"), by=programme(), institution=None,
        active=False,
    )  # fmt: skip
    ready = reviewing.expert_save(
        user=UserFactory(email="prete@example.org"), by=programme(), institution=None
    )
    body = _client(programme()).get(reverse("calls:manage", args=[call.slug])).content.decode()
    assert _select_options(body, "id_expert") == [ready.pk]
    assert Expert.objects.filter(pk__in=[on_panel.expert_id, retired.pk]).count() == 2


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_ranking_figures_read_as_floatformat_writes_them(language: str) -> None:
    from django.template import Context, Template
    from django.utils import translation

    from sankore.calls.staff_views import _figures

    template = Template('{{ value|floatformat:"2g" }}')
    with translation.override(language):
        figure = _figures()
        for value in ("0", "7.5", "89.00", "1234.56", "100000", "-2500.10", "1234567.89"):
            expected = template.render(Context({"value": Decimal(value)}))
            assert figure(Decimal(value)) == expected
        assert figure(None) == ""


def test_the_manage_page_shows_one_page_of_applications_and_finds_the_short_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sankore.calls import staff_views

    monkeypatch.setattr(staff_views, "PAGE_SIZE", 2)
    call = _closed_call()
    lead = south()
    first, second = _application(call, title="Premier"), _application(call, title="Deuxième")
    last = _application(call, lead=lead, title="Troisième")
    panel_member(call, institution=lead)
    panel_member(call)
    client = _client(programme())
    client.post(reverse("calls:assignment_propose", args=[call.slug]))
    url = reverse("calls:manage", args=[call.slug])

    body = client.get(url).content.decode()
    assert f'id="application-{first.pk}"' in body
    assert f'id="application-{second.pk}"' in body
    assert f'id="application-{last.pk}"' not in body
    # The shortfall of an application of page 2 is listed on page 1, with its page.
    assert f'href="?page=2#application-{last.pk}">Troisième</a>' in body
    assert "Page 1 sur 2" in body

    body = client.get(url + "?page=2").content.decode()
    assert f'id="application-{last.pk}"' in body
    assert f'id="application-{first.pk}"' not in body
    pair = ReviewAssignment.objects.filter(application=last).first()
    assert pair is not None
    response = client.post(
        reverse("calls:assignment_remove", args=[call.slug, pair.pk]), {"page": "2"}
    )
    assert response["Location"] == f"{url}?page=2#application-{last.pk}"


def test_the_committee_pdf_of_an_application_holds_its_reviews_for_staff_only() -> None:
    from pypdf import PdfReader

    from sankore.calls.tests.test_review_pages import FULL, _closed_yesterday

    call = published_call()
    application = submitted(call, title="CLOM Santé")
    reviewer = panel_member(call, full_name="Aminata Diallo")
    by = programme()
    assignment = reviewing.assignment_add(
        application=application, reviewer=reviewer, by=by, now=AFTER
    )
    reviewing.assignment_confirm(call=call, by=by, now=AFTER)
    assignment.refresh_from_db()
    reviewing.review_save(
        assignment=assignment, by=reviewer.expert.user,
        scores={key.removeprefix("score-"): int(v) for key, v in FULL.items()},
        comment_to_applicant="Solide.", comment_to_committee="À financer.", submit=True, now=AFTER,
    )  # fmt: skip
    _closed_yesterday(call)
    url = reverse("calls:application_pdf", args=[application.pk])
    staff_client = Client()
    staff_client.force_login(by)
    response = staff_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("CLOM Santé", "Aminata Diallo", "78,00 / 100", "À financer."):
        assert expected in text
    lead = Client()
    lead.force_login(application.created_by)
    assert lead.get(url).status_code == 404
    other = Client()
    other.force_login(reviewer.expert.user)
    assert other.get(url).status_code == 404
