"""Shared builders of the calls' tests: a published call closing at 17:00 in Paris on
31 March 2027, complete applications submitted in time, experts on its panel."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import UserFactory
from sankore.calls import reviewing, services
from sankore.calls.models import Application, Call, CallReviewer
from sankore.institutions.models import Institution
from sankore.institutions.tests.factories import InstitutionFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CLOSES = datetime.datetime(2027, 3, 31, 17, 0, tzinfo=PARIS)
DURING = CLOSES - datetime.timedelta(days=10)
AFTER = CLOSES + datetime.timedelta(days=1)
REVIEW_ENDS = CLOSES + datetime.timedelta(days=45)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def programme() -> User:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_STAFF)
    return user


def staff(institution: Institution) -> User:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.INSTITUTION_STAFF, institution=institution)
    return user


def published_call(**fields: Any) -> Call:
    values: dict[str, Any] = {
        "title": "Appel CLOM 2027", "description": "Concevoir des CLOM.",
        "opens_at": CLOSES - datetime.timedelta(days=60), "closes_at": CLOSES,
        "review_ends_at": REVIEW_ENDS, "results_on": datetime.date(2027, 6, 1),
        "total_budget": Decimal("100000"),
    }  # fmt: skip
    values.update(fields)
    by = programme()
    call = services.call_create(by=by, **values)
    return services.call_publish(call=call, by=by)


def south(**fields: Any) -> Institution:
    values = {"country": "BF", "region": "afrique-ouest"}
    return InstitutionFactory(**{**values, **fields})


def north(**fields: Any) -> Institution:
    values = {"country": "FR", "region": "europe-ouest", "time_zone": "Europe/Paris"}
    return InstitutionFactory(**{**values, **fields})


def submitted(
    call: Call,
    *,
    lead: Institution | None = None,
    partners: tuple[Institution, ...] = (),
    title: str = "CLOM d'agroécologie",
    amount: str = "40 000",
    when: datetime.datetime = DURING,
) -> Application:
    """A complete application of ``lead`` (a new Southern university by default) with its
    confirmed partners, submitted at ``when`` (ten days before the builders' deadline by
    default; pass an instant before the call's own closing for a call already closed)."""
    lead = lead or south()
    author = staff(lead)
    application = services.application_create(
        call=call, lead=lead, by=author, title=title, now=when
    )
    texts = {s.key: "Texte." for s in call.sections.filter(kind="texte", stage=1)}
    services.application_save(
        application=application, by=author, revision=0, answers=texts,
        requested_amount=amount, now=when,
    )  # fmt: skip
    services.attachment_add(
        application=application, by=author, section_key="budget",
        upload=SimpleUploadedFile("budget.pdf", PDF), now=when,
    )  # fmt: skip
    for partner in partners:
        invitation = services.application_partner_add(
            application=application, by=author, institution=partner, role="Studio", now=when
        )
        services.partner_answer(partner=invitation, by=staff(partner), confirm=True, now=when)
    return services.application_submit(application=application, by=author, now=lambda: when)


def panel_member(
    call: Call,
    *,
    institution: Institution | None = None,
    max_load: int = 8,
    languages: tuple[str, ...] = ("fr",),
    linked: tuple[Institution, ...] = (),
    **user_fields: Any,
) -> CallReviewer:
    by = programme()
    expert = reviewing.expert_save(
        user=UserFactory(**user_fields), by=by, institution=institution, languages=languages,
        linked_institutions=linked, max_load=max_load,
    )  # fmt: skip
    return reviewing.call_reviewer_add(call=call, expert=expert, by=by)
