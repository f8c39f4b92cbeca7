from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def keys_dir(settings: Any, tmp_path: Path) -> Path:
    """The issuer keys of the test, in an empty directory of its own."""
    directory = tmp_path / "keys"
    settings.CREDENTIALS_KEYS_DIR = directory
    return directory
