"""What ``seed_demo`` prints at the end: counts of the network, and the demo accounts."""

from __future__ import annotations

import datetime

from sankore.accounts.models import User
from sankore.catalog.models import (
    Course,
    CourseRun,
    Discipline,
    Language,
    Teacher,
    run_state_filters,
)
from sankore.demo.data.people import DEMO_ACCOUNTS, DEMO_PASSWORD
from sankore.institutions.models import Institution, InstitutionKind
from sankore.learning.models import Enrolment


def network_counts(now: datetime.datetime) -> list[tuple[str, int]]:
    institutions = Institution.objects.all()
    courses = Course.objects.all()
    runs = CourseRun.objects.all()
    counts = [
        ("établissements", institutions.count()),
        ("  dont campus numériques", institutions.filter(kind=InstitutionKind.CAMPUS).count()),
        ("pays", institutions.values("country").distinct().count()),
        ("régions", institutions.exclude(region="").values("region").distinct().count()),
        ("disciplines (premier niveau)", Discipline.objects.filter(parent=None).count()),
        ("disciplines (toutes)", Discipline.objects.count()),
        ("langues", Language.objects.count()),
        ("enseignants", Teacher.objects.count()),
        ("cours", courses.count()),
        ("  dont brouillons", courses.filter(is_published=False).count()),
    ]
    counts += [
        (f"  enseignés en {name}", courses.filter(languages__code=code).count())
        for code, name in (("fr", "français"), ("en", "anglais"), ("ar", "arabe"))
    ]
    counts.append(("sessions", runs.count()))
    counts += [
        (f"  {state.label.lower()}", runs.filter(condition).count())
        for state, condition in run_state_filters(now).items()
    ]
    counts += [
        ("utilisateurs", User.objects.count()),
        ("inscriptions actives", Enrolment.objects.filter(is_active=True).count()),
    ]
    return counts


def demo_account_lines() -> list[str]:
    width = max(len(account.email) for account in DEMO_ACCOUNTS)
    lines = [f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})"]
    lines += [f"  {account.email:<{width}}  {account.label}" for account in DEMO_ACCOUNTS]
    return lines
