"""``manage.py seed_demo``: the demo network of the programme, and benchmark volumes."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sankore.demo import builders, scale
from sankore.demo.calls import seed_calls
from sankore.demo.courseware import seed_courseware
from sankore.demo.credentials import seed_credentials
from sankore.demo.exams import seed_exams
from sankore.demo.partnerships import seed_partnerships
from sankore.demo.plan import network_plan
from sankore.demo.relays import seed_relays
from sankore.demo.report import demo_account_lines, network_counts


class Command(BaseCommand):
    help = (
        "Crée le réseau de démonstration (établissements, disciplines, cours, sessions, "
        "comptes, inscriptions). Idempotent : une seconde exécution ne change rien. "
        "--scale N ajoute N cours et 10×N apprenants pour les mesures de performance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Ajoute N cours (avec sessions) et 10×N apprenants (avec inscriptions).",
        )
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="Reconstruit ensuite tout l'index de recherche des cours.",
        )
        parser.add_argument("--quiet", action="store_true", help="N'affiche rien.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 0:
            raise CommandError("--scale attend un nombre de cours positif.")
        quiet = options["quiet"] or options["verbosity"] == 0
        started = time.monotonic()
        now = timezone.now()
        password_hash = builders.demo_password_hash()
        created = builders.seed_network(
            plan=network_plan(now), now=now, password_hash=password_hash
        )
        content_loaded = seed_courseware()
        credentials_issued = seed_credentials()
        sittings_created = seed_exams()
        relays_seeded = seed_relays()
        seed_partnerships()
        seed_calls()
        batch = None
        if options["scale"]:
            batch = scale.seed_scale(
                courses=options["scale"], now=now, password_hash=password_hash, progress=not quiet
            )
        if options["reindex"]:
            scale.reindex_all(progress=not quiet)
        if quiet:
            return
        self.stdout.write(f"Réseau de démonstration : {created} cours créés.")
        if content_loaded:
            self.stdout.write("Contenu du CLOM « Concevoir et animer un CLOM » chargé et publié.")
        if credentials_issued:
            self.stdout.write(
                f"Attestations de l'apprenant de démonstration : {credentials_issued}."
            )
        if sittings_created:
            self.stdout.write(f"Sessions d'examen du CLOM phare : {sittings_created}.")
        if relays_seeded:
            self.stdout.write(f"Pages de relais des campus composées : {relays_seeded}.")
        if batch is not None:
            learners = len(batch.course_ids) * scale.LEARNERS_PER_COURSE
            self.stdout.write(
                f"Lot de performance n° {batch.number} : {len(batch.course_ids)} cours "
                f"({batch.code_prefix}…), {learners} apprenants."
            )
        for label, count in network_counts(timezone.now()):
            self.stdout.write(f"  {label:<30} {count:>9,}".replace(",", "\u202f"))
        self.stdout.write("\n".join(demo_account_lines()))
        self.stdout.write(f"Terminé en {time.monotonic() - started:.1f} s.")
