"""Full-page screenshots of the learner pages, on a small phone and a laptop, in both languages.

    .venv/bin/python bench/screenshots.py                        # against make run
    .venv/bin/python bench/screenshots.py --base-url http://127.0.0.1:8001 /cours/ /mes-cours/

Writes ``screenshots/<page>_<language>_<width>.png`` (git-ignored) and prints the files.
Pages under ``/mes-cours/`` are taken signed in as the demo learner.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from browsing import (
    DEFAULT_BASE_URL,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    ROOT,
    ToolError,
    chromium,
    fail,
    first_course_path,
    first_institution_path,
    needs_sign_in,
    new_context,
    sign_in,
)
from playwright.sync_api import Browser, StorageState
from playwright.sync_api import Error as PlaywrightError

# 360 px: the most common width of the cheap Android phones our learners use.
WIDTHS = {360: 740, 1280: 800}
LANGUAGES = ("fr", "en")


def default_paths(base_url: str, problems: list[str]) -> list[str]:
    """The learner pages; a page that cannot be found is reported and the others still taken."""

    def found(finder: Callable[[str], str], what: str) -> list[str]:
        try:
            return [finder(base_url)]
        except (ToolError, OSError) as error:
            problems.append(f"no {what} to take: {error}")
            return []

    return [
        "/",
        "/cours/",
        "/cours/?q=economie",
        *found(first_course_path, "course page"),
        "/etablissements/",
        *found(first_institution_path, "institution page"),
        "/comptes/login/",
        "/comptes/signup/",
        "/mes-cours/",
    ]


def file_stem(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "accueil"


def take(
    browser: Browser,
    *,
    base_url: str,
    paths: list[str],
    out: Path,
    signed_in: StorageState | None,
    problems: list[str],
) -> list[Path]:
    files: list[Path] = []
    for language in LANGUAGES:
        for width, height in WIDTHS.items():
            for as_learner in (False, True):
                chosen = [path for path in paths if needs_sign_in(path) == as_learner]
                if not chosen:
                    continue
                context = new_context(
                    browser,
                    base_url=base_url,
                    language=language,
                    width=width,
                    height=height,
                    storage_state=signed_in if as_learner else None,
                )
                page = context.new_page()
                for path in chosen:
                    try:
                        response = page.goto(base_url + path, wait_until="load")
                    except PlaywrightError as error:
                        problems.append(f"{path}: {error.message.splitlines()[0]}")
                        continue
                    if response is None or response.status >= 400:
                        status = response.status if response else "no response"
                        problems.append(f"{path} ({language}, {width}px): HTTP {status}")
                    target = out / f"{file_stem(path)}_{language}_{width}.png"
                    page.screenshot(path=target, full_page=True)
                    files.append(target)
                context.close()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="paths to take (default: the learner pages)")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL)
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--email", default=DEMO_EMAIL)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    args = parser.parse_args(argv)
    base_url = args.base_url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        paths = args.paths or default_paths(base_url, problems)
        with chromium() as browser:
            signed_in = None
            if any(needs_sign_in(path) for path in paths):
                signed_in = sign_in(browser, base_url, args.email, args.password)
            files = take(
                browser,
                base_url=base_url,
                paths=paths,
                out=args.out,
                signed_in=signed_in,
                problems=problems,
            )
    except (ToolError, OSError) as error:
        fail(str(error))
    for file in files:
        print(file.relative_to(ROOT) if file.is_relative_to(ROOT) else file)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
