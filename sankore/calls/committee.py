"""Writes of a call's committee (programme staff): a decision per application with its
motivation, the results made public and notified to the applicants (with the anonymised
reviews), and the link from a selected project to the partnership that carries it and,
later, to the course it produced."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.calls.models import (
    Application,
    ApplicationStatus,
    Call,
    Decision,
    DecisionValue,
)
from sankore.calls.services import _amount, _log, _programme_only, _refuse
from sankore.catalog.models import Course
from sankore.partnerships.models import Partnership


@transaction.atomic
def decision_record(
    *,
    application: Application,
    value: str,
    motivation: str,
    by: User,
    granted_amount: Decimal | str | None = None,
    now: datetime.datetime | None = None,
) -> Decision:
    """Record (or change, until the results are notified) the decision on an application."""
    _programme_only(by)
    moment = timezone.now() if now is None else now
    current = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if current.status != ApplicationStatus.SUBMITTED:
        raise _refuse(_("Seule une candidature déposée reçoit une décision."), "not_submitted")
    if moment < current.deadline:
        raise _refuse(_("L'appel n'est pas clos : aucune décision avant la clôture."), "call_open")
    if current.call.two_stages and current.stage == 1 and value != DecisionValue.NOT_SELECTED:
        raise _refuse(
            _("Une lettre d'intention est présélectionnée ou non retenue ; la décision finale "
              "porte sur la proposition complète."),
            "letter_not_final",
        )  # fmt: skip
    if value not in DecisionValue.values:
        raise _refuse(_("Choisissez retenu, liste d'attente ou non retenu."), "decision_value")
    motivation = motivation.strip()
    if not motivation:
        raise _refuse(_("Motivez la décision : le candidat la lira."), "motivation_required")
    if len(motivation) > 5000:
        raise _refuse(_("5 000 caractères au plus."), "motivation_too_long")
    granted: Decimal | None = None
    if value == DecisionValue.SELECTED:
        granted = (
            current.requested_amount
            if granted_amount is None or granted_amount == ""
            else _amount(granted_amount)
        )
        if granted > current.requested_amount:
            raise _refuse(
                _("Le montant accordé dépasse le montant demandé."), "granted_above_requested"
            )
    decision = Decision.objects.select_for_update().filter(application=current).first()
    if decision is not None and decision.notified_at is not None:
        raise _refuse(
            _("Les résultats sont notifiés : la décision ne change plus."), "already_notified"
        )
    if decision is None:
        decision = Decision(application=current)
    previous = decision.value or None
    decision.value = value
    decision.motivation = motivation
    decision.granted_amount = granted
    decision.decided_at = moment
    decision.decided_by = by
    decision.save()
    _log(call=current.call, application=current, action="decision_recorded", actor=by,
         value=value, previous=previous,
         granted=str(granted) if granted is not None else None)  # fmt: skip
    return decision


@transaction.atomic
def letter_shortlist(
    *,
    application: Application,
    by: User,
    invited: bool,
    motivation: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """In a two-stage call, after the letters of intent close: a shortlisted letter becomes
    a draft of the full proposal (its stage-1 answers kept, the stage-2 sections to write, by
    ``full_proposal_closes_at``); a letter not shortlisted gets its decision, « non retenu »,
    with the motivation, notified with the call's results."""
    _programme_only(by)
    moment = timezone.now() if now is None else now
    current = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    call = current.call
    if not call.two_stages:
        raise _refuse(_("Cet appel est en un seul temps."), "single_stage")
    if Decision.objects.filter(application=current).exists():
        raise _refuse(_("Cette lettre a déjà sa décision."), "already_decided")
    if current.stage != 1 or current.status != ApplicationStatus.SUBMITTED:
        raise _refuse(
            _("Seule une lettre d'intention déposée est présélectionnée."), "not_a_letter"
        )
    if not call.closes_at <= moment < call.review_starts_at:
        raise _refuse(
            _("La présélection se fait entre la clôture des lettres d'intention et celle des "
              "propositions complètes."),
            "not_shortlisting_time",
        )  # fmt: skip
    if not invited:
        decision_record(
            application=current, by=by, value=DecisionValue.NOT_SELECTED,
            motivation=motivation, now=moment,
        )  # fmt: skip
        _log(call=call, application=current, action="letter_not_shortlisted", actor=by)
        return current
    letter_receipt = current.receipt_number
    current.stage = 2
    current.status = ApplicationStatus.DRAFT
    current.submitted_at = None
    current.receipt_number = ""
    current.updated_at = moment
    current.save(update_fields=["stage", "status", "submitted_at", "receipt_number", "updated_at"])
    _log(call=call, application=current, action="letter_shortlisted", actor=by,
         letter_receipt=letter_receipt)  # fmt: skip
    return current


@transaction.atomic
def results_publish(*, call: Call, by: User, now: datetime.datetime | None = None) -> int:
    """Notify every applicant of its decision and make the selected projects public. Every
    submitted application must have its decision first. Returns how many were notified."""
    _programme_only(by)
    moment = timezone.now() if now is None else now
    current = Call.objects.select_for_update().get(pk=call.pk)
    if current.results_published_at is not None:
        raise _refuse(_("Les résultats de cet appel sont déjà publiés."), "already_published")
    undecided = Application.objects.filter(
        call=current, status=ApplicationStatus.SUBMITTED, decision__isnull=True
    ).count()
    if undecided:
        raise _refuse(
            _("%(count)s candidature(s) attendent encore leur décision.") % {"count": undecided},
            "undecided",
        )
    notified = Decision.objects.filter(application__call=current).update(notified_at=moment)
    current.results_published_at = moment
    current.save(update_fields=["results_published_at"])
    _log(call=current, action="results_published", actor=by, notified=notified)
    from sankore.calls.tasks import decisions_notify_task

    transaction.on_commit(lambda: decisions_notify_task.enqueue(current.pk))
    return notified


@transaction.atomic
def decision_link(
    *,
    decision: Decision,
    by: User,
    partnership: Partnership | None = None,
    course: Course | None = None,
) -> Decision:
    """Link a selected project to the partnership that carries it (one of the lead's) and to
    the course it produced (one of the lead's or of that partnership's institutions)."""
    _programme_only(by)
    current = Decision.objects.select_for_update().select_related("application").get(pk=decision.pk)
    if current.value != DecisionValue.SELECTED:
        raise _refuse(_("Seul un projet retenu se rattache à un partenariat."), "not_selected")
    lead_id = current.application.lead_id
    if partnership is not None and lead_id not in partnership.party_ids:
        raise _refuse(
            _("Ce partenariat n'engage pas l'établissement porteur."), "partnership_not_lead"
        )
    if course is not None:
        allowed = {lead_id}
        carrier = partnership or current.partnership
        if carrier is not None:
            allowed.update(carrier.party_ids)
        owners = set(course.owners.values_list("pk", flat=True)) | set(
            course.partners.values_list("pk", flat=True)
        )
        if not owners & allowed:
            raise _refuse(
                _("Ce cours n'est pas celui d'un établissement du projet."), "course_not_project"
            )
    if partnership is not None:
        current.partnership = partnership
    if course is not None:
        current.course = course
    current.save(update_fields=["partnership", "course"])
    _log(call=current.application.call, application=current.application,
         action="decision_linked", actor=by,
         partnership=current.partnership_id, course=current.course_id)  # fmt: skip
    return current
