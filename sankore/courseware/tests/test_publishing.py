"""Publishing: learners only ever see a whole published version, never the draft."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseRun
from sankore.courseware import selectors, services
from sankore.courseware.models import CoursewareDraft, PublishedBlock, PublishedOutline
from sankore.courseware.services import PublishError
from sankore.courseware.tests.factories import (
    caption_asset,
    chapter,
    file_asset,
    text_block,
    unit,
)

pytestmark = pytest.mark.django_db


def test_publishing_snapshots_the_outline_and_the_rendered_blocks(run: CourseRun) -> None:
    author = UserFactory()
    week = chapter(run, "Semaine 1")
    intro = unit(
        week,
        "Introduction",
        duration_minutes=15,
        objectives="Situer le cours\nSe présenter",
        is_free_preview=True,
    )
    block = text_block(intro, "## Bienvenue\n\nBonjour <script>x()</script>", title="Accueil")

    publication = services.courseware_publish(course_run=run, user=author)

    assert (publication.version, publication.block_count, publication.published_by) == (
        1,
        1,
        author,
    )
    assert publication.outline == {
        "chapters": [
            {
                "key": week.key,
                "title": "Semaine 1",
                "release_at": None,
                "units": [
                    {
                        "key": intro.key,
                        "title": "Introduction",
                        "duration_minutes": 15,
                        "objectives": ["Situer le cours", "Se présenter"],
                        "free_preview": True,
                        "due_at": None,
                        "due_days_after_enrolment": None,
                        "pool_size": None,
                        "exam": None,
                        "blocks": [
                            {
                                "key": block.key,
                                "kind": "text",
                                "title": "Accueil",
                                "completion": "view",
                            }
                        ],
                    }
                ],
            }
        ],
        "assets": {},
    }
    published = PublishedBlock.objects.get(publication=publication)
    assert (
        published.content["html"]
        == "<h3>Bienvenue</h3>\n<p>Bonjour &lt;script&gt;x()&lt;/script&gt;</p>\n"
    )
    assert not CoursewareDraft.objects.get(course_run=run).has_unpublished_changes


def test_draft_edits_stay_invisible_until_the_next_publication(run: CourseRun) -> None:
    block = text_block(unit(chapter(run)), "Version 1")
    services.courseware_publish(course_run=run)

    services.block_update(block=block, data={"markdown": "Version 2"})

    current = selectors.publication_current(course_run_id=run.pk)
    assert current is not None
    assert current.version == 1
    assert "Version 1" in PublishedBlock.objects.get(publication=current).content["html"]
    assert CoursewareDraft.objects.get(course_run=run).has_unpublished_changes

    services.courseware_publish(course_run=run)

    current = selectors.publication_current(course_run_id=run.pk)
    assert current is not None
    assert current.version == 2
    assert "Version 2" in PublishedBlock.objects.get(publication=current).content["html"]


def test_a_block_that_cannot_go_out_publishes_nothing(run: CourseRun) -> None:
    """A video still being converted stops the whole publication: no half version."""
    from sankore.courseware.models import Asset, AssetKind, AssetStatus

    parent = unit(chapter(run), "Vidéo")
    text_block(parent, "Avant la vidéo")
    video = Asset.objects.create(
        course=run.course, kind=AssetKind.VIDEO, file="courseware/x/clip.mp4",
        original_name="clip.mp4", content_type="video/mp4", size_bytes=10,
        status=AssetStatus.PENDING,
    )  # fmt: skip
    services.block_create(unit=parent, kind="video", data={"video": video.key})

    with pytest.raises(PublishError) as refused:
        services.courseware_publish(course_run=run)

    assert refused.value.code == "asset_not_ready"
    assert "Séquence « Vidéo »" in str(refused.value.message)
    assert PublishedOutline.objects.count() == 0
    assert PublishedBlock.objects.count() == 0


def test_an_empty_outline_is_not_published(run: CourseRun) -> None:
    with pytest.raises(PublishError) as refused:
        services.courseware_publish(course_run=run)

    assert refused.value.code == "empty"
    assert PublishedOutline.objects.count() == 0


def test_only_the_last_publications_are_kept(run: CourseRun) -> None:
    text_block(unit(chapter(run)))
    for _ in range(5):
        services.courseware_publish(course_run=run)

    assert list(
        PublishedOutline.objects.filter(course_run=run)
        .order_by("version")
        .values_list("version", flat=True)
    ) == [3, 4, 5]


def test_resources_and_captions_are_published_with_their_files(run: CourseRun) -> None:
    parent = unit(chapter(run), "Ressources")
    guide = file_asset(run, "grille-objectifs.csv", b"Verbe;Niveau\nciter;1\n")
    services.block_create(unit=parent, kind="resource", data={"file": guide.key}, title="Grille")
    captions = caption_asset(run)
    services.block_create(
        unit=parent,
        kind="video",
        data={"url": "https://videos.example.org/scenariser", "captions": {"fr": captions.key}},
    )

    publication = services.courseware_publish(course_run=run)

    resource, video = PublishedBlock.objects.filter(publication=publication).order_by("position")
    assert resource.content == {
        "asset": guide.key,
        "name": "grille-objectifs.csv",
        "size": 21,
        "content_type": "text/csv; charset=utf-8",
    }
    assert video.content == {
        "url": "https://videos.example.org/scenariser",
        "captions": [
            {
                "language": "fr",
                "asset": captions.key,
                "transcript": "Bonjour à toutes et à tous.\nVoici la première séquence.",
            }
        ],
    }
    assert publication.outline["assets"] == {guide.key: [parent.key], captions.key: [parent.key]}


def test_the_published_outline_is_read_in_one_query_whatever_its_size(run: CourseRun) -> None:
    for c in range(10):
        week = chapter(run, f"Semaine {c}")
        for u in range(20):
            text_block(unit(week, f"Séquence {c}.{u}"), f"Texte {c}.{u}")
    services.courseware_publish(course_run=run)

    with CaptureQueriesContext(connection) as queries:
        outline = selectors.outline_of(selectors.publication_current(course_run_id=run.pk))  # type: ignore[arg-type]
        units = list(outline.units())

    assert len(queries) == 1
    assert len(units) == 200
    assert outline.neighbours(units[20]) == (units[19], units[21])
