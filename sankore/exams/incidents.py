"""Incident reports of exam day: written by the centre's staff about one candidate or about
the whole sitting, kept for the jury. A report is never edited: a correction is a new one,
so what the jury reads is what was written on the day."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.exams.models import (
    ExamIncident,
    ExamRegistration,
    ExamSitting,
    IncidentKind,
    RegistrationStatus,
)
from sankore.exams.permissions import user_can_manage_centre
from sankore.exams.services import ExamError

# Reports are taken from the opening of the check-in to a day after the end: long enough
# to write up what happened once the candidates are gone, short enough to be « on the day ».
REPORTS_OPEN_BEFORE = datetime.timedelta(hours=2)
REPORTS_CLOSE_AFTER = datetime.timedelta(days=1)
DESCRIPTION_MAX = 4000


def incident_report(
    *,
    sitting: ExamSitting,
    by: User,
    kind: str,
    description: str,
    registration: ExamRegistration | None = None,
    occurred_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> ExamIncident:
    """Write down an incident of ``sitting`` (about ``registration``'s candidate, or about
    the whole sitting when ``None``)."""
    moment = timezone.now() if now is None else now
    if not user_can_manage_centre(user=by, centre=sitting.centre):
        raise ExamError(
            _("Seul le personnel de ce centre signale les incidents de ses examens."),
            code="not_allowed",
        )
    if kind not in IncidentKind.values:
        raise ExamError(_("Choisissez la nature de l'incident."), code="kind")
    text = description.strip()
    if not text:
        raise ExamError(_("Décrivez l'incident."), code="description_required")
    if len(text) > DESCRIPTION_MAX:
        raise ExamError(
            _("La description ne dépasse pas %(max)s caractères.") % {"max": DESCRIPTION_MAX},
            code="description_too_long",
        )
    ends = sitting.starts_at + datetime.timedelta(minutes=sitting.duration_minutes)
    if not sitting.starts_at - REPORTS_OPEN_BEFORE <= moment <= ends + REPORTS_CLOSE_AFTER:
        raise ExamError(
            _(
                "Les incidents se signalent le jour de l'examen : de l'ouverture de l'accueil "
                "au lendemain de la fin de l'épreuve."
            ),
            code="reports_closed",
        )
    happened = moment if occurred_at is None else occurred_at
    if happened > moment or happened < sitting.starts_at - REPORTS_OPEN_BEFORE:
        raise ExamError(
            _("L'heure de l'incident se situe pendant la journée d'examen, et pas dans le futur."),
            code="occurred_at",
        )
    if registration is not None and (
        registration.sitting_id != sitting.pk or registration.status != RegistrationStatus.CONFIRMED
    ):
        raise ExamError(
            _("Ce candidat n'a pas de place confirmée à cette session."), code="not_a_candidate"
        )
    with transaction.atomic():
        return ExamIncident.objects.create(
            sitting=sitting,
            registration=registration,
            kind=kind,
            description=text,
            occurred_at=happened,
            reported_at=moment,
            reported_by=by,
        )
