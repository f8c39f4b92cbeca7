"""Settings come from the environment; production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Not the test process's own: its database, its cache, and the async switch the browser
    # tests set for their session (in a parallel run they may have run first in this process).
    own = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in own}
    return subprocess.run(  # noqa: S603 — fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "sankore.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "SANKORE_ENV": "production",
            "SECRET_KEY": "a-production-secret-" + "k" * 50,
            "ALLOWED_HOSTS": "mooc.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        },
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _manage(
        "check",
        env={
            "SANKORE_ENV": "production",
            "SECRET_KEY": "",
            "ALLOWED_HOSTS": "mooc.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        },
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
