"""What a page did that a learner should never see: console errors, calls to other hosts."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Request


@dataclass
class PageWatch:
    """Collects, for one test, console errors and requests to any origin but ``origin``."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Exception) -> None:
        self.console_errors.append(f"uncaught: {error}")

    def on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        # data: and blob: URLs never leave the browser; everything else must stay on the site,
        # which campuses may run on a local network without internet.
        leaves_browser = parts.scheme in {"http", "https", "ws", "wss"}
        if leaves_browser and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)
