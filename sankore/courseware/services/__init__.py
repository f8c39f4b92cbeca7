"""Every write on course content goes through these functions."""

from sankore.courseware.services.assets import (
    AssetError,
    asset_create,
    asset_process,
    assets_reprocess,
)
from sankore.courseware.services.outline import (
    OutlineError,
    block_create,
    block_delete,
    block_move,
    block_update,
    chapter_create,
    chapter_delete,
    chapter_move,
    chapter_update,
    course_run_rerun,
    draft_lock,
    outline_copy,
    unit_create,
    unit_delete,
    unit_move,
    unit_step,
    unit_update,
)
from sankore.courseware.services.packages import (
    package_import_as_course,
    package_import_as_session,
    package_import_into_session,
)
from sankore.courseware.services.publishing import (
    PublishError,
    courseware_publish,
    outline_build,
)

__all__ = [
    "AssetError",
    "OutlineError",
    "PublishError",
    "asset_create",
    "asset_process",
    "assets_reprocess",
    "block_create",
    "block_delete",
    "block_move",
    "block_update",
    "chapter_create",
    "chapter_delete",
    "chapter_move",
    "chapter_update",
    "course_run_rerun",
    "courseware_publish",
    "draft_lock",
    "outline_build",
    "outline_copy",
    "package_import_as_course",
    "package_import_as_session",
    "package_import_into_session",
    "unit_create",
    "unit_delete",
    "unit_move",
    "unit_step",
    "unit_update",
]
