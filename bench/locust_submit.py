"""Load on answering: N signed-in learners of one session submit answers to one problem,
each answer with a fresh token, one in ten sent twice (a double click on a weak link).

    .venv/bin/python manage.py bench_quiz_session --learners 200 > bench/results/quiz.txt
    LOCUSTFILE=bench/locust_submit.py QUIZ_FILE=bench/results/quiz.txt USERS=200 \\
        SPAWN_RATE=10 HOST=http://127.0.0.1:8001 DURATION=3m bench/run_load.sh

A learner thinks 5 to 15 s between answers. At the end, ``bench/results/submit-counts.txt``
says how many answers were stored (302 to the unit page, first send of a token) and how many
were sent twice: compare with the rows (``Submission`` of that session) — none lost, none
counted twice. Only ever aimed at this machine.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopTest, StopUser

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
PASSWORD = os.environ.get("LEARNER_PASSWORD", "sankore-demo")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_lines = Path(os.environ.get("QUIZ_FILE", "bench/results/quiz.txt")).read_text().split()
RUN_ID, UNIT_KEY, BLOCK_KEY, EMAILS = _lines[0], _lines[1], _lines[2], _lines[3:]
NEXT_EMAIL = itertools.cycle(EMAILS)
COUNTS = {"stored": 0, "sent_twice": 0}


@events.init.add_listener
def refuse_remote_hosts(environment: Environment, **_: Any) -> None:
    host = environment.host or LearnerUser.host or ""
    if urlsplit(host).hostname not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to load {host!r}: only 127.0.0.1 / localhost are allowed")


@events.quitting.add_listener
def write_counts(environment: Environment, **_: Any) -> None:
    Path("bench/results").mkdir(parents=True, exist_ok=True)
    Path("bench/results/submit-counts.txt").write_text(
        f"session {RUN_ID}\nstored {COUNTS['stored']}\nsent twice {COUNTS['sent_twice']}\n"
    )


class LearnerUser(HttpUser):
    host = "http://127.0.0.1:8000"
    wait_time = between(5, 15)

    def on_start(self) -> None:
        if urlsplit(self.host).hostname not in LOCAL_HOSTS:
            raise StopTest(f"refusing to load {self.host!r}")
        page = self.client.get("/comptes/login/", name="sign in (form)")
        self._keep_cookies_over_http()
        token = CSRF.search(page.text)
        response = self.client.post(
            "/comptes/login/",
            {"login": next(NEXT_EMAIL), "password": PASSWORD,
             "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": self.host + "/comptes/login/"},
            name="sign in", allow_redirects=False,
        )  # fmt: skip
        self._keep_cookies_over_http()
        if response.status_code != 302:
            raise StopUser("could not sign in")

    def _keep_cookies_over_http(self) -> None:
        # Production cookies are Secure; the benchmark speaks plain HTTP to the loopback.
        for cookie in self.client.cookies:
            cookie.secure = False

    @task
    def answer(self) -> None:
        self._keep_cookies_over_http()
        token = uuid.uuid4().hex
        sends = 2 if random.random() < 0.1 else 1
        for send in range(sends):
            with self.client.post(
                f"/apprendre/{RUN_ID}/activites/{BLOCK_KEY}/repondre/",
                {"token": token, "answer": random.choice(["Niger", "Sénégal", "niger"])},
                headers={"X-CSRFToken": self.client.cookies.get("csrftoken", ""),
                         "Referer": f"{self.host}/apprendre/{RUN_ID}/{UNIT_KEY}/"},
                name="player: submit answer", allow_redirects=False, catch_response=True,
            ) as response:  # fmt: skip
                if response.status_code != 302 or UNIT_KEY not in response.headers.get(
                    "Location", ""
                ):
                    response.failure(f"HTTP {response.status_code}")
                elif send == 0:
                    COUNTS["stored"] += 1
                else:
                    COUNTS["sent_twice"] += 1
