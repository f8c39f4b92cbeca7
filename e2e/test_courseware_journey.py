"""Course authoring and learning, end to end in a real chromium.

Issue: « a teacher creates a chapter, a unit, a text block and a video block with captions
and publishes; an enrolled learner watches it and sees progress ».
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.watch import PageWatch
from sankore.accounts.tests.factories import PASSWORD, UserFactory
from sankore.catalog.models import CourseTeamRole, Pacing
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.courseware.models import PublishedOutline
from sankore.courseware.tests.factories import VTT_FR, small_video
from sankore.learning.models import BlockCompletion
from sankore.learning.services import enrolment_create

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed"),
]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/comptes/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/mes-cours/")


def test_a_teacher_publishes_a_unit_and_a_learner_watches_it(
    live_server: object, browser: Browser, page: Page, page_watch: PageWatch, tmp_path: Path
) -> None:
    base = str(live_server).rstrip("/")
    course = CourseFactory(title="Concevoir et animer un CLOM")
    run = CourseRunFactory(course=course, pacing=Pacing.SELF_PACED)
    teacher = UserFactory(email="enseignante@example.org")
    course_team_member_set(course=course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    learner = UserFactory(email="apprenant@example.org")
    enrolment_create(user=learner, course_run=run)
    video = tmp_path / "scenariser.mp4"
    video.write_bytes(small_video(tmp_path, seconds=2.0))
    captions = tmp_path / "scenariser.fr.vtt"
    captions.write_text(VTT_FR, encoding="utf-8")

    # Given the teacher in the studio of their course's session
    sign_in(page, base, teacher.email)
    page.get_by_role("link", name=re.compile("Studio")).click()
    page.get_by_role("link", name=re.compile(r"^Session ")).first.click()
    main = page.get_by_role("main")

    # When they add a chapter, then a unit in it
    main.get_by_label("Titre du chapitre").last.fill("Semaine 1 : les objectifs")
    main.get_by_role("button", name="Ajouter le chapitre").click()
    expect(main.get_by_role("heading", name="Semaine 1 : les objectifs")).to_be_visible()
    main.get_by_label("Nouvelle séquence").fill("Pourquoi des objectifs ?")
    main.get_by_role("button", name="Ajouter la séquence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pourquoi des objectifs ?")

    # … a text block
    main.get_by_label("Ajouter une activité").select_option("text")
    main.get_by_role("button", name="Continuer").click()
    main.get_by_label(re.compile(r"^Titre\b")).fill("Introduction")
    main.get_by_label("Texte (Markdown)").fill(
        "## Bienvenue\n\nUn objectif commence par un **verbe**."
    )
    main.get_by_role("button", name="Enregistrer").click()
    expect(main.get_by_role("link", name="Introduction")).to_be_visible()

    # … and a video block, with its file and French captions
    main.get_by_label("Ajouter une activité").select_option("video")
    main.get_by_role("button", name="Continuer").click()
    main.get_by_label(re.compile(r"^Titre\b")).fill("Scénariser en cinq étapes")
    main.get_by_label("Fichier vidéo").set_input_files(str(video))
    main.get_by_label("Langue des sous-titres à ajouter").select_option("fr")
    main.get_by_label("Fichier de sous-titres (WebVTT)").set_input_files(str(captions))
    main.get_by_role("button", name="Enregistrer").click()
    expect(main.get_by_role("link", name="Scénariser en cinq étapes")).to_be_visible()

    # … and publish the session's content
    page.get_by_role("link", name=re.compile(r"Concevoir et animer un CLOM")).first.click()
    page.get_by_role("button", name="Publier le brouillon").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1 publiée")
    assert PublishedOutline.objects.filter(course_run=run).count() == 1

    # Then the enrolled learner finds it from « Mes cours »
    learner_context = browser.new_context(locale="fr-FR")
    learner_page = learner_context.new_page()
    learner_page.on("console", page_watch.on_console)
    learner_page.on("request", page_watch.on_request)
    sign_in(learner_page, base, learner.email)
    learner_page.get_by_role("link", name=re.compile("Accéder au cours")).click()
    learner_page.get_by_role("link", name="Commencer le cours").click()
    unit = learner_page.get_by_role("main")
    expect(unit.get_by_role("heading", level=1)).to_have_text("Pourquoi des objectifs ?")
    expect(unit.get_by_role("heading", name="Bienvenue")).to_be_visible()
    expect(unit.get_by_text("Voici la première séquence.")).to_be_attached()  # transcript

    # When they watch the video to the end
    player = unit.locator("video")
    expect(player).to_have_attribute("preload", "metadata")
    assert player.get_attribute("autoplay") is None
    player.evaluate("video => { video.muted = true; return video.play(); }")
    expect(unit.locator(f'[data-done-mark="{_video_key(run)}"]')).to_contain_text(
        "Terminé", timeout=20_000
    )

    # Then their progress says the whole unit is done
    assert set(
        BlockCompletion.objects.filter(user=learner).values_list("block_key", flat=True)
    ) == set(_block_keys(run))
    learner_page.get_by_role("link", name="Concevoir et animer un CLOM").first.click()
    expect(learner_page.get_by_text("Progression : 100 %")).to_be_visible()
    learner_context.close()
    assert page_watch.console_errors == []
    assert page_watch.foreign_requests == []


def _block_keys(run: object) -> list[str]:
    from sankore.courseware.models import Block

    return list(Block.objects.filter(course_run=run).values_list("key", flat=True))


def _video_key(run: object) -> str:
    from sankore.courseware.models import Block

    return str(Block.objects.get(course_run=run, kind="video").key)
