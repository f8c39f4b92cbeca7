"""The studio: only a course's team edits it, through forms that call the services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sankore.accounts.models import Role
from sankore.accounts.services import role_assign
from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseRun, CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware.models import Asset, Block, Chapter, PublishedOutline, Unit
from sankore.courseware.tests.factories import VTT_FR, chapter, text_block, unit

pytestmark = pytest.mark.django_db


def _teacher_of(run: CourseRun):  # type: ignore[no-untyped-def]
    teacher = UserFactory()
    course_team_member_set(course=run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    return teacher


def test_a_learner_cannot_open_the_studio_of_a_course(client: Client, run: CourseRun) -> None:
    client.force_login(UserFactory())

    response = client.get(reverse("studio:session", args=[run.pk]))

    assert response.status_code == 403


def test_an_anonymous_visitor_is_asked_to_log_in(client: Client, run: CourseRun) -> None:
    response = client.get(reverse("studio:session", args=[run.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_teacher_of_course_a_cannot_edit_course_b(client: Client, run: CourseRun) -> None:
    other = CourseRunFactory()
    client.force_login(_teacher_of(run))

    page = client.get(reverse("studio:session", args=[other.pk]))
    write = client.post(reverse("studio:chapter_create", args=[other.pk]), {"title": "Intrus"})

    assert (page.status_code, write.status_code) == (403, 403)
    assert not Chapter.objects.filter(course_run=other).exists()


def test_an_id_from_another_session_is_a_404_even_for_its_own_team(
    client: Client, run: CourseRun
) -> None:
    foreign = chapter(CourseRunFactory(), "Ailleurs")
    client.force_login(_teacher_of(run))

    response = client.post(
        reverse("studio:chapter_update", args=[run.pk, foreign.pk]), {"title": "Détourné"}
    )

    assert response.status_code == 404
    assert Chapter.objects.get(pk=foreign.pk).title == "Ailleurs"


def test_the_studio_home_lists_only_the_teachers_courses(client: Client, run: CourseRun) -> None:
    other = CourseRunFactory()
    client.force_login(_teacher_of(run))

    page = client.get(reverse("studio:home")).content.decode()

    assert run.course.title in page
    assert other.course.title not in page


def test_institution_staff_edit_their_institutions_courses(client: Client, run: CourseRun) -> None:
    staff = UserFactory()
    role_assign(
        user=staff,
        role=Role.INSTITUTION_STAFF,
        institution=run.course.owners.get(),
        granted_by=None,
    )
    client.force_login(staff)

    assert client.get(reverse("studio:session", args=[run.pk])).status_code == 200


def test_a_teacher_builds_a_unit_and_publishes_it(client: Client, run: CourseRun) -> None:
    client.force_login(_teacher_of(run))

    client.post(reverse("studio:chapter_create", args=[run.pk]), {"title": "Semaine 1"})
    week = Chapter.objects.get(course_run=run)
    response = client.post(
        reverse("studio:unit_create", args=[run.pk, week.pk]), {"title": "Accueil"}
    )
    intro = Unit.objects.get(chapter=week)
    assert response["Location"] == reverse("studio:unit", args=[run.pk, intro.pk])
    client.post(
        reverse("studio:block_create", args=[run.pk, intro.pk]) + "?type=text",
        {"type": "text", "title": "Bienvenue", "markdown": "## Bonjour\n\nPremier texte."},
    )
    published = client.post(reverse("studio:publish", args=[run.pk]), follow=True)

    assert Block.objects.get(unit=intro).data == {"markdown": "## Bonjour\n\nPremier texte."}
    assert PublishedOutline.objects.get(course_run=run).version == 1
    assert "Version 1 publiée" in published.content.decode()


def test_a_block_form_error_is_shown_and_nothing_is_written(client: Client, run: CourseRun) -> None:
    target = unit(chapter(run))
    client.force_login(_teacher_of(run))

    response = client.post(
        reverse("studio:block_create", args=[run.pk, target.pk]),
        {"type": "video", "title": "Sans source"},
    )

    assert response.status_code == 200
    assert (
        "Choisissez soit un fichier vidéo, soit l&#x27;adresse d&#x27;une vidéo externe."
        in response.content.decode()
    )
    assert Block.objects.count() == 0


def test_a_video_block_with_captions_uploaded_in_its_form(client: Client, run: CourseRun) -> None:
    target = unit(chapter(run))
    client.force_login(_teacher_of(run))

    client.post(
        reverse("studio:block_create", args=[run.pk, target.pk]),
        {
            "type": "video",
            "title": "Scénariser",
            "url": "https://videos.example.org/v",
            "caption_language": "fr",
            "caption_file": SimpleUploadedFile("st.vtt", VTT_FR.encode(), "text/vtt"),
        },
    )

    block = Block.objects.get(unit=target)
    caption = Asset.objects.get(kind="caption")
    assert block.data == {
        "video": "",
        "url": "https://videos.example.org/v",
        "captions": {"fr": caption.key},
    }


def test_a_bad_caption_file_is_refused_with_its_reason_and_nothing_is_kept(
    client: Client, run: CourseRun
) -> None:
    target = unit(chapter(run))
    client.force_login(_teacher_of(run))

    response = client.post(
        reverse("studio:block_create", args=[run.pk, target.pk]),
        {
            "type": "video",
            "url": "https://videos.example.org/v",
            "caption_language": "fr",
            "caption_file": SimpleUploadedFile("st.vtt", b"pas du webvtt", "text/vtt"),
        },
    )

    assert "au format WebVTT" in response.content.decode()
    assert (Block.objects.count(), Asset.objects.count()) == (0, 0)


def test_units_move_with_buttons_across_chapters(client: Client, run: CourseRun) -> None:
    first, second = chapter(run, "Un"), chapter(run, "Deux")
    unit(first, "a")
    last = unit(first, "b")
    client.force_login(_teacher_of(run))

    client.post(reverse("studio:unit_move", args=[run.pk, last.pk]), {"direction": "down"})

    assert list(Unit.objects.filter(chapter=second).values_list("title", flat=True)) == ["b"]
    bad = client.post(
        reverse("studio:unit_move", args=[run.pk, last.pk]), {"direction": "sideways"}
    )
    assert bad.status_code == 404


def test_uploading_a_forbidden_file_shows_the_reason(client: Client, run: CourseRun) -> None:
    client.force_login(_teacher_of(run))

    response = client.post(
        reverse("studio:assets", args=[run.pk]),
        {"kind": "file", "upload": SimpleUploadedFile("virus.exe", b"MZ")},
    )

    assert response.status_code == 200
    assert "Type de fichier refusé (exe)" in response.content.decode()
    assert Asset.objects.count() == 0


def test_a_rerun_from_the_studio_copies_the_content(client: Client, run: CourseRun) -> None:
    text_block(unit(chapter(run, "Semaine 1"), "Accueil"))
    client.force_login(_teacher_of(run))

    response = client.post(
        reverse("studio:rerun", args=[run.pk]),
        {"title": "2027", "start": "2027-09-01T09:00", "enrolment_start": "2027-07-01T09:00"},
    )

    new_run = CourseRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("studio:session", args=[new_run.pk])
    assert list(Unit.objects.filter(course_run=new_run).values_list("title", flat=True)) == [
        "Accueil"
    ]


def test_a_rerun_with_dates_in_the_wrong_order_is_refused(client: Client, run: CourseRun) -> None:
    client.force_login(_teacher_of(run))

    client.post(
        reverse("studio:rerun", args=[run.pk]),
        {
            "start": "2027-09-01T09:00",
            "end": "2027-08-01T09:00",
            "enrolment_start": "2027-07-01T09:00",
        },
    )

    assert CourseRun.objects.count() == 1


def test_the_preview_shows_the_draft_to_the_team_only(client: Client, run: CourseRun) -> None:
    target = unit(chapter(run), "Brouillon")
    text_block(target, "Texte pas encore publié")
    url = reverse("player:unit_preview", args=[run.pk, target.key])

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(_teacher_of(run))
    page = client.get(url).content.decode()

    assert "Texte pas encore publié" in page
    assert "Aperçu du brouillon" in page


def test_programme_staff_see_content_in_the_admin_but_do_not_edit_it(
    client: Client, run: CourseRun
) -> None:
    from sankore.accounts.tests.factories import RoleAssignmentFactory

    text_block(unit(chapter(run, "Semaine 1"), "Accueil"))
    staff = RoleAssignmentFactory(role=Role.PROGRAMME_STAFF).user
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client.force_login(staff)

    listing = client.get(reverse("admin:courseware_chapter_changelist"))
    adding = client.get(reverse("admin:courseware_chapter_add"))

    assert listing.status_code == 200
    assert "Semaine 1" in listing.content.decode()
    assert adding.status_code == 403


def test_the_preview_of_a_unit_ignores_a_video_still_converting_elsewhere(
    client: Client, run: CourseRun
) -> None:
    from sankore.courseware import services
    from sankore.courseware.models import AssetStatus

    ready = unit(chapter(run), "Prête")
    text_block(ready, "Texte prêt")
    converting = unit(chapter(run, "Plus loin"), "Vidéo")
    video = Asset.objects.create(
        course=run.course, kind="video", file="courseware/x/v.mp4", original_name="v.mp4",
        content_type="video/mp4", size_bytes=1, status=AssetStatus.PENDING,
    )  # fmt: skip
    services.block_create(unit=converting, kind="video", data={"video": video.key})
    client.force_login(_teacher_of(run))

    page = client.get(reverse("player:unit_preview", args=[run.pk, ready.key])).content.decode()

    assert "Texte prêt" in page


def test_campus_staff_may_not_create_courses_by_import(client: Client, db: None) -> None:
    from sankore.institutions.tests.factories import InstitutionFactory

    campus = InstitutionFactory(kind="campus")
    staff = UserFactory()
    role_assign(user=staff, role=Role.CAMPUS_STAFF, institution=campus, granted_by=None)
    client.force_login(staff)

    assert client.get(reverse("studio:import")).status_code == 403
