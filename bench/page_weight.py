"""Weight of the learner pages on a first visit, against the budgets of the architecture.

    .venv/bin/python bench/page_weight.py                          # catalog, a course, dashboard
    .venv/bin/python bench/page_weight.py --base-url http://127.0.0.1:8001 /cours/?q=sante

Each page is loaded in headless chromium with an empty cache; the bytes counted are those
that crossed the network (compressed bodies and headers: CDP's ``encodedDataLength``).
Budgets: at most 100 KB in all and 20 KB of JavaScript per page (1 KB = 1,000 bytes), course
media under ``/media/`` aside, and every request to the page's own origin. Prints a Markdown
table; exits 1 when a budget is exceeded, 2 when a page cannot be measured.

Measure what learners get: a production-like server (``SANKORE_ENV=production``, collectstatic,
gunicorn), since ``runserver`` sends static files uncompressed. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from browsing import (
    DEFAULT_BASE_URL,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    ToolError,
    chromium,
    fail,
    first_course_path,
    needs_sign_in,
    new_context,
    origin_of,
    sign_in,
)
from playwright.sync_api import Browser, StorageState
from playwright.sync_api import Error as PlaywrightError

KB = 1000
TOTAL_BUDGET = 100 * KB
JS_BUDGET = 20 * KB
KINDS = ("document", "css", "js", "images", "other")
# Chrome DevTools Protocol resource types → the columns of the report.
KIND_OF_TYPE = {"Document": "document", "Stylesheet": "css", "Script": "js", "Image": "images"}


@dataclass
class PageWeight:
    path: str
    status: int
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    media: int = 0  # course media: reported, outside the budget
    requests: int = 0
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def breaches(self) -> list[str]:
        found = []
        if self.total > TOTAL_BUDGET:
            found.append(f"total {kb(self.total)} > {kb(TOTAL_BUDGET)}")
        if self.by_kind["js"] > JS_BUDGET:
            found.append(f"JS {kb(self.by_kind['js'])} > {kb(JS_BUDGET)}")
        if self.foreign:
            found.append(f"{len(self.foreign)} request(s) to another origin")
        return found


def kb(size: int) -> str:
    return f"{size / KB:.1f} KB"


def measure(
    browser: Browser, *, base_url: str, path: str, storage_state: StorageState | None
) -> PageWeight:
    context = new_context(browser, base_url=base_url, storage_state=storage_state)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        # requestId → [url, resource type, bytes]; a redirect reuses its request's id.
        seen: dict[str, list[Any]] = {}
        finished: dict[str, int] = defaultdict(int)
        failed: list[str] = []

        def on_request(event: dict[str, Any]) -> None:
            redirect = event.get("redirectResponse")
            if redirect:  # the redirect's own response crossed the network too
                finished[event["requestId"]] += int(redirect.get("encodedDataLength", 0))
            seen[event["requestId"]] = [event["request"]["url"], event.get("type", "Other")]

        def on_finished(event: dict[str, Any]) -> None:
            finished[event["requestId"]] += int(event["encodedDataLength"])

        def on_failed(event: dict[str, Any]) -> None:
            if not event.get("canceled"):
                failed.append(f"{seen.get(event['requestId'], ['?'])[0]}: {event['errorText']}")

        cdp.on("Network.requestWillBeSent", on_request)
        cdp.on("Network.loadingFinished", on_finished)
        cdp.on("Network.loadingFailed", on_failed)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        try:
            response = page.goto(base_url + path, wait_until="networkidle")
        except PlaywrightError as error:
            raise ToolError(f"{path}: {error.message.splitlines()[0]}") from error
        if "/comptes/login/" in page.url and not path.startswith("/comptes/"):
            raise ToolError(f"{path} sent the browser to the login page: not signed in")
        weight = PageWeight(path=path, status=response.status if response else 0)
        weight.failed = failed
        origin = origin_of(base_url)
        for request_id, (url, resource_type) in seen.items():
            parts = urlsplit(url)
            if parts.scheme not in {"http", "https", "ws", "wss"}:
                continue  # data: and blob: never leave the browser
            weight.requests += 1
            if origin_of(url) != origin:
                weight.foreign.append(url)
            size = finished.get(request_id, 0)
            if parts.path.startswith("/media/") or resource_type == "Media":
                weight.media += size
            else:
                weight.by_kind[KIND_OF_TYPE.get(resource_type, "other")] += size
        return weight
    finally:
        context.close()


def report(weights: list[PageWeight]) -> str:
    header = ["Page", "Document", "CSS", "JS", "Images", "Other", "Total", "Media*", "Req.", ""]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["---:"] * 8 + ["---"]) + "|",
    ]
    for weight in weights:
        cells = [
            f"`{weight.path}`",
            *(kb(weight.by_kind[kind]) for kind in KINDS),
            f"**{kb(weight.total)}**",
            kb(weight.media),
            str(weight.requests),
            "; ".join(weight.breaches) or "within budget",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"Transferred bytes, empty cache, 1 KB = 1,000 bytes. Budgets: total ≤ {kb(TOTAL_BUDGET)},"
        f" JavaScript ≤ {kb(JS_BUDGET)}, same origin only."
        " *Course media under /media/, outside the budget."
    )
    for weight in weights:
        for url in weight.foreign:
            lines.append(f"- `{weight.path}` called another origin: {url}")
        for failure in weight.failed:
            lines.append(f"- `{weight.path}` failed to load {failure}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="paths to weigh (default: the learner pages)")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL)
    parser.add_argument("--email", default=DEMO_EMAIL)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    args = parser.parse_args(argv)
    base_url = args.base_url.rstrip("/")
    try:
        paths = args.paths or ["/cours/", first_course_path(base_url), "/mes-cours/"]
        with chromium() as browser:
            signed_in = None
            if any(needs_sign_in(path) for path in paths):
                signed_in = sign_in(browser, base_url, args.email, args.password)
            weights = [
                measure(
                    browser,
                    base_url=base_url,
                    path=path,
                    storage_state=signed_in if needs_sign_in(path) else None,
                )
                for path in paths
            ]
    except (ToolError, OSError) as error:
        fail(str(error))
    print(report(weights))
    unmeasurable = [w for w in weights if w.status != 200]
    if unmeasurable:
        for weight in unmeasurable:
            print(f"error: {weight.path} answered HTTP {weight.status}", file=sys.stderr)
        return 2
    return 1 if any(weight.breaches for weight in weights) else 0


if __name__ == "__main__":
    sys.exit(main())
