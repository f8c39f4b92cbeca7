"""Load on the learner-facing reads: catalog search with facets, course pages, search API.

Run through ``bench/run_load.sh`` (20 users, 60 s, CSV in ``bench/results/``). Only ever aimed
at this machine: any host but 127.0.0.1 / localhost / ::1 is refused.
"""

from __future__ import annotations

import random
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopTest

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# What learners type: short, often without accents, sometimes with a typo-free phrase.
QUERIES = [
    "economie",
    "économie du développement",
    "sante publique",
    "santé",
    "droit",
    "agriculture durable",
    "changement climatique",
    "français langue étrangère",
    "intelligence artificielle",
    "programmation",
    "entrepreneuriat",
    "gestion de projet",
    "mathematiques",
    "statistique",
    "épidémiologie",
    "education",
    "numérique",
    "énergie solaire",
    "eau assainissement",
    "histoire de l'Afrique",
    "développement durable",
    "comptabilité",
    "biodiversité",
    "paludisme",
    "enseignement à distance",
]
CHECKBOX = re.compile(r"<input\b[^>]*\btype=\"checkbox\"[^>]*>")
ATTRIBUTE = re.compile(r'\b(name|value)="([^"]*)"')
COURSE_LINK = re.compile(r'href="(/cours/(?!\?)[^"/?#]+/)')
MAX_KNOWN_COURSES = 500


class Catalog:
    """What the users learn about the catalog as they browse: facet values, course pages."""

    facets: dict[str, list[str]] = {}
    course_paths: list[str] = []

    @classmethod
    def learn(cls, html: str) -> None:
        if not cls.facets:
            found: dict[str, list[str]] = {}
            for tag in CHECKBOX.findall(html):
                attributes = dict(ATTRIBUTE.findall(tag))
                if "name" in attributes and "value" in attributes:
                    found.setdefault(attributes["name"], []).append(attributes["value"])
            cls.facets = found
        if len(cls.course_paths) < MAX_KNOWN_COURSES:
            known = set(cls.course_paths)
            cls.course_paths.extend(p for p in COURSE_LINK.findall(html) if p not in known)


@events.init.add_listener
def refuse_remote_hosts(environment: Environment, **_: Any) -> None:
    host = environment.host or CatalogUser.host or ""
    if urlsplit(host).hostname not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to load {host!r}: only 127.0.0.1 / localhost are allowed")


class CatalogUser(HttpUser):
    host = "http://127.0.0.1:8000"
    # A learner reads a little between pages; short, so 20 users make a real load on 2 cores.
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        if urlsplit(self.host).hostname not in LOCAL_HOSTS:  # the web UI can change the host
            raise StopTest(f"refusing to load {self.host!r}")
        with self.client.get("/cours/", name="catalog: browse", catch_response=True) as response:
            if response.status_code == 200:
                Catalog.learn(response.text)

    def _facet_params(self, how_many: int) -> list[tuple[str, str]]:
        names = random.sample(sorted(Catalog.facets), k=min(how_many, len(Catalog.facets)))
        return [(name, random.choice(Catalog.facets[name])) for name in names]

    @task(4)
    def search(self) -> None:
        params = [("q", random.choice(QUERIES))]
        self._catalog(params, name="catalog: search")

    @task(3)
    def search_with_facets(self) -> None:
        params = [("q", random.choice(QUERIES)), *self._facet_params(random.randint(1, 2))]
        self._catalog(params, name="catalog: search + facets")

    @task(2)
    def browse_facets(self) -> None:
        params = self._facet_params(random.randint(1, 3))
        if random.random() < 0.3:
            params.append(("page", str(random.randint(2, 5))))
        self._catalog(params, name="catalog: facets only")

    @task(4)
    def course_page(self) -> None:
        if not Catalog.course_paths:
            self.browse_facets()
            return
        self.client.get(random.choice(Catalog.course_paths), name="course page")

    @task(3)
    def search_api(self) -> None:
        self.client.get(
            "/api/v1/courses?" + urlencode({"q": random.choice(QUERIES)}), name="api: search"
        )

    def _catalog(self, params: list[tuple[str, str]], *, name: str) -> None:
        with self.client.get(
            "/cours/?" + urlencode(params), name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            Catalog.learn(response.text)
