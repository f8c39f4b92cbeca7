"""The demo's campus relays: every campus numérique presents itself, with its hours and a
selection of four courses of the catalog (the flagship course first), by its campus staff's
hand (the programme staff's for campuses without one)."""

from __future__ import annotations

from django.db import transaction

from sankore.accounts.models import Role, User
from sankore.catalog.models import Course
from sankore.demo.data.courses import FLAGSHIP_CODE
from sankore.demo.data.people import PROGRAMME_STAFF_EMAIL
from sankore.institutions.models import Institution, InstitutionKind
from sankore.relays import services
from sankore.relays.models import RelayCourse

HOURS = "Du lundi au vendredi, 8 h – 18 h\nLe samedi, 9 h – 13 h"
SELECTION_SIZE = 4


def seed_relays() -> int:
    """Idempotent: returns how many relays got their selection now."""
    programme = User.objects.filter(email=PROGRAMME_STAFF_EMAIL).first()
    if programme is None:
        return 0
    flagship = Course.objects.filter(code=FLAGSHIP_CODE, is_published=True).first()
    others = list(
        Course.objects.filter(is_published=True).exclude(code=FLAGSHIP_CODE).order_by("title")
    )
    seeded = 0
    for campus in Institution.objects.filter(kind=InstitutionKind.CAMPUS).order_by("pk"):
        relay = services.relay_for(campus=campus)
        if RelayCourse.objects.filter(relay=relay).exists():
            continue
        staff = (
            User.objects.filter(
                role_assignments__role=Role.CAMPUS_STAFF, role_assignments__institution=campus
            ).first()
            or programme
        )
        picks = ([flagship] if flagship else []) + others[
            campus.pk % max(len(others), 1) : campus.pk % max(len(others), 1) + SELECTION_SIZE
        ]
        with transaction.atomic():
            services.relay_update(
                relay=relay, by=staff,
                introduction=(
                    f"Le {campus.name} accueille les étudiants et les enseignants qui suivent "
                    "des cours en ligne : salles connectées, accompagnement, examens surveillés."
                ),
                opening_hours=HOURS, address=f"Campus numérique francophone, {campus.city}",
                contact_email=f"contact@{campus.slug}.example", contact_phone="",
            )  # fmt: skip
            for course in picks[:SELECTION_SIZE]:
                services.relay_course_add(relay=relay, course=course, by=staff)
        seeded += 1
    return seeded
