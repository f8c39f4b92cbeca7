"""Search latency: fixed French queries and facet combinations, N rounds, p50 / p95 / max.

    .venv/bin/python bench/search_bench.py                      # the API of make run, 10 rounds
    .venv/bin/python bench/search_bench.py --rounds 30 --base-url http://127.0.0.1:8001
    DATABASE_URL=postgres://… .venv/bin/python bench/search_bench.py --in-process

``--in-process`` calls the ``course_search`` selector directly on the configured database (no
HTTP, no server), exactly as the catalog page parses its query string; ``--cold`` also empties
the cache before each search, since facet counts are cached and the warm-up round fills it.
Requests are sequential: this measures one search's cost, ``run_load.sh`` the server under
concurrency.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

# (label, parameters): what learners type, alone and with the catalog's facets.
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("mot sans accent", [("q", "economie")]),
    ("expression accentuée", [("q", "économie du développement")]),
    ("santé publique", [("q", "santé publique")]),
    ("sans accent, deux mots", [("q", "sante publique")]),
    ("mot court", [("q", "droit")]),
    ("pluriel", [("q", "mathematiques")]),
    ("expression", [("q", "changement climatique")]),
    ("langue", [("q", "français langue étrangère")]),
    ("technique", [("q", "intelligence artificielle")]),
    ("apostrophe", [("q", "histoire de l'Afrique")]),
    ("rare", [("q", "paludisme")]),
    ("aucun résultat", [("q", "zythologie")]),
    ("ouverts", [("availability", "ouverte")]),
    ("niveau + langue", [("level", "introductif"), ("language", "fr")]),
    ("pays", [("country", "SN")]),
    ("région + ouverts", [("region", "afrique-ouest"), ("availability", "ouverte")]),
    ("reconnaissance", [("recognition", "certificat")]),
    ("requête + ouverts", [("q", "economie"), ("availability", "ouverte")]),
    (
        "requête + 3 filtres",
        [
            ("q", "numerique"),
            ("availability", "ouverte"),
            ("language", "fr"),
            ("level", "introductif"),
        ],
    ),
    ("requête + région", [("q", "agriculture"), ("region", "afrique-ouest")]),
    ("tout le catalogue", []),
    ("page profonde", [("page", "20")]),
]
QUERIES = [(label, urlencode(params)) for label, params in CASES]


def percentile(sorted_ms: list[float], fraction: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    rank = max(math.ceil(fraction * len(sorted_ms)), 1)
    return sorted_ms[rank - 1]


def over_http(base_url: str) -> Callable[[str], int | None]:
    def search(query: str) -> int | None:
        url = f"{base_url}/api/v1/courses" + (f"?{query}" if query else "")
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            data: Any = json.loads(response.read())
        if isinstance(data, dict):
            for key in ("count", "total", "hits"):
                if isinstance(data.get(key), int):
                    return int(data[key])
        return None

    return search


def in_process(*, cold: bool) -> Callable[[str], int | None]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sankore.config.settings")
    # Debug mode keeps every SQL statement in memory: not what production pays.
    os.environ.setdefault("DEBUG", "false")
    if cold:
        # Emptying the cache must never flush a Redis that others share: use local memory.
        os.environ["REDIS_URL"] = ""
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.http import QueryDict

    from sankore.catalog.search_params import parse_course_search_params
    from sankore.catalog.selectors import course_search

    def search(query: str) -> int | None:
        if cold:
            # The facet counts are cached: forget them to time a search nobody made before.
            # Clearing a local-memory cache costs microseconds; counted, and negligible.
            cache.clear()
        params, page, _page_size = parse_course_search_params(QueryDict(query))
        result = course_search(params=params, page=page, page_size=settings.CATALOG_PAGE_SIZE)
        list(result.courses)  # the page's rows, fetched as the page would
        total = getattr(result, "total", getattr(result, "count", None))
        return total if isinstance(total, int) else None

    return search


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds (after a warm-up)")
    parser.add_argument("--in-process", action="store_true", help="call the selector directly")
    parser.add_argument(
        "--cold", action="store_true", help="with --in-process: empty the cache before each search"
    )
    args = parser.parse_args(argv)
    base_url = args.base_url.rstrip("/")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if not args.in_process and urlsplit(base_url).hostname not in LOCAL_HOSTS:
        parser.error("only a server on this machine (127.0.0.1 / localhost) may be benchmarked")
    if args.cold and not args.in_process:
        parser.error("--cold needs --in-process: the server's cache is out of reach")
    search = in_process(cold=args.cold) if args.in_process else over_http(base_url)

    hits: dict[str, int | None] = {}
    timings: dict[str, list[float]] = {label: [] for label, _ in QUERIES}
    try:
        for label, query in QUERIES:  # warm-up: connections, caches, query plans
            hits[label] = search(query)
        for _ in range(args.rounds):
            for label, query in QUERIES:
                started = time.perf_counter()
                search(query)
                timings[label].append((time.perf_counter() - started) * 1000)
    except urllib.error.HTTPError as error:
        print(f"error: {error.url} answered HTTP {error.code}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {error} (is the server running at {base_url}?)", file=sys.stderr)
        return 2

    where = f"{base_url}/api/v1/courses"
    if args.in_process:
        where = "selector in process" + (", cache emptied before each search" if args.cold else "")
    print(f"Search: {where}, {args.rounds} rounds of {len(CASES)} searches\n")
    print("| Case | Query | Hits | p50 (ms) | p95 (ms) | max (ms) |")
    print("|---|---|---:|---:|---:|---:|")
    every: list[float] = []
    for label, query in QUERIES:
        measured = sorted(timings[label])
        every.extend(measured)
        count = "?" if hits[label] is None else str(hits[label])
        shown = unquote_plus(query) or "(vide)"
        print(
            f"| {label} | `{shown}` | {count} | {percentile(measured, 0.5):.1f}"
            f" | {percentile(measured, 0.95):.1f} | {measured[-1]:.1f} |"
        )
    every.sort()
    print(
        f"| **all** | | | **{percentile(every, 0.5):.1f}** | **{percentile(every, 0.95):.1f}**"
        f" | **{every[-1]:.1f}** |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
