"""``manage.py check`` says when the server cannot process videos."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from sankore.courseware.media import tool_path


@checks.register()
def ffmpeg_installed(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    missing = [name for name in ("ffmpeg", "ffprobe") if tool_path(name) is None]
    if not missing:
        return []
    # An error in production (videos would never be transcoded); a warning on a developer's
    # machine, so `make run` still starts without ffmpeg.
    level = checks.Error if settings.PRODUCTION else checks.Warning
    return [
        level(
            f"{' and '.join(missing)} not found: uploaded videos cannot be transcoded.",
            hint="Install Debian's ffmpeg package, or set FFMPEG_BINARY / FFPROBE_BINARY.",
            id="courseware.E001" if settings.PRODUCTION else "courseware.W001",
        )
    ]
