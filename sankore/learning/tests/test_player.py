"""The learner player: who reads what, completion, progress, resume, files."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseRun, CourseTeamRole, Pacing
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware import services as courseware
from sankore.courseware.tests.factories import (
    caption_asset,
    chapter,
    file_asset,
    text_block,
    unit,
)
from sankore.learning.models import BlockCompletion, RunProgress
from sankore.learning.services import enrolment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db: None) -> dict:  # type: ignore[type-arg]
    """A published session: chapter 1 (a free-preview unit, a unit with a text and a
    resource), chapter 2 (a unit with an external video and its captions)."""
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    one = chapter(run, "Objectifs")
    preview = unit(one, "Pourquoi des objectifs ?", is_free_preview=True, duration_minutes=20)
    intro = text_block(preview, "## Bienvenue\n\nPremier texte.")
    lesson = unit(one, "Rédiger un objectif")
    text = text_block(lesson, "Les verbes d'action.")
    guide = file_asset(run, "grille.csv", b"verbe;niveau\n")
    resource = courseware.block_create(
        unit=lesson, kind="resource", data={"file": guide.key}, title="Grille"
    )
    two = chapter(run, "Vidéo")
    watching = unit(two, "Scénariser")
    captions = caption_asset(run)
    video = courseware.block_create(
        unit=watching,
        kind="video",
        data={"url": "https://videos.example.org/v1", "captions": {"fr": captions.key}},
        title="Scénariser en cinq étapes",
    )
    courseware.courseware_publish(course_run=run)
    return {
        "run": run, "preview": preview, "lesson": lesson, "watching": watching,
        "intro": intro, "text": text, "resource": resource, "video": video,
        "guide": guide, "captions": captions,
    }  # fmt: skip


def _unit_url(run: CourseRun, unit_key: str) -> str:
    return reverse("player:unit", args=[run.pk, unit_key])


def _enrolled(run: CourseRun):  # type: ignore[no-untyped-def]
    learner = UserFactory()
    enrolment_create(user=learner, course_run=run)
    return learner


def test_an_anonymous_visitor_reads_a_free_preview_unit_only(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]

    preview = client.get(_unit_url(run, course["preview"].key))
    locked = client.get(_unit_url(run, course["lesson"].key))

    assert preview.status_code == 200
    assert "<h2>Bienvenue</h2>" in preview.content.decode()
    assert locked.status_code == 302
    assert locked["Location"].startswith(reverse("account_login"))
    assert BlockCompletion.objects.count() == 0


def test_a_learner_not_enrolled_is_sent_to_the_course_page(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory())

    response = client.get(_unit_url(course["run"], course["lesson"].key))

    assert response.status_code == 302
    assert response["Location"] == course["run"].get_absolute_url()
    assert BlockCompletion.objects.count() == 0


def test_an_enrolled_learner_reads_a_unit_and_its_texts_count_as_done(
    client: Client, course
) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    learner = _enrolled(run)
    client.force_login(learner)

    response = client.get(_unit_url(run, course["lesson"].key))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Les verbes d&#x27;action." in page or "Les verbes d'action." in page
    assert "Télécharger « grille.csv »" in page
    assert set(
        BlockCompletion.objects.filter(user=learner).values_list("block_key", flat=True)
    ) == {course["text"].key}
    progress = RunProgress.objects.get(user=learner, course_run=run)
    assert (progress.completed_blocks, progress.total_blocks, progress.percent) == (1, 4, 25)
    assert progress.chapters == {
        run.chapters.get(title="Objectifs").key: [1, 3],
        run.chapters.get(title="Vidéo").key: [0, 1],
    }
    assert progress.last_unit_key == course["lesson"].key


def test_reading_twice_counts_once(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    learner = _enrolled(run)
    client.force_login(learner)

    client.get(_unit_url(run, course["lesson"].key))
    client.get(_unit_url(run, course["lesson"].key))

    assert BlockCompletion.objects.filter(user=learner).count() == 1
    assert RunProgress.objects.get(user=learner).completed_blocks == 1


def test_downloading_a_resource_completes_it_and_serves_the_file(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    learner = _enrolled(run)
    client.force_login(learner)

    response = client.get(
        reverse("player:block_action", args=[run.pk, course["resource"].key, "telecharger"])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"verbe;niveau\n"  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'attachment; filename="grille.csv"'
    assert BlockCompletion.objects.filter(user=learner, block_key=course["resource"].key).exists()


def test_a_video_is_done_when_watched_to_90_percent(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    learner = _enrolled(run)
    client.force_login(learner)
    url = reverse("player:block_action", args=[run.pk, course["video"].key, "progression"])

    partly = client.post(url, {"watched": "0.5"})
    assert partly.status_code == 204
    assert not BlockCompletion.objects.filter(user=learner).exists()

    enough = client.post(url, {"watched": "0.93"})
    assert enough.status_code == 204
    assert list(
        BlockCompletion.objects.filter(user=learner).values_list("block_key", flat=True)
    ) == [course["video"].key]


@pytest.mark.parametrize("watched", ["abc", "1.5", "-1", ""])
def test_a_malformed_progress_report_is_a_400_and_records_nothing(
    client: Client, course, watched: str
) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    client.force_login(_enrolled(run))

    response = client.post(
        reverse("player:block_action", args=[run.pk, course["video"].key, "progression"]),
        {"watched": watched},
    )

    assert response.status_code == 400
    assert BlockCompletion.objects.count() == 0


def test_opening_the_transcript_completes_the_video(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    learner = _enrolled(run)
    client.force_login(learner)

    response = client.get(
        reverse("player:block_action", args=[run.pk, course["video"].key, "transcription-fr"])
    )

    assert response.status_code == 200
    assert response.content.decode() == "Bonjour à toutes et à tous.\nVoici la première séquence."
    assert BlockCompletion.objects.filter(user=learner, block_key=course["video"].key).exists()


def test_the_video_unit_shows_captions_transcript_and_no_autoplay(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    client.force_login(_enrolled(run))

    page = client.get(_unit_url(run, course["watching"].key)).content.decode()

    assert "autoplay" not in page
    assert "Transcription (Français)" in page
    assert "Voici la première séquence." in page
    assert reverse("player:block_action", args=[run.pk, course["video"].key, "externe"]) in page


def test_the_outline_shows_progress_and_resumes_where_the_learner_stopped(
    client: Client, course
) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    client.force_login(_enrolled(run))
    client.get(_unit_url(run, course["lesson"].key))

    page = client.get(reverse("player:course_home", args=[run.pk])).content.decode()

    assert "Progression : 25 %" in page
    assert f'href="{_unit_url(run, course["lesson"].key)}">Reprendre : Rédiger un objectif' in page


def test_a_chapter_not_yet_released_is_locked_for_learners(client: Client, db: None) -> None:
    run = CourseRunFactory(pacing=Pacing.INSTRUCTOR_LED)
    later = chapter(run, "Semaine 2", release_at=timezone.now() + datetime.timedelta(days=7))
    locked = unit(later, "Plus tard")
    text_block(locked)
    courseware.courseware_publish(course_run=run)
    learner = _enrolled(run)
    client.force_login(learner)

    response = client.get(_unit_url(run, locked.key))

    assert response.status_code == 403
    assert "Ce chapitre ouvrira le" in response.content.decode()
    assert BlockCompletion.objects.count() == 0


def test_the_course_team_previews_everything_without_being_tracked(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    teacher = UserFactory()
    course_team_member_set(course=run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    client.force_login(teacher)

    response = client.get(_unit_url(run, course["lesson"].key))

    assert response.status_code == 200
    assert BlockCompletion.objects.count() == 0


def test_files_are_served_only_to_those_who_may_read_them(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    url = reverse("player:asset", args=[run.pk, course["guide"].key, "original"])

    assert client.get(url).status_code == 404  # anonymous: the file is not in a preview unit
    client.force_login(_enrolled(run))
    response = client.get(url)

    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "private, max-age=86400"


def test_a_byte_range_is_answered_with_206(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    client.force_login(_enrolled(run))
    url = reverse("player:asset", args=[run.pk, course["guide"].key, "original"])

    partial = client.get(url, HTTP_RANGE="bytes=2-5")
    beyond = client.get(url, HTTP_RANGE="bytes=500-")

    assert partial.status_code == 206
    assert b"".join(partial.streaming_content) == b"rbe;"  # type: ignore[attr-defined]
    assert partial["Content-Range"] == "bytes 2-5/13"
    assert beyond.status_code == 416


def test_a_file_of_another_course_is_a_404(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    other = file_asset(CourseRunFactory())
    client.force_login(_enrolled(run))

    response = client.get(reverse("player:asset", args=[run.pk, other.key, "original"]))

    assert response.status_code == 404


def test_a_session_without_publication_says_so_to_its_learners_only(
    client: Client, db: None
) -> None:
    run = CourseRunFactory()
    text_block(unit(chapter(run)))
    url = reverse("player:course_home", args=[run.pk])

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(_enrolled(run))
    response = client.get(url)
    assert response.status_code == 200
    assert "pas encore publié" in response.content.decode()


def test_an_unknown_unit_is_a_404(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_enrolled(course["run"]))

    assert client.get(_unit_url(course["run"], "nexistepas")).status_code == 404


def test_text_only_mode_is_remembered_and_hides_the_video(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    client.force_login(_enrolled(run))
    target = _unit_url(run, course["watching"].key)

    response = client.post(reverse("player:preferences"), {"text_only": "1", "next": target})

    assert response.status_code == 302
    assert response["Location"] == target
    assert client.cookies["sankore_text_only"].value == "1"
    page = client.get(target).content.decode()
    assert "Mode texte seul activé." in page


def test_preferences_never_redirect_elsewhere(client: Client) -> None:
    response = client.post(
        reverse("player:preferences"), {"quality": "240p", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("learning:dashboard")
    assert client.cookies["sankore_video_quality"].value == "240p"


def _published_run_with(units: int) -> CourseRun:
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    week = chapter(run, "Semaine")
    for number in range(units):
        if number and number % 20 == 0:
            week = chapter(run, f"Semaine {number // 20}")
        text_block(unit(week, f"Séquence {number}"))
    courseware.courseware_publish(course_run=run)
    return run


@pytest.mark.parametrize("page", ["player:course_home", "player:unit"])
def test_player_pages_read_in_the_same_queries_for_1_or_200_units(
    client: Client,
    page: str,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    counts = []
    for size in (1, 200):
        run = _published_run_with(size)
        learner = _enrolled(run)
        client.force_login(learner)
        last_unit = run.chapters.order_by("-position").first().units.order_by("-position").first()  # type: ignore[union-attr]
        args = [run.pk] if page == "player:course_home" else [run.pk, last_unit.key]  # type: ignore[union-attr]
        client.get(reverse(page, args=args))
        # Sessions in the database cost one query, in Redis none.
        expected = EXPECTED_PLAYER_QUERIES[page] - (0 if _db_sessions() else 1)
        with django_assert_num_queries(expected) as captured:
            response = client.get(reverse(page, args=args))
        assert response.status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


def _db_sessions() -> bool:
    from django.conf import settings

    return bool(settings.SESSION_ENGINE == "django.contrib.sessions.backends.db")


# Session and user, the session and its course's visibility, the role checks (programme
# staff, team, institutions), the enrolment, the publication, then the learner's progress
# (completions, position); the unit page adds its blocks and the completion and position
# writes (a savepoint each); the outline also reads the session's barème.
EXPECTED_PLAYER_QUERIES = {"player:course_home": 15, "player:unit": 23}


def test_an_uploaded_svg_is_a_download_never_a_page_of_the_site(client: Client, db: None) -> None:
    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    drawing = file_asset(
        run,
        "schema.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    )
    target = unit(chapter(run), "Schéma", is_free_preview=True)
    courseware.block_create(
        unit=target, kind="resource", data={"file": drawing.key}, title="Schéma"
    )
    courseware.courseware_publish(course_run=run)

    response = client.get(reverse("player:asset", args=[run.pk, drawing.key, "original"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="schema.svg"'
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_only_videos_are_completed_by_watching(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    client.force_login(_enrolled(run))

    response = client.post(
        reverse("player:block_action", args=[run.pk, course["resource"].key, "progression"]),
        {"watched": "1"},
    )

    assert response.status_code == 404
    assert BlockCompletion.objects.count() == 0


def test_files_and_actions_of_a_chapter_not_yet_released_stay_closed(
    client: Client, db: None
) -> None:
    run = CourseRunFactory(pacing=Pacing.INSTRUCTOR_LED)
    later = chapter(run, "Semaine 2", release_at=timezone.now() + datetime.timedelta(days=7))
    locked = unit(later, "Plus tard")
    guide = file_asset(run, "plus-tard.csv", b"x;y\n")
    resource = courseware.block_create(unit=locked, kind="resource", data={"file": guide.key})
    captions = caption_asset(run)
    video = courseware.block_create(
        unit=locked,
        kind="video",
        data={"url": "https://videos.example.org/v", "captions": {"fr": captions.key}},
    )
    courseware.courseware_publish(course_run=run)
    client.force_login(_enrolled(run))

    responses = [
        client.get(reverse("player:block_action", args=[run.pk, resource.key, "telecharger"])),
        client.get(reverse("player:block_action", args=[run.pk, video.key, "transcription-fr"])),
        client.post(
            reverse("player:block_action", args=[run.pk, video.key, "progression"]),
            {"watched": "1"},
        ),
        client.get(reverse("player:asset", args=[run.pk, guide.key, "original"])),
        client.get(reverse("player:asset", args=[run.pk, captions.key, "original"])),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404, 404]
    assert BlockCompletion.objects.count() == 0


def test_a_head_request_records_nothing(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    run = course["run"]
    client.force_login(_enrolled(run))

    response = client.head(_unit_url(run, course["lesson"].key))

    assert response.status_code == 200
    assert BlockCompletion.objects.count() == 0
    assert RunProgress.objects.count() == 0


def test_an_invalid_range_gets_the_whole_file_and_a_lost_file_a_404(client: Client, course) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.storage import default_storage

    run = course["run"]
    client.force_login(_enrolled(run))
    url = reverse("player:asset", args=[run.pk, course["guide"].key, "original"])

    backwards = client.get(url, HTTP_RANGE="bytes=5-2")
    default_storage.delete(course["guide"].file.name)
    lost = client.get(url)

    assert backwards.status_code == 200
    assert b"".join(backwards.streaming_content) == b"verbe;niveau\n"  # type: ignore[attr-defined]
    assert lost.status_code == 404


def _quiz_run():  # type: ignore[no-untyped-def]
    from sankore.assessments import services as assessments

    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    quiz = unit(chapter(run, "Semaine 1"), "Quiz")
    problem = courseware.block_create(
        unit=quiz, kind="choice", title="Capitale",
        data={"prompt": "Capitale du Burkina Faso ?", "max_attempts": 1, "assessment_type": "Quiz",
              "choices": "[ ] Dakar // Non, c'est le Sénégal.\n[x] Ouagadougou", "shuffle": True,
              "explanation": "Ouagadougou, depuis 1960."},
    )  # fmt: skip
    assessments.grading_policy_set(
        course_run=run, passing_percent=50, types=[assessments.TypeLine("Quiz", 100)]
    )
    courseware.courseware_publish(course_run=run)
    return run, quiz, problem


def test_a_learner_answers_sees_feedback_and_the_explanation_after_the_last_attempt(
    client: Client, db: None
) -> None:
    from sankore.assessments.models import LearnerGrade, Submission

    run, quiz, problem = _quiz_run()
    learner = _enrolled(run)
    client.force_login(learner)
    page = client.get(_unit_url(run, quiz.key)).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    assert "Ouagadougou, depuis 1960." not in page  # no explanation before answering
    assert "Non, c&#x27;est le Sénégal." not in page
    assert "Non, c'est le Sénégal." not in page

    response = client.post(
        reverse("player:block_action", args=[run.pk, problem.key, "repondre"]),
        {"token": token, "choice": "c1"},
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{_unit_url(run, quiz.key)}#bloc-{problem.key}"
    assert "Réponse incorrecte ou incomplète." in page
    assert "Non, c&#x27;est le Sénégal." in page or "Non, c'est le Sénégal." in page
    assert "Ouagadougou, depuis 1960." in page  # the only attempt is used
    assert "Valider ma réponse" not in page
    assert Submission.objects.filter(user=learner).count() == 1
    assert LearnerGrade.objects.get(user=learner).percent == 0
    assert BlockCompletion.objects.filter(user=learner, block_key=problem.key).exists()


def test_visitors_of_a_free_preview_cannot_answer(client: Client, db: None) -> None:
    from sankore.assessments.models import Submission

    run, _quiz, problem = _quiz_run()
    client.force_login(UserFactory())

    response = client.post(
        reverse("player:block_action", args=[run.pk, problem.key, "repondre"]),
        {"token": "abc", "choice": "c2"},
    )

    assert response.status_code == 404
    assert Submission.objects.count() == 0


def test_a_malformed_answer_is_a_message_not_an_error(client: Client, db: None) -> None:
    from sankore.assessments.models import Submission

    run, _quiz, problem = _quiz_run()
    client.force_login(_enrolled(run))

    response = client.post(
        reverse("player:block_action", args=[run.pk, problem.key, "repondre"]),
        {"token": "abc", "choice": "nope"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Ce choix n&#x27;existe pas dans la question." in response.content.decode()
    assert Submission.objects.count() == 0


def test_the_outline_shows_the_learners_grade_and_the_threshold(client: Client, db: None) -> None:
    run, quiz, problem = _quiz_run()
    client.force_login(_enrolled(run))
    page = client.get(_unit_url(run, quiz.key)).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    client.post(
        reverse("player:block_action", args=[run.pk, problem.key, "repondre"]),
        {"token": token, "choice": "c2"},
    )

    page = client.get(reverse("player:course_home", args=[run.pk])).content.decode()

    assert "Mes notes" in page
    assert "<td>Quiz</td><td>100 %</td><td>100 %</td>" in page
    assert "Note globale : 100 %" in page
    assert "seuil de réussite atteint." in page


def test_self_paced_due_dates_count_from_the_enrolment(client: Client, db: None) -> None:
    from sankore.assessments.models import Submission
    from sankore.learning.models import Enrolment

    run = CourseRunFactory(pacing=Pacing.SELF_PACED)
    quiz = unit(chapter(run), "Quiz")
    courseware.unit_update(unit=quiz, due_days_after_enrolment=7)
    problem = courseware.block_create(
        unit=quiz, kind="short_text", data={"prompt": "Fleuve ?", "accepted": "Niger"}
    )
    courseware.courseware_publish(course_run=run)
    learner = _enrolled(run)
    Enrolment.objects.filter(user=learner).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    client.force_login(learner)

    page = client.get(_unit_url(run, quiz.key)).content.decode()
    response = client.post(
        reverse("player:block_action", args=[run.pk, problem.key, "repondre"]),
        {"token": "t", "answer": "Niger"},
        follow=True,
    )

    assert "Date limite passée" in page
    assert "Valider ma réponse" not in page
    assert "La date limite de cet exercice est passée" in response.content.decode()
    assert Submission.objects.count() == 0
