"""axe-core finds no WCAG 2.1 A/AA violation on the learner pages, on a phone and a laptop,
in French and in English."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser

from sankore.accounts.tests.factories import PASSWORD, UserFactory
from sankore.catalog.models import CourseRun, CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.courseware import services as courseware
from sankore.courseware.models import Block, Chapter, Unit
from sankore.courseware.tests.factories import caption_asset, chapter, file_asset, text_block, unit
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.learning.services import enrolment_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(results: dict) -> list[str]:  # type: ignore[type-arg]
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
    ]


def _published_content(run: CourseRun) -> list[str]:
    """A published session with a text, a resource and a video with captions; its player
    pages."""
    week = chapter(run, "Semaine 1 : santé communautaire")
    reading = unit(
        week, "Les déterminants de la santé", duration_minutes=20, objectives="Nommer\nComparer"
    )
    text_block(
        reading,
        "## Définitions\n\n| Facteur | Exemple |\n|--|--|\n| eau | puits |\n\nFormule : $a^2$",
        title="Lecture",
    )
    guide = file_asset(run, "fiche.csv", b"a;b\n")
    courseware.block_create(unit=reading, kind="resource", data={"file": guide.key}, title="Fiche")
    watching = unit(week, "Vidéo : le dispensaire")
    courseware.block_create(
        unit=watching,
        kind="video",
        data={"url": "https://videos.example.org/v", "captions": {"fr": caption_asset(run).key}},
        title="Au dispensaire",
    )
    quiz = unit(week, "Quiz : les déterminants")
    courseware.block_create(
        unit=quiz,
        kind="choice",
        title="Question 1",
        data={
            "prompt": "Lequel est un déterminant de la santé ?",
            "choices": "[x] L'accès à l'eau // Oui.\n[ ] La couleur des murs",
            "hints": "Pensez au puits.",
            "assessment_type": "Quiz",
        },
    )
    courseware.block_create(
        unit=quiz,
        kind="numeric",
        title="Question 2",
        data={"prompt": "Combien de litres par jour ?", "answer": "20", "tolerance": "5"},
    )
    courseware.block_create(
        unit=quiz,
        kind="ordering",
        title="Question 3",
        data={"prompt": "Dans quel ordre ?", "items": "Puiser\nFiltrer\nBoire"},
    )
    courseware.block_create(
        unit=quiz,
        kind="matching",
        title="Question 4",
        data={"prompt": "Associez", "pairs": "Paludisme = moustiquaire\nCholéra = eau potable"},
    )
    homework = _open_response_unit(week)
    pool = unit(week, "Quiz tiré au sort")
    for river, town in [("Niger", "Niamey"), ("Congo", "Kinshasa"), ("Sénégal", "Saint-Louis")]:
        courseware.block_create(
            unit=pool, kind="short_text", title=f"Fleuve de {town}",
            data={"prompt": f"Le fleuve de {town} ?", "accepted": river, "assessment_type": "Quiz"},
        )  # fmt: skip
    courseware.unit_update(unit=pool, pool_size=2)
    sitting = unit(week, "Examen surveillé")
    courseware.block_create(
        unit=sitting, kind="short_text", title="Question d'examen",
        data={"prompt": "Le fleuve de Bamako ?", "accepted": "Niger", "assessment_type": "Quiz"},
    )  # fmt: skip
    courseware.unit_update(
        unit=sitting, is_supervised_exam=True, exam_access_code="SANTE1",
        exam_opens_at=timezone.now() - datetime.timedelta(hours=1),
        exam_closes_at=timezone.now() + datetime.timedelta(hours=3),
    )  # fmt: skip
    courseware.courseware_publish(course_run=run)
    return [
        f"/apprendre/{run.pk}/{pool.key}/",
        f"/apprendre/{run.pk}/{sitting.key}/",
        f"/apprendre/{run.pk}/",
        f"/apprendre/{run.pk}/{reading.key}/",
        f"/apprendre/{run.pk}/{watching.key}/",
        f"/apprendre/{run.pk}/{quiz.key}/",
        f"/apprendre/{run.pk}/{homework.key}/",
    ]


def _open_response_unit(week: Chapter) -> Unit:
    homework = unit(week, "Devoir : un plan d'action")
    courseware.block_create(
        unit=homework,
        kind="open_response",
        title="Votre plan",
        data={
            "prompt": "Proposez un plan d'action pour le puits du village.",
            "allow_text": True,
            "allow_file": True,
            "file_types": ["pdf", "odt", "docx"],
            "rubric": "Clarté : Confus=0 | Correct=1 | Excellent=2\n"
            "Faisabilité : Faible=0 | Forte=2",
            "peers": 1,
            "self_assessment": True,
            "assessment_type": "Devoir",
        },
    )
    return homework


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_learner_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    base = str(live_server).rstrip("/")
    institution = InstitutionFactory(name="Université d'Antananarivo", country="MG")
    course = CourseFactory(title="Santé publique à Madagascar", owners=[institution])
    run = CourseRunFactory(course=course)
    CourseRunFactory(course=course, archived=True)
    learner = UserFactory(email="lova@example.org")
    enrolment_create(user=learner, course_run=run)
    player_paths = _published_content(run)
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    axe = Axe()
    problems: dict[str, list[str]] = {}
    public_paths = [
        "/",
        "/cours/",
        "/cours/?q=sante",
        course.get_absolute_url(),
        "/etablissements/",
        institution.get_absolute_url(),
        "/comptes/login/",
        "/comptes/signup/",
        "/comptes/password/reset/",
    ]
    try:
        for path in public_paths:
            page.goto(base + path)
            problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
        page.goto(base + "/comptes/login/")
        page.locator("input[name=login]").fill(learner.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(base + "/mes-cours/")
        for path in ["/mes-cours/", course.get_absolute_url(), "/comptes/profil/", *player_paths]:
            page.goto(base + path)
            problems[f"{path} (signed in)"] = _violations(axe.run(page, options=WCAG_AA).response)
    finally:
        context.close()

    assert {path: found for path, found in problems.items() if found} == {}


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_studio_pages_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    base = str(live_server).rstrip("/")
    run = CourseRunFactory(course=CourseFactory(title="Santé publique à Madagascar"))
    player_paths = _published_content(run)
    teacher = UserFactory(email="hery@example.org")
    course_team_member_set(course=run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    first_unit = run.chapters.get().units.order_by("position").first()
    block = first_unit.blocks.order_by("position").first()  # type: ignore[union-attr]
    video = Block.objects.get(course_run=run, kind="video")
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    axe = Axe()
    problems: dict[str, list[str]] = {}
    try:
        page.goto(base + "/comptes/login/")
        page.locator("input[name=login]").fill(teacher.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(base + "/mes-cours/")
        for path in [
            "/studio/",
            f"/studio/sessions/{run.pk}/",
            f"/studio/sessions/{run.pk}/sequences/{first_unit.pk}/",  # type: ignore[union-attr]
            f"/studio/sessions/{run.pk}/activites/{block.pk}/",  # type: ignore[union-attr]
            f"/studio/sessions/{run.pk}/activites/{video.pk}/",
            f"/studio/sessions/{run.pk}/fichiers/",
            f"/studio/sessions/{run.pk}/bareme/",
            f"/studio/sessions/{run.pk}/reponses-ouvertes/",
            "/studio/importer/",
            player_paths[1].replace(f"/apprendre/{run.pk}/", f"/apprendre/{run.pk}/apercu/"),
        ]:
            page.goto(base + path)
            problems[path] = _violations(axe.run(page, options=WCAG_AA).response)
    finally:
        context.close()

    assert {path: found for path, found in problems.items() if found} == {}


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_open_response_states_have_no_accessibility_violation(
    browser: Browser, live_server: object, width: int, language: str
) -> None:
    """The block while reviewing a peer and self-assessing, then once graded."""
    from sankore.assessments import peer
    from sankore.courseware.models import PublishedOutline

    base = str(live_server).rstrip("/")
    run = CourseRunFactory(course=CourseFactory(title="Santé publique à Madagascar"))
    homework = _open_response_unit(chapter(run, "Semaine 1"))
    courseware.courseware_publish(course_run=run)
    publication = PublishedOutline.objects.get(course_run=run)
    lova, mamy = UserFactory(email="lova@example.org"), UserFactory(email="mamy@example.org")
    key = Block.objects.get(course_run=run, kind="open_response").key
    for learner in (mamy, lova):
        enrolment_create(user=learner, course_run=run)
        peer.open_response_submit(
            user=learner, course_run=run, publication=publication, block_key=key,
            text="Creuser, filtrer, entretenir.", upload=None, client_token="t",
        )  # fmt: skip
    handed = peer.peer_review_allocate(reviewer=lova, course_run=run, block_key=key)
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    axe = Axe()
    problems: dict[str, list[str]] = {}
    path = f"/apprendre/{run.pk}/{homework.key}/"
    try:
        page.goto(base + "/comptes/login/")
        page.locator("input[name=login]").fill(lova.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(base + "/mes-cours/")
        page.goto(base + path)
        problems["reviewing"] = _violations(axe.run(page, options=WCAG_AA).response)
        chosen = {"c1": "n3", "c2": "n2"}
        peer.peer_review_submit(
            reviewer=lova, course_run=run, block_key=key,
            response_id=str(handed.response.public_id), scores=chosen, comment="Bien.",
        )  # fmt: skip
        back = peer.peer_review_allocate(reviewer=mamy, course_run=run, block_key=key)
        peer.peer_review_submit(
            reviewer=mamy, course_run=run, block_key=key,
            response_id=str(back.response.public_id), scores=chosen, comment="Très clair.",
        )  # fmt: skip
        page.goto(base + path)
        problems["graded"] = _violations(axe.run(page, options=WCAG_AA).response)
    finally:
        context.close()

    assert {state: found for state, found in problems.items() if found} == {}
