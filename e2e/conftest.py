"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Never downloads a browser: the suite runs on campus machines and CI boxes without internet,
so it drives the distribution's ``/usr/bin/chromium`` and skips when it is absent (fails
instead when ``SANKORE_E2E_REQUIRED`` is set, as ``.ci/run`` does).
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from e2e.watch import PageWatch

CHROMIUM = Path(os.environ.get("SANKORE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    # CI and campus machines run the suite as root, where chromium's sandbox cannot start.
    "--no-sandbox",
    "--disable-gpu",
    # No call home: the test also asserts that no request leaves the live server.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FAILURE_ARTEFACTS = Path(__file__).resolve().parent.parent / "var" / "e2e-failures"

# A slow 2-core CI machine under a parallel test run needs more than Playwright's 5 s default.
expect.set_options(timeout=15_000)


AXE_TEST = re.compile(r"accessibility_violation|passes_axe")
AXE_SKIPPED_VARIANTS = {("fr", 1280), ("en", 360)}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Playwright's event loop runs in the main thread from the first browser test to the end of
    # the session; running the browser tests last keeps every other test out of that loop.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
    # axe-core judges the rendered pages, which do not depend on the database: CI runs them
    # on SQLite only and keeps its PostgreSQL run for what does (ADR 0009). The journeys run
    # on both. SANKORE_AXE_EVERYWHERE=1 runs them on PostgreSQL too.
    from django.conf import settings

    if os.environ.get("SANKORE_AXE_EVERYWHERE"):
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    on_postgres = pytest.mark.skip(reason="axe-core checks run on SQLite (ADR 0009)")
    # Of the four (language, width) variants of a page, two diagonals cover both languages
    # and both widths: French on a phone, English on a laptop (ADR 0010).
    off_diagonal = pytest.mark.skip(reason="axe-core: French at 360 px, English at 1280 (ADR 0010)")
    for item in items:
        if not AXE_TEST.search(item.name):
            continue
        if "postgresql" in engine:
            item.add_marker(on_postgres)
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        variant = (params.get("language"), params.get("width"))
        if variant in AXE_SKIPPED_VARIANTS:
            item.add_marker(off_diagonal)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("SANKORE_E2E_REQUIRED"):  # CI installs it: a skip would hide a gap
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an asyncio loop in this thread, so Django would refuse every
    # ORM call made by the test (factories, assertions, the flush after the test). Scoped to the
    # browser's lifetime so the unit tests keep Django's async-safety check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page_watch(live_server: object) -> PageWatch:
    return PageWatch(origin=str(live_server).rstrip("/"))


@pytest.fixture
def context(browser: Browser, page_watch: PageWatch) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="fr-FR", timezone_id="Africa/Dakar")
    context.set_default_timeout(15_000)
    context.on("request", page_watch.on_request)
    yield context
    context.close()


@pytest.fixture
def page(
    request: pytest.FixtureRequest, context: BrowserContext, page_watch: PageWatch
) -> Iterator[Page]:
    """A fresh page (own cookies, empty cache) whose console and network are watched."""
    page = context.new_page()
    page.on("console", page_watch.on_console)
    page.on("pageerror", page_watch.on_page_error)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # Keep what the browser showed: a failing journey is much easier to read as a picture.
        FAILURE_ARTEFACTS.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.name)
        try:
            page.screenshot(path=FAILURE_ARTEFACTS / f"{stem}.png", full_page=True)
            (FAILURE_ARTEFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # the test has already failed: say why, do not mask it
            print(f"could not save the failure artefacts: {error}")
        else:
            print(f"failure artefacts: {FAILURE_ARTEFACTS / stem}.{{png,html}}; URL {page.url}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # The page fixture reads the call's outcome to decide whether to keep a screenshot.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
