"""OAI-PMH harvest: a full ListRecords / ListIdentifiers over a large catalog, page p95 and memory.

    DATABASE_URL=postgres://sankore:sankore@127.0.0.1:5432/sankore_oaibench \\
        .venv/bin/python bench/oai_harvest.py --courses 100000

The database is migrated, then topped up to ``--courses`` published courses (bulk inserts with
owners, partners, teachers, disciplines and languages; no search index: OAI does not read it).
Each harvest goes through the whole Django stack in process (test client: middleware, URL
resolution, streaming, gzip off), page after page with the resumption tokens, as a harvester
does. Time per page includes reading the whole streamed body. A second pass of the ListRecords
harvest runs under ``tracemalloc``: the peak of Python allocations during each page, and its
growth from the first pages to the last, show whether a harvest holds more than a page.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sankore.config.settings")
os.environ["DEBUG"] = "0"  # DEBUG keeps every query in memory

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from sankore.catalog.models import Course, Discipline, Language, Teacher  # noqa: E402
from sankore.institutions.models import Institution  # noqa: E402

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")
CHUNK = 5_000


def seed(target: int) -> None:
    have = Course.objects.filter(is_published=True).count()
    if have >= target:
        print(f"{have} cours publiés : rien à ajouter.")
        return
    rng = random.Random(7)
    fr, _ = Language.objects.get_or_create(code="fr", defaults={"name_fr": "Français"})
    en, _ = Language.objects.get_or_create(code="en", defaults={"name_fr": "Anglais"})
    institutions = list(Institution.objects.all()[:200])
    for n in range(len(institutions), 200):
        institutions.append(
            Institution.objects.create(
                name=f"Université de banc d'essai {n}",
                slug=f"banc-{n}",
                kind="universite",
                country="SN",
            )
        )
    disciplines = list(Discipline.objects.all()[:40])
    for n in range(len(disciplines), 40):
        disciplines.append(
            Discipline.objects.create(slug=f"banc-disc-{n}", name_fr=f"Discipline {n}")
        )
    teachers = list(Teacher.objects.all()[:500])
    if len(teachers) < 500:
        teachers += Teacher.objects.bulk_create(
            Teacher(full_name=f"Enseignante {n}") for n in range(len(teachers), 500)
        )
    start = Course.objects.count()
    now = timezone.now()
    through = {
        name: getattr(Course, name).through
        for name in ("owners", "partners", "teachers", "disciplines", "languages")
    }
    description = "Un paragraphe de présentation du cours. " * 25
    for first in range(start, start + target - have, CHUNK):
        size = min(CHUNK, start + target - have - first)
        with transaction.atomic():
            courses = Course.objects.bulk_create(
                Course(
                    code=f"BENCH-OAI-{n:07d}",
                    slug=f"banc-oai-{n:07d}",
                    title=f"Cours de banc d'essai numéro {n}",
                    summary="Un résumé du cours.",
                    description=description,
                    level="introductif",
                    effort_hours_per_week=3,
                    duration_weeks=6,
                    licence="CC-BY-SA-4.0",
                    is_published=True,
                    # Bulk seeds share timestamps, as seed_scale's do: keyset pages must cope.
                    created_at=now,
                    updated_at=now,
                )
                for n in range(first, first + size)
            )
            rows: dict[str, list[object]] = {name: [] for name in through}
            for course in courses:
                owner = rng.choice(institutions)
                rows["owners"].append(through["owners"](course=course, institution=owner))
                if rng.random() < 0.45:
                    partner = rng.choice([i for i in institutions[:20] if i != owner])
                    rows["partners"].append(through["partners"](course=course, institution=partner))
                for teacher in rng.sample(teachers, 2):
                    rows["teachers"].append(through["teachers"](course=course, teacher=teacher))
                for discipline in rng.sample(disciplines, rng.choice((1, 2))):
                    rows["disciplines"].append(
                        through["disciplines"](course=course, discipline=discipline)
                    )
                rows["languages"].append(
                    through["languages"](course=course, language=fr if rng.random() < 0.8 else en)
                )
            for name, objs in rows.items():
                through[name].objects.bulk_create(objs)
        print(f"  {first + size - start + have} cours…", flush=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would: index-only counts


def harvest(client: Client, params: dict[str, str], *, trace: bool = False) -> dict[str, object]:
    times: list[float] = []
    peaks: list[int] = []
    bases: list[int] = []
    items = 0
    total_bytes = 0
    while True:
        if trace:
            tracemalloc.reset_peak()
            bases.append(tracemalloc.get_traced_memory()[0])
        started = time.perf_counter()
        response = client.get("/oai", params)
        body = b"".join(response.streaming_content)
        response.close()  # as a WSGI server does: the test client's signal handlers let go
        times.append(time.perf_counter() - started)
        if trace:
            peaks.append(tracemalloc.get_traced_memory()[1] - bases[-1])
        total_bytes += len(body)
        items += body.count(b"<header")
        match = TOKEN.search(body)
        if not match:
            break
        params = {"verb": params["verb"], "resumptionToken": match.group(1).decode()}
    return {
        "pages": len(times),
        "items": items,
        "bytes": total_bytes,
        "times": times,
        "peaks": peaks,
        "bases": bases,
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100_000)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-only", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed(args.courses)
    client = Client(HTTP_ACCEPT_ENCODING="identity")
    published = Course.objects.filter(is_published=True).count()
    print(f"Base : {connection.vendor}, {published} cours publiés")
    first_institution = Institution.objects.order_by("slug").values_list("slug", flat=True)[0]
    harvests = (
        ("ListIdentifiers oai_dc", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}),
        ("ListRecords oai_dc", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}),
        ("ListRecords lom", {"verb": "ListRecords", "metadataPrefix": "lom"}),
        (
            "ListRecords lom, un ensemble",
            {
                "verb": "ListRecords",
                "metadataPrefix": "lom",
                "set": f"institution:{first_institution}",
            },
        ),
    )
    for label, params in () if args.memory_only else harvests:
        started = time.perf_counter()
        result = harvest(client, dict(params))
        elapsed = time.perf_counter() - started
        times = [t * 1000 for t in result["times"]]  # type: ignore[attr-defined]
        print(
            f"{label:<30} {result['items']:>7} en-têtes, {result['pages']:>5} pages, "
            f"{result['bytes'] / 1e6:7.1f} Mo en {elapsed:6.1f} s ; "
            f"page p50 {pct(times, 0.5):6.1f} ms, p95 {pct(times, 0.95):6.1f} ms, "
            f"max {max(times):6.1f} ms"
        )
    if not args.skip_memory:
        tracemalloc.start()
        result = harvest(client, {"verb": "ListRecords", "metadataPrefix": "lom"}, trace=True)
        peaks = [p / 1e6 for p in result["peaks"]]  # type: ignore[attr-defined]
        bases = [b / 1e6 for b in result["bases"]]  # type: ignore[attr-defined]
        tracemalloc.stop()
        print(
            f"Mémoire (tracemalloc, ListRecords lom, {len(peaks)} pages) : ce qu'une page alloue "
            f"au plus {max(peaks):.1f} Mo (p50 {pct(peaks, 0.5):.1f} Mo) ; mémoire retenue entre "
            f"les pages : {bases[1]:.1f} Mo après la 1re, {bases[len(bases) // 2]:.1f} Mo au "
            f"milieu, {bases[-1]:.1f} Mo avant la dernière"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RSS maximal du processus : {rss:.0f} Mo")


if __name__ == "__main__":
    main()
