"""Load on the learner player: signed-in learners of one session read its outline and unit
pages, report video progress and download resources.

    .venv/bin/python manage.py bench_learners RUN_ID > bench/results/learners.txt
    LOCUSTFILE=bench/locust_player.py LEARNERS_FILE=bench/results/learners.txt \\
        HOST=http://127.0.0.1:8001 bench/run_load.sh

Each simulated learner signs in as a different enrolled learner of the session (the demo's
password), so completions and positions are written as in real use. Only ever aimed at this
machine: any host but 127.0.0.1 / localhost / ::1 is refused.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopTest, StopUser

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
PASSWORD = os.environ.get("LEARNER_PASSWORD", "sankore-demo")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNIT_LINK = re.compile(r'href="(/apprendre/\d+/(?!fichiers|activites|apercu)[\w-]+/)"')
ACTION = re.compile(r"(/apprendre/\d+/activites/[\w-]+/)(telecharger|progression)/")


def _learners() -> tuple[int, list[str]]:
    path = Path(os.environ.get("LEARNERS_FILE", "bench/results/learners.txt"))
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    run_id, emails = int(lines[0]), lines[1:]
    if not emails:
        raise SystemExit(f"{path}: no learner (first line: session id, then one email a line)")
    return run_id, emails


RUN_ID, EMAILS = _learners()
NEXT_EMAIL = itertools.cycle(EMAILS)


@events.init.add_listener
def refuse_remote_hosts(environment: Environment, **_: Any) -> None:
    host = environment.host or LearnerUser.host or ""
    if urlsplit(host).hostname not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to load {host!r}: only 127.0.0.1 / localhost are allowed")


class LearnerUser(HttpUser):
    host = "http://127.0.0.1:8000"
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        if urlsplit(self.host).hostname not in LOCAL_HOSTS:
            raise StopTest(f"refusing to load {self.host!r}")
        email = next(NEXT_EMAIL)
        page = self.client.get("/comptes/login/", name="sign in (form)")
        self._keep_cookies_over_http()
        token = CSRF.search(page.text)
        response = self.client.post(
            "/comptes/login/",
            {
                "login": email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/comptes/login/"},
            name="sign in",
            allow_redirects=False,
        )
        self._keep_cookies_over_http()
        if response.status_code != 302 or response.headers.get("Location") != "/mes-cours/":
            raise StopUser(f"{email} could not sign in")
        home = self.client.get(
            f"/apprendre/{RUN_ID}/", name="player: outline", allow_redirects=False
        )
        if home.status_code != 200:
            raise StopUser(f"{email} cannot open the session's outline: HTTP {home.status_code}")
        self.units = UNIT_LINK.findall(home.text) or [f"/apprendre/{RUN_ID}/"]
        self.actions: list[tuple[str, str]] = []

    def _keep_cookies_over_http(self) -> None:
        # Production cookies are Secure; the benchmark talks plain HTTP to the loopback,
        # where a browser would still send them (127.0.0.1 counts as a secure origin).
        for cookie in self.client.cookies:
            cookie.secure = False

    @task(6)
    def unit(self) -> None:
        self._keep_cookies_over_http()
        with self.client.get(
            random.choice(self.units), name="player: unit page", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code not in (200, 403):  # 403: a chapter not yet released
                response.failure(f"HTTP {response.status_code}")
            self.actions = ACTION.findall(response.text)
        self._keep_cookies_over_http()

    @task(1)
    def outline(self) -> None:
        self._keep_cookies_over_http()
        self.client.get(f"/apprendre/{RUN_ID}/", name="player: outline", allow_redirects=False)

    @task(1)
    def act(self) -> None:
        if not self.actions:
            return
        base, action = random.choice(self.actions)
        self._keep_cookies_over_http()
        if action == "progression":
            token = self.client.cookies.get("csrftoken", "")
            self.client.post(
                base + "progression/",
                {"watched": "0.95"},
                headers={"X-CSRFToken": token, "Referer": self.host + base},
                name="player: video progress",
            )
        else:
            self.client.get(base + "telecharger/", name="player: resource download")
