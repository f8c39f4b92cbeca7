"""Every write of the exams app: centres, sittings, registrations, cancellations, payments
(at the desk, or waived by a sponsor's voucher).

Seats are guarded by the sitting's row lock (``select_for_update``): each registration and
each cancellation of a sitting runs one after the other on that row, so counting the
confirmed learners and giving the next seat is never check-then-act. The unique constraints
of ``ExamRegistration`` are the second line: a learner registering twice at once (two tabs,
two sittings of one session) meets ``exams_one_active_registration_per_exam``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sankore.accounts.models import User
from sankore.accounts.permissions import user_is_campus_staff
from sankore.catalog.models import CourseRun
from sankore.core.errors import ServiceError
from sankore.courseware.selectors import outline_of, publication_current
from sankore.credentials.models import Credential, CredentialKind, CredentialStatus
from sankore.exams.fee_waivers import fee_waiver_released
from sankore.exams.models import (
    ACTIVE_STATUSES,
    CURRENCY_CHOICES,
    ExamCentre,
    ExamMode,
    ExamRegistration,
    ExamRoom,
    ExamSitting,
    RegistrationStatus,
)
from sankore.exams.permissions import user_can_manage_centre
from sankore.exams.tasks import convocation_send_task
from sankore.exams.times import NonExistentLocalTime, local_to_utc
from sankore.institutions.models import Institution, InstitutionKind
from sankore.learning.models import Enrolment

CENTRE_KINDS = {InstitutionKind.CAMPUS, InstitutionKind.UNIVERSITY}
# The years a sitting's times may be in: wide enough for any real one, far from the
# calendar's ends.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2199
CURRENCIES = {code for code, _label in CURRENCY_CHOICES}


class ExamError(ServiceError):
    pass


# --- Centres and rooms ----------------------------------------------------------------------


def exam_centre_create(
    *,
    institution: Institution,
    address: str,
    contact_email: str = "",
    contact_phone: str = "",
) -> ExamCentre:
    if institution.kind not in CENTRE_KINDS:
        raise ExamError(
            _("Un centre d'examen est un campus numérique ou une université partenaire."),
            code="not_a_centre_kind",
        )
    if not address.strip():
        raise ExamError(_("Indiquez l'adresse du centre."), code="address_required")
    if ExamCentre.objects.filter(institution=institution).exists():
        raise ExamError(_("Cet établissement est déjà un centre d'examen."), code="centre_exists")
    try:
        with transaction.atomic():
            return ExamCentre.objects.create(
                institution=institution,
                address=address.strip(),
                contact_email=contact_email.strip(),
                contact_phone=contact_phone.strip(),
            )
    except IntegrityError:
        raise ExamError(
            _("Cet établissement est déjà un centre d'examen."), code="centre_exists"
        ) from None


def exam_room_create(*, centre: ExamCentre, name: str, capacity: int) -> ExamRoom:
    if capacity < 1:
        raise ExamError(_("Une salle compte au moins une place."), code="room_capacity")
    if ExamRoom.objects.filter(centre=centre, name=name.strip()).exists():
        raise ExamError(_("Ce centre a déjà une salle de ce nom."), code="room_exists")
    return ExamRoom.objects.create(centre=centre, name=name.strip(), capacity=capacity)


# --- Sittings -------------------------------------------------------------------------------


@dataclass
class SittingCreated:
    sitting: ExamSitting
    # What the person entering it should know (an ambiguous local time, for instance).
    notices: list[StrOrPromise] = field(default_factory=list)


def _centre_time(
    *, local: datetime.datetime, centre: ExamCentre, notices: list[StrOrPromise]
) -> datetime.datetime:
    if local.tzinfo is not None:
        raise ExamError(
            _("Saisissez l'heure locale du centre, sans fuseau horaire."), code="aware_local_time"
        )
    if not EARLIEST_YEAR <= local.year <= LATEST_YEAR:
        # Not a typo we can store: year 1 or 9999 leaves the calendar once in UTC (or once
        # the duration is added), an OverflowError on every page that shows the sitting.
        raise ExamError(
            _("L'année %(year)s n'est pas celle d'un examen : vérifiez la date.")
            % {"year": local.year},
            code="implausible_year",
        )
    try:
        resolved = local_to_utc(local=local, zone_name=centre.institution.time_zone)
    except NonExistentLocalTime:
        raise ExamError(
            _(
                "L'heure %(time)s n'existe pas à %(city)s ce jour-là (passage à l'heure "
                "d'été) : choisissez une autre heure."
            )
            % {"time": local.strftime("%H:%M"), "city": centre_city(centre)},
            code="nonexistent_local_time",
        ) from None
    if resolved.ambiguous:
        notices.append(
            _(
                "L'heure %(time)s existe deux fois à %(city)s ce jour-là (retour à l'heure "
                "d'hiver) : la première, à l'heure d'été, a été retenue."
            )
            % {"time": local.strftime("%H:%M"), "city": centre_city(centre)}
        )
    return resolved.at


def centre_city(centre: ExamCentre) -> str:
    return centre.institution.city or centre.institution.name


def _exam_unit_check(*, course_run: CourseRun, unit_key: str) -> None:
    publication = publication_current(course_run_id=course_run.pk)
    unit = outline_of(publication).unit(unit_key) if publication is not None else None
    if unit is None or unit.exam is None:
        raise ExamError(
            _("Cette unité n'est pas un examen surveillé de la session publiée."),
            code="not_an_exam_unit",
        )


def exam_sitting_create(
    *,
    course_run: CourseRun,
    centre: ExamCentre,
    mode: str,
    local_start: datetime.datetime,
    duration_minutes: int,
    seats: int,
    local_registration_opens: datetime.datetime,
    local_registration_closes: datetime.datetime,
    local_cancellation_deadline: datetime.datetime | None = None,
    room: ExamRoom | None = None,
    exam_unit_key: str = "",
    fee_amount: Decimal = Decimal(0),
    fee_currency: str = "",
    requires_attestation: bool = False,
    max_score: Decimal = Decimal(20),
    pass_mark: Decimal = Decimal(10),
    created_by: User | None = None,
    dry_run: bool = False,
) -> SittingCreated:
    """A sitting at ``centre``; every time is the centre's wall-clock time (naive), stored
    in UTC. The cancellation deadline is the registration close unless given. ``dry_run``
    checks the rules and returns the sitting unsaved (the admin form's validation)."""
    notices: list[StrOrPromise] = []
    if created_by is not None and not user_can_manage_centre(user=created_by, centre=centre):
        raise ExamError(
            _("Seul le personnel de ce centre y organise des sessions d'examen."),
            code="not_allowed",
        )
    if not centre.is_active:
        raise ExamError(_("Ce centre n'accueille plus d'examens."), code="centre_inactive")
    if mode not in ExamMode.values:
        raise ExamError(_("Modalité d'examen inconnue."), code="mode")
    if mode == ExamMode.PLATFORM:
        _exam_unit_check(course_run=course_run, unit_key=exam_unit_key)
    else:
        exam_unit_key = ""
    if duration_minutes < 1:
        raise ExamError(_("Indiquez la durée de l'examen."), code="duration")
    if seats < 1:
        raise ExamError(_("Une session d'examen compte au moins une place."), code="seats")
    if room is not None and room.centre_id != centre.pk:
        raise ExamError(_("Cette salle n'est pas dans ce centre."), code="room_elsewhere")
    if room is not None and seats > room.capacity:
        raise ExamError(
            _("La salle %(room)s ne compte que %(capacity)s places.")
            % {"room": room.name, "capacity": room.capacity},
            code="seats_over_room_capacity",
        )
    if fee_amount < 0:
        raise ExamError(_("Des droits d'inscription ne sont pas négatifs."), code="fee")
    if fee_amount > 0 and fee_currency not in CURRENCIES:
        raise ExamError(_("Indiquez la devise des droits d'inscription."), code="currency")
    if fee_amount == 0:
        fee_currency = ""
    if not Decimal(0) < pass_mark <= max_score:
        raise ExamError(
            _("La note de réussite est positive et ne dépasse pas la note maximale."),
            code="pass_mark",
        )
    starts_at = _centre_time(local=local_start, centre=centre, notices=notices)
    opens_at = _centre_time(local=local_registration_opens, centre=centre, notices=notices)
    closes_at = _centre_time(local=local_registration_closes, centre=centre, notices=notices)
    deadline = (
        closes_at
        if local_cancellation_deadline is None
        else _centre_time(local=local_cancellation_deadline, centre=centre, notices=notices)
    )
    if not opens_at < closes_at <= starts_at:
        raise ExamError(
            _("Les inscriptions ouvrent, puis ferment, avant le début de l'examen."),
            code="registration_window",
        )
    if deadline > starts_at:
        raise ExamError(
            _("Les annulations ferment au plus tard au début de l'examen."),
            code="cancellation_deadline",
        )
    sitting = ExamSitting(
        course_run=course_run,
        centre=centre,
        room=room,
        mode=mode,
        exam_unit_key=exam_unit_key,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        seats=seats,
        registration_opens_at=opens_at,
        registration_closes_at=closes_at,
        cancellation_deadline=deadline,
        fee_amount=fee_amount,
        fee_currency=fee_currency,
        requires_attestation=requires_attestation,
        max_score=max_score,
        pass_mark=pass_mark,
        created_by=created_by,
    )
    if not dry_run:
        sitting.save(force_insert=True)
    return SittingCreated(sitting=sitting, notices=notices)


# --- Registrations --------------------------------------------------------------------------


def _convocation_send_on_commit(registration: ExamRegistration) -> None:
    # After the commit, so that the worker sees the seat and a rolled-back registration sends
    # nothing; robust, so that a queue down never turns a confirmed seat into an error page.
    transaction.on_commit(partial(convocation_send_task.enqueue, registration.pk), robust=True)


def _already_registered() -> ExamError:
    return ExamError(
        _("Vous êtes déjà inscrit à une session de cet examen."), code="already_registered"
    )


def _eligibility_check(*, learner: User, sitting: ExamSitting) -> None:
    enrolled = Enrolment.objects.filter(
        user=learner, course_run_id=sitting.course_run_id, is_active=True
    ).exists()
    if not enrolled:
        raise ExamError(_("Inscrivez-vous d'abord à la session du cours."), code="not_enrolled")
    if sitting.requires_attestation:
        attested = Credential.objects.filter(
            holder=learner,
            course_run_id=sitting.course_run_id,
            kind=CredentialKind.ATTESTATION,
            status=CredentialStatus.VALID,
        ).exists()
        if not attested:
            raise ExamError(
                _("Cet examen est réservé aux titulaires de l'attestation de suivi du cours."),
                code="attestation_required",
            )


def _lowest_free_seat(*, sitting: ExamSitting) -> int | None:
    taken = set(
        ExamRegistration.objects.filter(
            sitting=sitting, status=RegistrationStatus.CONFIRMED
        ).values_list("seat_number", flat=True)
    )
    return next((n for n in range(1, sitting.seats + 1) if n not in taken), None)


def registration_create(
    *, learner: User, sitting: ExamSitting, now: datetime.datetime | None = None
) -> ExamRegistration:
    """Register ``learner`` for ``sitting``: a confirmed seat while there is one, the
    waiting list after. Refusals leave nothing stored."""
    moment = timezone.now() if now is None else now
    if not sitting.centre.is_active:
        raise ExamError(_("Ce centre n'accueille plus d'examens."), code="centre_inactive")
    if moment < sitting.registration_opens_at:
        raise ExamError(
            _("Les inscriptions à cette session ne sont pas encore ouvertes."),
            code="registration_not_open",
        )
    if moment >= sitting.registration_closes_at:
        raise ExamError(
            _("Les inscriptions à cette session sont closes."), code="registration_closed"
        )
    _eligibility_check(learner=learner, sitting=sitting)
    active = ExamRegistration.objects.filter(
        learner=learner, course_run_id=sitting.course_run_id, status__in=ACTIVE_STATUSES
    )
    if active.exists():
        raise _already_registered()
    try:
        with transaction.atomic():
            # Every registration and cancellation of this sitting waits here for the others.
            locked = ExamSitting.objects.select_for_update().get(pk=sitting.pk)
            values = {
                "sitting": locked,
                "learner": learner,
                "course_run_id": locked.course_run_id,
                "centre_id": locked.centre_id,
                "registered_at": moment,
            }
            seat = _lowest_free_seat(sitting=locked)
            if seat is not None:
                confirmed = ExamRegistration.objects.create(
                    status=RegistrationStatus.CONFIRMED,
                    seat_number=seat,
                    confirmed_at=moment,
                    **values,
                )
                _convocation_send_on_commit(confirmed)
                return confirmed
            last = ExamRegistration.objects.filter(
                sitting=locked, status=RegistrationStatus.WAITING
            ).aggregate(last=Max("waiting_position"))["last"]
            return ExamRegistration.objects.create(
                status=RegistrationStatus.WAITING,
                waiting_position=(last or 0) + 1,
                waiting_since=moment,
                **values,
            )
    except IntegrityError:
        # Registered meanwhile (another tab, another sitting of the session): the
        # constraint decided, the learner gets the same answer as when we saw it first.
        if active.exists():
            raise _already_registered() from None
        raise


@dataclass
class Cancellation:
    registration: ExamRegistration
    promoted: ExamRegistration | None  # the waiting learner who got the freed seat


def registration_cancel(
    *, registration: ExamRegistration, by: User, now: datetime.datetime | None = None
) -> Cancellation:
    """Cancel: the learner until the sitting's deadline, its centre's staff (or programme
    staff) at any time. A freed seat goes to the first of the waiting list at once."""
    moment = timezone.now() if now is None else now
    sitting = registration.sitting
    is_staff = user_can_manage_centre(user=by, centre=sitting.centre)
    if registration.learner_id != by.pk and not is_staff:
        raise ExamError(_("Vous ne pouvez pas annuler cette inscription."), code="not_allowed")
    if not is_staff and moment >= sitting.cancellation_deadline:
        raise ExamError(
            _("Le délai d'annulation de cette session est passé."), code="cancellation_closed"
        )
    with transaction.atomic():
        ExamSitting.objects.select_for_update().get(pk=sitting.pk)
        current = ExamRegistration.objects.get(pk=registration.pk)
        if not current.is_active:
            raise ExamError(_("Cette inscription est déjà annulée."), code="already_cancelled")
        freed_seat = current.seat_number if current.status == RegistrationStatus.CONFIRMED else None
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = moment
        current.cancelled_by = by
        current.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        # A sponsor's seat taken for this fee goes back to its voucher.
        fee_waiver_released(registration=current)
        promoted = None
        if freed_seat is not None:
            promoted = (
                ExamRegistration.objects.filter(sitting=sitting, status=RegistrationStatus.WAITING)
                .order_by("waiting_position", "pk")
                .first()
            )
        if promoted is not None:
            promoted.status = RegistrationStatus.CONFIRMED
            promoted.seat_number = freed_seat
            promoted.confirmed_at = moment
            promoted.save(update_fields=["status", "seat_number", "confirmed_at"])
            _convocation_send_on_commit(promoted)
    registration.refresh_from_db()
    return Cancellation(registration=registration, promoted=promoted)


def registration_payment_record(
    *,
    registration: ExamRegistration,
    by: User,
    receipt_number: str,
    now: datetime.datetime | None = None,
) -> ExamRegistration:
    """The fee paid at the centre's desk, with its receipt: recorded by that centre's staff."""
    moment = timezone.now() if now is None else now
    sitting = registration.sitting
    if not user_is_campus_staff(user=by, institution_id=sitting.centre.institution_id):
        raise ExamError(
            _("Seul le personnel de ce centre enregistre ses paiements."), code="not_allowed"
        )
    receipt = receipt_number.strip()
    if not receipt:
        raise ExamError(_("Indiquez le numéro du reçu."), code="receipt_required")
    # The column's length, checked here: PostgreSQL's refusal is a DataError, not a message.
    receipt_max = ExamRegistration._meta.get_field("receipt_number").max_length or 0
    if len(receipt) > receipt_max:
        raise ExamError(
            _("Un numéro de reçu a au plus %(max)s caractères.") % {"max": receipt_max},
            code="receipt_too_long",
        )
    if sitting.is_free:
        raise ExamError(_("Cette session d'examen est gratuite."), code="free_sitting")
    taken = ExamRegistration.objects.filter(
        centre_id=sitting.centre_id, receipt_number=receipt
    ).exclude(pk=registration.pk)
    if taken.exists():
        raise ExamError(
            _("Ce numéro de reçu a déjà été enregistré dans ce centre."), code="receipt_taken"
        )
    try:
        with transaction.atomic():
            current = ExamRegistration.objects.select_for_update().get(pk=registration.pk)
            if current.status != RegistrationStatus.CONFIRMED:
                raise ExamError(_("Seule une place confirmée se paie."), code="not_confirmed")
            if current.paid_at is not None:
                raise ExamError(
                    _("Le paiement de cette inscription est déjà enregistré."),
                    code="already_paid",
                )
            current.paid_at = moment
            current.receipt_number = receipt
            current.recorded_by = by
            current.save(update_fields=["paid_at", "receipt_number", "recorded_by"])
    except IntegrityError:
        raise ExamError(
            _("Ce numéro de reçu a déjà été enregistré dans ce centre."), code="receipt_taken"
        ) from None
    return current


def registration_fee_waive(
    *, registration: ExamRegistration, reference: str, now: datetime.datetime | None = None
) -> ExamRegistration:
    """The fee taken on by someone else (a sponsor's voucher, whose code is ``reference``):
    the registration is paid, without a receipt of the centre's. The caller has checked who
    may waive it; this checks the registration, under its row lock."""
    moment = timezone.now() if now is None else now
    reference = reference.strip()
    reference_max = ExamRegistration._meta.get_field("fee_waiver").max_length or 0
    if not reference or len(reference) > reference_max:
        raise ExamError(_("Indiquez la référence de la prise en charge."), code="waiver_reference")
    with transaction.atomic():
        current = (
            ExamRegistration.objects.select_for_update(of=("self",))
            .select_related("sitting")
            .get(pk=registration.pk)
        )
        if current.status != RegistrationStatus.CONFIRMED:
            raise ExamError(
                _("Seule une place confirmée peut être prise en charge."), code="not_confirmed"
            )
        if current.sitting.is_free:
            raise ExamError(_("Cette session d'examen est gratuite."), code="free_sitting")
        if current.paid_at is not None:
            raise ExamError(
                _("Les droits de cette inscription sont déjà réglés."), code="already_paid"
            )
        current.paid_at = moment
        current.fee_waiver = reference
        current.save(update_fields=["paid_at", "fee_waiver"])
    return current


CHECK_IN_OPENS_BEFORE = datetime.timedelta(hours=2)


def registration_check_in(
    *,
    registration: ExamRegistration,
    by: User,
    identity_checked: bool,
    now: datetime.datetime | None = None,
) -> ExamRegistration:
    """A candidate with a confirmed seat is at the door and their identity document was seen:
    recorded by the centre's staff, from two hours before the start to the end."""
    moment = timezone.now() if now is None else now
    sitting = registration.sitting
    if not user_can_manage_centre(user=by, centre=sitting.centre):
        raise ExamError(
            _("Seul le personnel de ce centre accueille ses candidats."), code="not_allowed"
        )
    if not identity_checked:
        raise ExamError(
            _("Vérifiez la pièce d'identité du candidat avant de l'accueillir."),
            code="identity_required",
        )
    ends = sitting.starts_at + datetime.timedelta(minutes=sitting.duration_minutes)
    if not sitting.starts_at - CHECK_IN_OPENS_BEFORE <= moment <= ends:
        raise ExamError(
            _("L'accueil des candidats ouvre deux heures avant le début de l'examen."),
            code="check_in_closed",
        )
    with transaction.atomic():
        current = ExamRegistration.objects.select_for_update().get(pk=registration.pk)
        if current.status != RegistrationStatus.CONFIRMED:
            raise ExamError(_("Ce candidat n'a pas de place confirmée."), code="not_confirmed")
        if current.checked_in_at is not None:
            raise ExamError(_("Ce candidat est déjà accueilli."), code="already_checked_in")
        current.checked_in_at = moment
        current.checked_in_by = by
        current.identity_checked = True
        current.save(update_fields=["checked_in_at", "checked_in_by", "identity_checked"])
    return current
