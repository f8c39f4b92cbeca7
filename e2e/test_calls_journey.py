"""A call for projects from end to end in a real chromium (issue 9): programme staff open a
call; a Southern university applies with a French partner, who confirms online; the call
closes; staff put two experts on the panel, propose and validate the assignment; both
experts score the application; the committee decides; the applicant reads the decision with
the anonymised reviews."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from e2e.test_courseware_journey import sign_in
from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import UserFactory
from sankore.calls import reviewing
from sankore.calls.models import (
    Application,
    ApplicationStatus,
    AssignmentState,
    Call,
    Decision,
    ReviewAssignment,
    ReviewStatus,
)
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCORES = {"pertinence": "5", "qualite-pedagogique": "4", "co-construction": "5",
          "faisabilite": "4", "modele-economique": "3", "rayonnement": "5"}  # fmt: skip


def _person(email: str, name: str, role: Role, institution: object = None) -> User:
    user = UserFactory(email=email, full_name=name)
    RoleAssignment.objects.create(user=user, role=role, institution=institution)
    return user


def _page(browser: Browser, base: str, email: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, email)
    return page


def _open_a_call(browser: Browser, base: str) -> Call:
    page = _page(browser, base, "programme@example.org")
    today = timezone.localdate()
    page.goto(f"{base}/appels/programme/nouveau/")
    page.get_by_label("Intitulé", exact=True).fill("Appel CLOM 2027")
    page.get_by_label("Présentation").fill("Concevoir des CLOM pour les campus numériques.")
    page.get_by_label("Enveloppe totale").fill("100 000")
    page.get_by_label("Fuseau horaire de référence").select_option("Africa/Dakar")
    page.get_by_label("Date d'ouverture").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Heure d'ouverture").fill("08:00")
    page.get_by_label("Date de clôture").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Heure de clôture").fill("23:59")
    page.get_by_label("Fin de l'évaluation (date)").fill(
        (today + datetime.timedelta(days=60)).isoformat()
    )
    page.get_by_label("Fin de l'évaluation (heure)").fill("18:00")
    page.get_by_label("Date des résultats").fill((today + datetime.timedelta(days=75)).isoformat())
    page.get_by_role("button", name="Créer l’appel").click()
    expect(page.get_by_role("status")).to_contain_text("Appel créé, en préparation")
    page.get_by_role("button", name="Publier l’appel").click()
    expect(page.get_by_role("status")).to_contain_text("Appel publié")
    page.context.close()
    return Call.objects.get(title="Appel CLOM 2027")


def test_staff_open_a_call_a_southern_university_applies_experts_score_the_committee_decides(
    browser: Browser, live_server: object, tmp_path: object
) -> None:
    base = str(live_server).rstrip("/")
    ouaga = InstitutionFactory(name="Université Joseph Ki-Zerbo", country="BF",
                               region="afrique-ouest", time_zone="Africa/Ouagadougou")  # fmt: skip
    bordeaux = InstitutionFactory(name="Université de Bordeaux", country="FR",
                                  region="europe-ouest", time_zone="Europe/Paris")  # fmt: skip
    _person("programme@example.org", "Awa Programme", Role.PROGRAMME_STAFF)
    _person("porteur@example.org", "Issa Porteur", Role.INSTITUTION_STAFF, ouaga)
    _person("bordeaux@example.org", "Claire Partenaire", Role.INSTITUTION_STAFF, bordeaux)
    experts = [
        UserFactory(email="expert.un@example.org", full_name="Hugues Lemaire-Tchouta"),
        UserFactory(email="expert.deux@example.org", full_name="Aminata Diallo"),
    ]
    call = _open_a_call(browser, base)

    # The Southern university applies, with Bordeaux as partner.
    lead = _page(browser, base, "porteur@example.org")
    lead.goto(f"{base}{call.get_absolute_url()}")
    lead.get_by_role("link", name="Déposer une candidature").click()
    lead.get_by_label("Titre du projet").fill("CLOM Santé communautaire")
    lead.get_by_role("button", name="Commencer le dossier").click()
    for label in ("Résumé", "Objectifs", "Public visé", "Équipe", "Calendrier",
                  "Pérennité et modèle économique"):  # fmt: skip
        lead.get_by_label(label, exact=True).fill(f"{label} du projet.")
    lead.get_by_label("Montant demandé (EUR)").fill("45 000")
    # The dossier saves itself (htmx): wait for it rather than post over it (the test's
    # in-memory SQLite refuses two writers at once).
    expect(lead.locator("#autosave-status")).to_contain_text("Brouillon enregistré à")
    lead.wait_for_timeout(2500)
    lead.reload()
    expect(lead.get_by_label("Montant demandé (EUR)")).to_have_value("45000,00")
    budget = tmp_path / "budget.pdf"  # type: ignore[operator]
    budget.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    lead.locator("#file-budget").set_input_files(str(budget))
    lead.locator("#file-budget").locator("xpath=..").get_by_role("button", name="Joindre").click()
    expect(lead.get_by_text("Pièce jointe enregistrée.")).to_be_visible()
    lead.get_by_label("Établissement partenaire").select_option(label="Université de Bordeaux")
    lead.get_by_label("Son rôle dans le projet").fill("Studio vidéo")
    lead.get_by_role("button", name="Inviter ce partenaire").click()
    expect(lead.get_by_text("Partenaire invité")).to_be_visible()

    partner = _page(browser, base, "bordeaux@example.org")
    application = Application.objects.get()
    partner.goto(f"{base}{application.get_absolute_url()}")
    partner.get_by_role("button", name="Confirmer notre engagement").click()
    expect(partner.get_by_text("Votre réponse est enregistrée.")).to_be_visible()
    partner.context.close()

    lead.reload()
    lead.get_by_role("button", name="Déposer la candidature").click()
    expect(lead.get_by_text("Candidature déposée : accusé de réception n°")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    # The call closes (yesterday); the experts join the pool; staff staff the panel.
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        opens_at=now - datetime.timedelta(days=40), closes_at=now - datetime.timedelta(days=1)
    )
    programme = User.objects.get(email="programme@example.org")
    for expert in experts:
        reviewing.expert_save(user=expert, by=programme, institution=None, languages=["fr"])
    staff = _page(browser, base, "programme@example.org")
    staff.goto(f"{base}/appels/{call.slug}/gestion/")
    for expert in experts:
        staff.get_by_label("Expert du vivier (adresse électronique)").select_option(
            label=f"{expert.email} — {expert.full_name}"
        )
        staff.get_by_role("button", name="Ajouter au comité").click()
    staff.get_by_role("button", name="Proposer une affectation").click()
    staff.get_by_role("button", name="Valider l’affectation").click()
    assert set(ReviewAssignment.objects.values_list("state", flat=True)) == {
        AssignmentState.CONFIRMED
    }

    # Both experts score the application.
    for expert, comment in zip(experts, ("Dossier solide.", "Budget réaliste."), strict=True):
        reviewer = _page(browser, base, expert.email)
        reviewer.goto(f"{base}/appels/expertise/")
        reviewer.get_by_role("link", name="Appel CLOM 2027").click()
        reviewer.get_by_role("link", name="CLOM Santé communautaire").click()
        for key, value in SCORES.items():
            reviewer.locator(f"#score-{key}").select_option(value)
        reviewer.get_by_label("Commentaire pour le candidat").fill(comment)
        reviewer.get_by_label("Commentaire confidentiel pour le comité").fill("Confidentiel.")
        reviewer.get_by_role("button", name="Remettre l’évaluation").click()
        expect(reviewer.get_by_text("Évaluation remise. Merci !")).to_be_visible()
        reviewer.context.close()
    assert set(ReviewAssignment.objects.values_list("review__status", flat=True)) == {
        ReviewStatus.SUBMITTED
    }

    # The committee ranks, decides and publishes.
    staff.goto(f"{base}/appels/{call.slug}/gestion/classement/")
    expect(staff.get_by_role("cell", name="86,00", exact=True)).to_be_visible()
    staff.get_by_role("link", name="CLOM Santé communautaire").click()
    staff.get_by_label("retenu", exact=True).check()
    staff.get_by_label("Motivation").fill("Classé premier ; co-construction exemplaire.")
    staff.get_by_role("button", name="Enregistrer la décision").click()
    staff.goto(f"{base}/appels/{call.slug}/gestion/classement/")
    staff.get_by_role("button", name="Publier les résultats et notifier les candidats").click()
    staff.context.close()
    assert Decision.objects.get().notified_at is not None

    # The applicant reads the decision and the reviews, without the experts' names.
    lead.goto(f"{base}{application.get_absolute_url()}")
    decision = lead.locator("main")
    expect(decision).to_contain_text("Décision du comité")
    expect(decision).to_contain_text("Classé premier ; co-construction exemplaire.")
    expect(decision).to_contain_text("Expert 1")
    expect(decision).to_contain_text("Dossier solide.")
    for secret in ("Hugues Lemaire-Tchouta", "Aminata Diallo", "Confidentiel."):
        expect(decision).not_to_contain_text(secret)
    lead.goto(f"{base}/appels/{call.slug}/resultats/")
    expect(lead.locator("main")).to_contain_text("CLOM Santé communautaire")
    lead.context.close()
