"""``manage.py credentials_resign --kid key-1``: sign again, with the current key, the badges a
leaked (and removed) key had signed; holders download the new one from their page."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sankore.credentials import services


class Command(BaseCommand):
    help = "Signe de nouveau, avec la clé actuelle, les badges signés par une clé donnée (ou tous)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kid", help="Identifiant de la clé retirée (par exemple key-1).")
        parser.add_argument("--all", action="store_true", help="Tous les badges.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["kid"] and not options["all"]:
            self.stderr.write("Indiquez --kid KEY ou --all.")
            return
        count = services.badges_resign(kid=None if options["all"] else options["kid"])
        self.stdout.write(f"{count} badge(s) signé(s) de nouveau.")
