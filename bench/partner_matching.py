"""The matchmaking's cost: ranked candidates for every academic institution of the database,
optionally after adding N synthetic institutions with profiles and co-built courses.

    DATABASE_URL=… .venv/bin/python bench/partner_matching.py [--institutions 500]

Each ranking goes through ``selectors.match_candidates`` (the page's call), timed with
``time.perf_counter``, its queries counted. Synthetic rows are written in a transaction that
is rolled back at the end: the database is left as it was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sankore.config.settings")


class _Rollback(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=0, help="synthetic ones to add")
    parser.add_argument("--rankings", type=int, default=50, help="how many seekers to time")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from sankore.catalog.models import Course, Discipline, Language
    from sankore.institutions.models import Institution, InstitutionKind
    from sankore.partnerships import selectors
    from sankore.partnerships.models import Capability, InstitutionProfile

    def run() -> None:
        disciplines = list(Discipline.objects.values_list("pk", flat=True))
        languages = list(Language.objects.values_list("code", flat=True))[:3]
        countries = ["SN", "FR", "BF", "BE", "CM", "CA", "MG", "HT", "MA", "VN"]
        if args.institutions:
            made = Institution.objects.bulk_create(
                Institution(
                    name=f"Université de synthèse {n}",
                    slug=f"synthese-{n}",
                    kind=InstitutionKind.UNIVERSITY,
                    country=countries[n % len(countries)],
                )
                for n in range(args.institutions)
            )
            profiles = InstitutionProfile.objects.bulk_create(
                InstitutionProfile(
                    institution=institution,
                    capabilities=Capability.values[n % 3 : n % 3 + 3],
                )
                for n, institution in enumerate(made)
            )
            through = InstitutionProfile.disciplines.through
            through.objects.bulk_create(
                through(
                    institutionprofile_id=profile.pk,
                    discipline_id=disciplines[(n * 7 + k) % len(disciplines)],
                )
                for n, profile in enumerate(profiles)
                for k in range(3)
            )
            languages_through = InstitutionProfile.languages.through
            languages_through.objects.bulk_create(
                languages_through(institutionprofile_id=profile.pk, language_id=languages[0])
                for profile in profiles
            )
        seekers = list(
            Institution.objects.filter(kind__in=["universite", "ecole", "recherche"]).order_by("pk")
        )[: args.rankings]
        pool = Institution.objects.filter(kind__in=["universite", "ecole", "recherche"]).count()
        times, queries = [], []
        for seeker in seekers:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                selectors.match_candidates(institution=seeker, limit=10)
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            f"{connection.vendor}: {pool} candidate institutions, "
            f"{Course.objects.count()} courses; "
            f"{len(times)} rankings: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
            f"max {times[-1]:.0f} ms; queries per ranking {min(queries)}–{max(queries)}"
        )
        raise _Rollback

    try:
        with transaction.atomic():
            run()
    except _Rollback:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
