"""Calls for projects, first part: a call with its default grid and dossier, the eligibility
rules with their reasons, the draft saved as it is typed (never over newer text), partners
who confirm, files checked by content, and the deadline — one second before, one second
after, and a submission whose request ends after the closing instant."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import UserFactory
from sankore.calls import services
from sankore.calls.models import (
    Application,
    ApplicationStatus,
    Attachment,
    Call,
    CallEvent,
    Criterion,
    PartnerStatus,
)
from sankore.calls.services import CallError, DeadlinePassedError
from sankore.core.uploads import UploadRefusedError
from sankore.institutions.models import InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# The call closes at 17:00 in Paris on 31 March 2027 (15:00 UTC: summer time since the 28th).
CLOSES = datetime.datetime(2027, 3, 31, 17, 0, tzinfo=PARIS)
DURING = CLOSES - datetime.timedelta(days=10)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _programme() -> User:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_STAFF)
    return user


def _staff(institution: Any) -> User:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.INSTITUTION_STAFF, institution=institution)
    return user


def _call(**fields: Any) -> Call:
    values: dict[str, Any] = {
        "title": "Appel CLOM 2027", "description": "Concevoir des CLOM.",
        "opens_at": CLOSES - datetime.timedelta(days=60), "closes_at": CLOSES,
        "review_ends_at": CLOSES + datetime.timedelta(days=45),
        "results_on": datetime.date(2027, 6, 1), "total_budget": Decimal("300000"),
    }  # fmt: skip
    values.update(fields)
    call = services.call_create(by=_programme(), **values)
    return services.call_publish(call=call, by=_programme())


def _south(**fields: Any) -> Any:
    values = {"name": "Université de Ouagadougou", "country": "BF", "region": "afrique-ouest"}
    return InstitutionFactory(**{**values, **fields})


def _north(**fields: Any) -> Any:
    values = {"name": "Université de Bordeaux", "country": "FR", "region": "europe-ouest"}
    return InstitutionFactory(**{**values, **fields})


def _complete(call: Call, lead: Any = None) -> tuple[Application, User]:
    lead = lead or _south()
    author = _staff(lead)
    application = services.application_create(
        call=call, lead=lead, by=author, title="CLOM d'agroécologie", now=DURING
    )
    texts = {s.key: "Texte." for s in call.sections.filter(kind="texte")}
    services.application_save(
        application=application, by=author, revision=0, answers=texts,
        requested_amount="45 000,00", now=DURING,
    )  # fmt: skip
    services.attachment_add(
        application=application, by=author, section_key="budget",
        upload=SimpleUploadedFile("budget.pdf", PDF), now=DURING,
    )  # fmt: skip
    application.refresh_from_db()
    return application, author


def test_a_new_call_has_the_programmes_default_grid() -> None:
    call = _call()
    assert list(Criterion.objects.filter(call=call).values_list("key", "weight")) == [
        ("pertinence", 20), ("qualite-pedagogique", 25), ("co-construction", 15),
        ("faisabilite", 15), ("modele-economique", 15), ("rayonnement", 10),
    ]  # fmt: skip
    assert sum(call.criteria.values_list("weight", flat=True)) == 100


@pytest.mark.parametrize(
    ("rules", "lead", "reasons"),
    [
        ({}, {}, []),
        ({}, {"is_member": False}, ["Le porteur doit être membre du réseau."]),
        ({}, {"country": "FR", "region": "europe-ouest"},
         ["Le porteur doit être un établissement du Sud."]),
        ({"regions": ["afrique-centrale-grands-lacs"]}, {},
         ["Le porteur n'est pas d'une des régions de l'appel."]),
        ({"institution_kinds": ["universite"]}, {"kind": InstitutionKind.SCHOOL},
         ["Un établissement de type « École » ne peut pas porter de projet dans cet appel."]),
        ({"partner_required": True}, {},
         ["Il faut au moins un établissement partenaire qui a confirmé."]),
    ],
)  # fmt: skip
def test_eligibility_rules_give_their_reasons(
    rules: dict[str, Any], lead: dict[str, Any], reasons: list[str]
) -> None:
    call = _call(**rules)
    result = services.eligibility_check(call=call, lead=_south(**lead), partners=[])
    assert [str(r) for r in result.reasons] == reasons
    assert result.eligible is (not reasons)


def test_a_partner_counts_once_it_has_confirmed() -> None:
    call = _call(partner_required=True)
    application, author = _complete(call)
    bordeaux = _north()
    partner = services.application_partner_add(
        application=application, by=author, institution=bordeaux, role="Studio", now=DURING
    )
    assert not services.application_eligibility(application=application).eligible
    with pytest.raises(CallError):
        services.partner_answer(partner=partner, by=author, confirm=True, now=DURING)
    services.partner_answer(partner=partner, by=_staff(bordeaux), confirm=True, now=DURING)
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.CONFIRMED
    assert services.application_eligibility(application=application).eligible


def test_one_second_before_the_deadline_is_in_time_and_one_second_after_is_not() -> None:
    call = _call()
    in_time, author = _complete(call)
    submitted = services.application_submit(
        application=in_time, by=author, now=lambda: CLOSES - datetime.timedelta(seconds=1)
    )
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.submitted_at == CLOSES - datetime.timedelta(seconds=1)
    assert submitted.receipt_number.startswith(f"{call.pk}-")

    late, late_author = _complete(call)
    with pytest.raises(DeadlinePassedError):
        services.application_submit(
            application=late, by=late_author, now=lambda: CLOSES + datetime.timedelta(seconds=1)
        )
    late.refresh_from_db()
    assert (late.status, late.submitted_at, late.receipt_number) == (
        ApplicationStatus.DRAFT, None, "",
    )  # fmt: skip


def test_a_submission_that_started_before_the_deadline_and_ended_after_is_refused() -> None:
    call = _call()
    application, author = _complete(call)
    clock = itertools.chain([CLOSES - datetime.timedelta(seconds=2)], itertools.repeat(CLOSES))
    events = CallEvent.objects.count()
    with pytest.raises(DeadlinePassedError) as refused:
        services.application_submit(application=application, by=author, now=lambda: next(clock))
    assert refused.value.code == "deadline_passed"
    application.refresh_from_db()
    assert (application.status, application.receipt_number) == (ApplicationStatus.DRAFT, "")
    assert CallEvent.objects.count() == events


def test_the_deadline_is_the_calls_time_zone_instant() -> None:
    """17:00 in Paris on 31 March 2027 is 15:00 UTC (summer time), 15:00 in Dakar."""
    call = _call()
    assert call.closes_at == datetime.datetime(2027, 3, 31, 15, 0, tzinfo=datetime.UTC)
    dakar = zoneinfo.ZoneInfo("Africa/Dakar")
    assert call.closes_at.astimezone(dakar).hour == 15


def test_an_incomplete_or_ineligible_application_is_not_submitted() -> None:
    call = _call()
    lead = _south()
    author = _staff(lead)
    application = services.application_create(
        call=call, lead=lead, by=author, title="Projet", now=DURING
    )
    with pytest.raises(CallError) as refused:
        services.application_submit(application=application, by=author, now=lambda: DURING)
    assert refused.value.code == "incomplete"
    assert "Résumé" in str(refused.value.message)
    northern, northern_author = _complete(call, lead=_north())
    with pytest.raises(CallError) as refused:
        services.application_submit(application=northern, by=northern_author, now=lambda: DURING)
    assert refused.value.code == "not_eligible"
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 0


def test_a_save_from_an_older_tab_never_overwrites_newer_text() -> None:
    call = _call()
    application, author = _complete(call)
    revision = application.revision
    services.application_save(
        application=application, by=author, revision=revision,
        answers={"resume": "Version du premier onglet."}, now=DURING,
    )  # fmt: skip
    with pytest.raises(CallError) as refused:
        services.application_save(
            application=application, by=author, revision=revision,
            answers={"resume": "Version ancienne."}, now=DURING,
        )  # fmt: skip
    assert refused.value.code == "stale_revision"
    application.refresh_from_db()
    assert application.answers["resume"] == "Version du premier onglet."


@pytest.mark.parametrize("amount", ["-1", "1e11", "NaN", "beaucoup"])
def test_absurd_amounts_are_refused(amount: str) -> None:
    call = _call()
    application, author = _complete(call)
    with pytest.raises(CallError) as refused:
        services.application_save(
            application=application, by=author, revision=application.revision,
            requested_amount=amount, now=DURING,
        )  # fmt: skip
    assert refused.value.code == "bad_amount"
    application.refresh_from_db()
    assert application.requested_amount == Decimal("45000.00")


def test_a_file_is_checked_by_its_content_not_its_name() -> None:
    call = _call()
    application, author = _complete(call)
    with pytest.raises(UploadRefusedError) as refused:
        services.attachment_add(
            application=application, by=author, section_key="budget",
            upload=SimpleUploadedFile("budget.pdf", b"MZ\x90\x00 an executable"), now=DURING,
        )  # fmt: skip
    assert refused.value.code == "file_content"
    assert Attachment.objects.filter(application=application).count() == 1


def test_only_the_leads_staff_edit_and_nothing_changes_after_the_deadline() -> None:
    call = _call()
    application, author = _complete(call)
    outsider = _staff(_south(name="Université de Lomé", country="TG"))
    with pytest.raises(CallError) as refused:
        services.application_save(
            application=application, by=outsider, revision=application.revision,
            answers={"resume": "Piraté"}, now=DURING,
        )  # fmt: skip
    assert refused.value.code == "not_allowed"
    with pytest.raises(DeadlinePassedError):
        services.application_save(
            application=application, by=author, revision=application.revision,
            answers={"resume": "Trop tard"}, now=CLOSES,
        )  # fmt: skip
    application.refresh_from_db()
    assert application.answers["resume"] == "Texte."


def test_a_withdrawn_application_is_journaled() -> None:
    call = _call()
    application, author = _complete(call)
    services.application_withdraw(application=application, by=author, now=DURING)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert list(
        CallEvent.objects.filter(application=application).values_list("action", flat=True)
    ) == ["application_created", "attachment_added", "application_withdrawn"]
