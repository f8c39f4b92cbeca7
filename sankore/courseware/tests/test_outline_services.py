"""Editing the draft outline: create, reorder, move, delete; re-runs copy it."""

from __future__ import annotations

import datetime

import pytest

from sankore.catalog.models import CourseRun
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.core.errors import ServiceError
from sankore.courseware import services
from sankore.courseware.models import Block, Chapter, CoursewareDraft, Unit
from sankore.courseware.services import OutlineError
from sankore.courseware.tests.factories import chapter, text_block, unit

pytestmark = pytest.mark.django_db


def _titles(queryset) -> list[str]:  # type: ignore[no-untyped-def]
    return list(queryset.order_by("position").values_list("title", flat=True))


def test_chapters_units_and_blocks_are_appended_in_order(run: CourseRun) -> None:
    first, second = chapter(run, "Objectifs"), chapter(run, "Vidéos")
    intro = unit(first, "Pourquoi des objectifs ?")
    unit(first, "Rédiger un objectif")
    text_block(intro, "Premier")
    text_block(intro, "Second")

    assert [first.position, second.position] == [0, 1]
    assert _titles(Unit.objects.filter(chapter=first)) == [
        "Pourquoi des objectifs ?",
        "Rédiger un objectif",
    ]
    assert list(
        Block.objects.filter(unit=intro).order_by("position").values_list("data", flat=True)
    ) == [
        {"markdown": "Premier"},
        {"markdown": "Second"},
    ]
    assert CoursewareDraft.objects.get(course_run=run).has_unpublished_changes


def test_moving_a_chapter_renumbers_its_siblings(run: CourseRun) -> None:
    a, b, c = chapter(run, "A"), chapter(run, "B"), chapter(run, "C")

    services.chapter_move(chapter=c, position=0)

    assert _titles(Chapter.objects.filter(course_run=run)) == ["C", "A", "B"]
    services.chapter_move(chapter=Chapter.objects.get(pk=a.pk), position=99)
    assert _titles(Chapter.objects.filter(course_run=run)) == ["C", "B", "A"]
    assert sorted(Chapter.objects.filter(course_run=run).values_list("position", flat=True)) == [
        0,
        1,
        2,
    ]
    assert b.pk  # untouched object still exists


def test_a_unit_moves_into_another_chapter_and_both_stay_dense(run: CourseRun) -> None:
    first, second = chapter(run, "Un"), chapter(run, "Deux")
    u1, u2 = unit(first, "u1"), unit(first, "u2")
    v1 = unit(second, "v1")

    services.unit_move(unit=u1, position=1, chapter=second)

    assert _titles(Unit.objects.filter(chapter=first)) == ["u2"]
    assert _titles(Unit.objects.filter(chapter=second)) == ["v1", "u1"]
    assert Unit.objects.get(pk=u2.pk).position == 0
    assert Unit.objects.get(pk=v1.pk).position == 0


def test_a_unit_cannot_move_into_a_chapter_of_another_session(run: CourseRun) -> None:
    mine = unit(chapter(run), "Ma séquence")
    foreign = chapter(CourseRunFactory(), "Autre")

    with pytest.raises(ServiceError) as refused:
        services.unit_move(unit=mine, position=0, chapter=foreign)

    assert refused.value.code == "not_found"
    assert Unit.objects.get(pk=mine.pk).chapter_id != foreign.pk


def test_deleting_a_block_renumbers_the_rest(run: CourseRun) -> None:
    parent = unit(chapter(run))
    blocks = [text_block(parent, str(i)) for i in range(3)]

    services.block_delete(block=blocks[0])

    assert list(
        Block.objects.filter(unit=parent).order_by("position").values_list("position", "data")
    ) == [
        (0, {"markdown": "1"}),
        (1, {"markdown": "2"}),
    ]


def test_an_unknown_block_kind_is_refused_and_nothing_is_written(run: CourseRun) -> None:
    parent = unit(chapter(run))

    with pytest.raises(OutlineError) as refused:
        services.block_create(unit=parent, kind="flash", data={})

    assert refused.value.code == "kind"
    assert Block.objects.count() == 0


def test_an_empty_text_is_refused(run: CourseRun) -> None:
    parent = unit(chapter(run))

    with pytest.raises(ServiceError) as refused:
        services.block_create(unit=parent, kind="text", data={"markdown": "  \n"})

    assert refused.value.code == "text_empty"
    assert Block.objects.count() == 0


def test_a_text_citing_a_file_of_another_course_is_refused(run: CourseRun) -> None:
    from sankore.courseware.tests.factories import file_asset

    other = file_asset(CourseRunFactory())
    parent = unit(chapter(run))

    with pytest.raises(ServiceError) as refused:
        services.block_create(
            unit=parent, kind="text", data={"markdown": f"[guide](asset:{other.key})"}
        )

    assert refused.value.code == "unknown_asset"
    assert Block.objects.count() == 0


def test_a_rerun_copies_the_draft_with_the_same_keys_then_evolves_alone(run: CourseRun) -> None:
    release = run.start + datetime.timedelta(days=7)
    source_chapter = chapter(run, "Semaine 1", release_at=release)
    source_unit = unit(
        source_chapter, "Introduction", duration_minutes=20, objectives="Lire\nÉcrire"
    )
    source_block = text_block(source_unit, "Bienvenue", title="Accueil")
    start = run.start + datetime.timedelta(days=365)

    rerun = services.course_run_rerun(
        source=run,
        start=start,
        enrolment_start=start - datetime.timedelta(days=30),
        end=start + datetime.timedelta(days=42),
        title="2027",
    )

    copied_chapter = Chapter.objects.get(course_run=rerun)
    copied_unit = Unit.objects.get(course_run=rerun)
    copied_block = Block.objects.get(course_run=rerun)
    assert rerun.course_id == run.course_id
    assert not rerun.is_published
    assert (copied_chapter.key, copied_unit.key, copied_block.key) == (
        source_chapter.key,
        source_unit.key,
        source_block.key,
    )
    assert copied_chapter.release_at == release + datetime.timedelta(days=365)
    assert (copied_unit.title, copied_unit.duration_minutes, copied_unit.objectives) == (
        "Introduction",
        20,
        "Lire\nÉcrire",
    )
    assert (copied_block.title, copied_block.data) == ("Accueil", {"markdown": "Bienvenue"})

    services.block_update(block=copied_block, data={"markdown": "Bienvenue en 2027"})
    services.unit_update(unit=copied_unit, title="Introduction 2027")

    assert Block.objects.get(pk=source_block.pk).data == {"markdown": "Bienvenue"}
    assert Unit.objects.get(pk=source_unit.pk).title == "Introduction"


def test_content_is_not_copied_into_a_session_that_has_some(run: CourseRun) -> None:
    chapter(run, "Source")
    target = CourseRunFactory(course=run.course)
    chapter(target, "Déjà là")

    with pytest.raises(OutlineError) as refused:
        services.outline_copy(source=run, target=target)

    assert refused.value.code == "not_empty"
    assert _titles(Chapter.objects.filter(course_run=target)) == ["Déjà là"]


def test_content_is_not_copied_across_courses(run: CourseRun) -> None:
    chapter(run, "Source")
    target = CourseRunFactory()

    with pytest.raises(OutlineError) as refused:
        services.outline_copy(source=run, target=target)

    assert refused.value.code == "other_course"
    assert not Chapter.objects.filter(course_run=target).exists()


def test_unknown_fields_are_a_programming_error(run: CourseRun) -> None:
    target = chapter(run, "Titre")

    with pytest.raises(TypeError):
        services.chapter_update(chapter=target, position=3)

    assert Chapter.objects.get(pk=target.pk).position == 0


def test_a_rerun_keeps_release_times_on_the_institutions_clock_across_daylight_time(
    db: None,
) -> None:
    import zoneinfo

    from sankore.institutions.tests.factories import InstitutionFactory

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    owner = InstitutionFactory(time_zone="Europe/Paris")
    source = CourseRunFactory(
        course=__import__(
            "sankore.catalog.tests.factories", fromlist=["CourseFactory"]
        ).CourseFactory(owners=[owner]),
        start=datetime.datetime(2027, 3, 3, 9, 0, tzinfo=paris),
        end=datetime.datetime(2027, 5, 3, 9, 0, tzinfo=paris),
        enrolment_start=datetime.datetime(2027, 2, 1, 9, 0, tzinfo=paris),
        enrolment_end=None,
    )
    chapter(
        source,
        "Après le changement d'heure",
        release_at=datetime.datetime(2027, 4, 7, 9, 0, tzinfo=paris),
    )

    rerun = services.course_run_rerun(
        source=source,
        start=datetime.datetime(2027, 9, 1, 9, 0, tzinfo=paris),
        enrolment_start=datetime.datetime(2027, 8, 1, 9, 0, tzinfo=paris),
    )

    release = Chapter.objects.get(course_run=rerun).release_at
    assert release is not None
    assert release.astimezone(paris).replace(tzinfo=None) == datetime.datetime(2027, 10, 6, 9, 0)
