"""The block registry: what a kind of block is, in one place, so that new kinds (problems,
later LTI or SCORM) plug in without touching the studio, the publisher or the player.

A type validates what authors write (``clean``), names the course files it uses
(``asset_keys``), turns its data into what learners get at publication (``publish``), and
says how a learner completes it (``completion``). The player renders ``learner_template``
with the published content; the studio builds its form from ``form_class``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from django import forms

    from sankore.catalog.models import CourseRun
    from sankore.courseware.models import Asset, PublishedOutline


class Completion(StrEnum):
    """How a learner completes a block."""

    VIEW = "view"  # shown on the unit page
    WATCH = "watch"  # a video watched to 90 %, or its transcript opened
    DOWNLOAD = "download"  # the file downloaded
    SUBMIT = "submit"  # an answer submitted (problems, later)


@dataclass(frozen=True)
class PublishContext:
    """What a block type may use to build its published content."""

    assets: Mapping[str, Asset]  # the course's assets this block uses, by key
    course_run_id: int
    block_title: str = ""


class BlockType(ABC):
    kind: ClassVar[str]
    label: ClassVar[StrOrPromise]
    completion: ClassVar[Completion]
    learner_template: ClassVar[str]
    studio_help: ClassVar[StrOrPromise] = ""

    @abstractmethod
    def form_class(self) -> type[forms.Form]:
        """The studio's form for this type."""

    def initial(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The studio form's initial values for stored ``data``."""
        return dict(data)

    @abstractmethod
    def clean(self, *, data: Mapping[str, Any], course_id: int) -> dict[str, Any]:
        """Validated, normalised data; raises ``ServiceError`` with a message for the author."""

    def asset_keys(self, data: Mapping[str, Any]) -> set[str]:
        return set()

    @abstractmethod
    def publish(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any]:
        """The content learners get; raises ``ServiceError`` when the block cannot go out."""

    def grading(self, *, data: Mapping[str, Any], context: PublishContext) -> dict[str, Any] | None:
        """What the server keeps to grade answers (correct answers, feedback): published with
        the block but never given to a template, so it never reaches a browser early."""
        return None

    def outline_extra(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """What the outline says of the block besides its kind and title (a graded problem's
        assessment type and points, for grades computed without reading every block)."""
        return {}


_registry: dict[str, BlockType] = {}


def block_type_register(block_type: BlockType) -> BlockType:
    if block_type.kind in _registry:
        raise ValueError(f"Block kind {block_type.kind!r} is registered twice")
    _registry[block_type.kind] = block_type
    return block_type


def block_type_of(kind: str) -> BlockType | None:
    return _registry.get(kind)


def block_types() -> list[BlockType]:
    return list(_registry.values())


# What higher layers do when a session's content is published (assessments recompute the
# grades when what counts in them changed): called inside the publication's transaction,
# with the new publication and the one it replaces.
PublicationListener = Callable[["CourseRun", "PublishedOutline", "PublishedOutline | None"], None]
_publication_listeners: list[PublicationListener] = []


def publication_listener_register(listener: PublicationListener) -> PublicationListener:
    if listener not in _publication_listeners:
        _publication_listeners.append(listener)
    return listener


def publication_listeners() -> list[PublicationListener]:
    return list(_publication_listeners)
