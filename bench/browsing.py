"""Shared by the browser tools of ``bench/``: Debian's chromium, signing in, finding pages.

The scripts are run as ``.venv/bin/python bench/<tool>.py``; Python then puts ``bench/`` on the
import path, which is how they find this module.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Browser, BrowserContext, StorageState, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # run as root on CI and campus servers
    "--disable-gpu",
    # Keep the browser's own traffic (updates, sync, QUIC probes) out of what we measure.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEMO_EMAIL = "apprenant@sankore.example"
DEMO_PASSWORD = "sankore-demo"  # noqa: S105  (the public demo account of seed_demo)
# Pages that only a signed-in learner sees.
SIGNED_IN_PREFIXES = (
    "/mes-cours/",
    "/mes-attestations/",
    "/mes-examens/",
    "/examens/",
    "/centres-d-examen/",
    "/campus/",
    "/apprendre/",
    "/studio/",
    "/partenariats/",
    "/appels/mes-candidatures/",
    "/appels/candidatures/",
    "/appels/expertise/",
    "/appels/evaluations/",
    "/appels/programme/",
)
# A call's own pages for its experts and staff (``/appels/<slug>/expertise/``…).
SIGNED_IN_SEGMENTS = ("/expertise/", "/gestion/", "/modifier/")
COURSE_LINK = re.compile(r'href="(/cours/(?!\?)[^"/?#]+/)')
INSTITUTION_LINK = re.compile(r'href="(/etablissements/(?!\?)[^"/?#]+/)')


class ToolError(Exception):
    """A reason the tool cannot measure: the message is for the person running it."""


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        raise ToolError(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def needs_sign_in(path: str) -> bool:
    return path.startswith(SIGNED_IN_PREFIXES) or (
        path.startswith("/appels/") and any(part in path for part in SIGNED_IN_SEGMENTS)
    )


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def fetch_text(url: str, *, timeout: float = 30) -> str:
    request = urllib.request.Request(url, headers={"Accept-Language": "fr"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.read().decode("utf-8")


def _course_path_from_api(base_url: str) -> str | None:
    """The first course of ``/api/v1/courses``, whatever envelope the API settles on."""
    try:
        data: Any = json.loads(fetch_text(f"{base_url}/api/v1/courses"))
    except (OSError, ValueError):
        return None
    items = data if isinstance(data, list) else []
    if isinstance(data, dict):
        for key in ("items", "results", "courses", "data"):
            if isinstance(data.get(key), list):
                items = data[key]
                break
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in ("url", "html_url", "web_url", "absolute_url", "link"):
            value = item.get(key)
            if isinstance(value, str) and "/cours/" in value:
                return urlsplit(urljoin(base_url, value)).path
        if isinstance(item.get("slug"), str):
            return f"/cours/{item['slug']}/"
    return None


def first_course_path(base_url: str) -> str:
    path = _course_path_from_api(base_url)
    if path:
        return path
    # The API is not there (yet): take the catalog's first course.
    match = COURSE_LINK.search(fetch_text(f"{base_url}/cours/"))
    if not match:
        raise ToolError(f"no course found at {base_url}: load the demo (manage.py seed_demo)")
    return match.group(1)


def first_institution_path(base_url: str) -> str:
    match = INSTITUTION_LINK.search(fetch_text(f"{base_url}/etablissements/"))
    if not match:
        raise ToolError(f"no institution found at {base_url}/etablissements/")
    return match.group(1)


def sign_in(browser: Browser, base_url: str, email: str, password: str) -> StorageState:
    """Sign in through the login form; return the cookies for fresh contexts to reuse."""
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/comptes/login/")
        # Field names, not labels: the tools must not break when the wording changes.
        page.locator("input[name=login]").fill(email)
        password_field = page.locator("input[name=password]")
        password_field.fill(password)
        password_field.press("Enter")
        try:
            page.wait_for_url(lambda url: "/comptes/login/" not in url, timeout=15_000)
        except PlaywrightTimeoutError as error:
            raise ToolError(
                f"could not sign in as {email} at {base_url}: load the demo (manage.py seed_demo)"
            ) from error
        return context.storage_state()
    finally:
        context.close()


def new_context(
    browser: Browser,
    *,
    base_url: str,
    language: str = "fr",
    width: int = 1280,
    height: int = 800,
    storage_state: StorageState | None = None,
) -> BrowserContext:
    """A fresh context (empty cache) in ``language``, chosen as a learner would: the cookie."""
    context = browser.new_context(
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport={"width": width, "height": height},
        storage_state=storage_state,
        service_workers="block",
    )
    context.add_cookies([{"name": "sankore_language", "value": language, "url": base_url}])
    return context


def fail(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)
