"""Writes of the private partners (companies and foundations): their contributions to the
offer, the vouchers of the seats they sponsor, and a learner redeeming a voucher, which waives
an exam fee (certificate fees too, once the platform takes payments).

A voucher's seats are guarded as a sitting's are: its row lock makes the redemptions of one
code run one after the other, its count grows with ``F()``, and two database constraints —
one redemption per learner and code, never more redemptions than seats — refuse whatever
would slip past. A refusal changes nothing: the count, the redemption and the fee waiver are
written in one transaction.
"""

from __future__ import annotations

import datetime
import re
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sankore.accounts.models import User
from sankore.accounts.permissions import user_is_programme_staff
from sankore.catalog.models import Course
from sankore.core.errors import ServiceError
from sankore.exams.models import CURRENCY_CHOICES, ExamRegistration, RegistrationStatus
from sankore.exams.services import registration_fee_waive
from sankore.institutions.models import Institution, InstitutionKind
from sankore.partnerships.models import (
    ContributionKind,
    Partnership,
    SponsorContribution,
    Voucher,
    VoucherRedemption,
    VoucherUse,
)

SPONSOR_KINDS = frozenset({InstitutionKind.COMPANY, InstitutionKind.FOUNDATION})
CURRENCIES = frozenset(code for code, _label in CURRENCY_CHOICES)
# Below 10^10 with two decimals: the column's ``max_digits=12``.
AMOUNT_LIMIT = Decimal(10) ** 10
CENT = Decimal("0.01")

# Codes read aloud, copied by hand, typed on a phone: no 0/O nor 1/I to confuse.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_PREFIX = "SK"
CODE_GROUP = 4  # « SK-7KQM-3HXP »: two groups of four, 32^8 ≈ 10^12 codes
MAX_PERSONAL_CODES = 500  # one batch of single-seat codes
MAX_SHARED_SEATS = 100_000  # the seats of one shared code
# What a learner may type between the characters of a code: spaces and dashes of any kind.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―]+")


class SponsorError(ServiceError):
    pass


class SponsorNotFoundError(SponsorError):
    status_code = 404


def _refuse(message: StrOrPromise, code: str) -> SponsorError:
    return SponsorError(message, code=code)


def _programme_only(*, by: User, message: StrOrPromise) -> None:
    if not user_is_programme_staff(user=by):
        raise _refuse(message, "not_allowed")


# --- Contributions -------------------------------------------------------------------------


@transaction.atomic
def sponsor_contribution_create(
    *,
    by: User,
    sponsor: Institution,
    kind: str,
    description: str = "",
    course: Course | None = None,
    partnership: Partnership | None = None,
    amount: Decimal | None = None,
    currency: str = "",
    is_public: bool = True,
) -> SponsorContribution:
    """What a company or a foundation brings, recorded by programme staff; a public one is
    shown « avec le soutien de » on the course's and the sponsor's pages."""
    _programme_only(
        by=by, message=_("Seule l'équipe du programme enregistre les soutiens des partenaires.")
    )
    if sponsor.kind not in SPONSOR_KINDS:
        raise _refuse(
            _("Un partenaire privé est une entreprise ou une fondation."), "not_a_sponsor"
        )
    if kind not in ContributionKind.values:
        raise _refuse(_("Nature de contribution inconnue."), "bad_kind")
    description = description.strip()
    description_max = SponsorContribution._meta.get_field("description").max_length or 0
    if len(description) > description_max:
        raise _refuse(
            _("La description tient en %(max)s caractères.") % {"max": description_max},
            "description_too_long",
        )
    currency = currency.strip().upper()
    if amount is None:
        currency = ""
    else:
        if not amount.is_finite() or amount < 0:
            raise _refuse(_("Un montant est positif ou nul."), "negative_amount")
        if amount >= AMOUNT_LIMIT or amount != amount.quantize(CENT):
            raise _refuse(
                _("Un montant a au plus dix chiffres avant la virgule et deux après."),
                "amount_format",
            )
        if currency not in CURRENCIES:
            raise _refuse(_("Indiquez la devise du montant."), "currency_required")
    return SponsorContribution.objects.create(
        sponsor=sponsor,
        kind=kind,
        description=description,
        course=course,
        partnership=partnership,
        amount=amount,
        currency=currency,
        is_public=is_public,
        created_by=by,
    )


# --- Vouchers ------------------------------------------------------------------------------


def _code_draw() -> str:
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_GROUP)) for _g in range(2))
    return "-".join((CODE_PREFIX, *groups))


def _codes_draw(count: int) -> list[str]:
    """``count`` new codes, none of them already given (a draw repeated is drawn again)."""
    codes: set[str] = set()
    while len(codes) < count:
        drawn = {_code_draw() for _n in range(count - len(codes))} - codes
        taken = set(Voucher.objects.filter(code__in=drawn).values_list("code", flat=True))
        codes |= drawn - taken
    return sorted(codes)


def voucher_code_normalise(typed: str) -> str | None:
    """The stored form (« SK-7KQM-3HXP ») of what a learner typed — any case, with or without
    spaces, dashes or the « SK » — or ``None`` when it cannot be one of our codes."""
    compact = _SEPARATORS.sub("", typed).upper()
    body_length = 2 * CODE_GROUP
    if len(compact) == len(CODE_PREFIX) + body_length and compact.startswith(CODE_PREFIX):
        compact = compact[len(CODE_PREFIX) :]
    if len(compact) != body_length or any(char not in CODE_ALPHABET for char in compact):
        return None
    return f"{CODE_PREFIX}-{compact[:CODE_GROUP]}-{compact[CODE_GROUP:]}"


@transaction.atomic
def voucher_batch_create(
    *,
    by: User,
    contribution: SponsorContribution,
    seats: int,
    shared: bool = False,
    course: Course | None = None,
    expires_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[Voucher]:
    """The vouchers of sponsored seats: ``seats`` personal codes of one seat each, or one
    ``shared`` code with ``seats`` seats (each learner uses it once). Reserved to ``course``
    (the contribution's course when it has one), valid until ``expires_on`` included."""
    moment = timezone.now() if now is None else now
    _programme_only(by=by, message=_("Seule l'équipe du programme crée les bons."))
    if contribution.kind != ContributionKind.SPONSORED_SEATS:
        raise _refuse(
            _("Seule une contribution en places offertes donne des bons."), "not_sponsored_seats"
        )
    if seats < 1:
        raise _refuse(_("Un lot compte au moins une place."), "seats")
    if shared and seats > MAX_SHARED_SEATS:
        raise _refuse(
            _("Un code partagé compte au plus %(max)s places.") % {"max": MAX_SHARED_SEATS},
            "too_many_seats",
        )
    if not shared and seats > MAX_PERSONAL_CODES:
        raise _refuse(
            _("Un lot compte au plus %(max)s codes personnels.") % {"max": MAX_PERSONAL_CODES},
            "too_many_codes",
        )
    if (
        contribution.course_id is not None
        and course is not None
        and course.pk != contribution.course_id
    ):
        raise _refuse(
            _("Les bons de cette contribution sont réservés à son cours."), "other_course"
        )
    course_id = course.pk if course is not None else contribution.course_id
    if expires_on is not None and expires_on < timezone.localdate(moment):
        raise _refuse(_("La date de validité est déjà passée."), "already_expired")
    count, seats_each = (1, seats) if shared else (seats, 1)
    for _attempt in range(3):
        vouchers = [
            Voucher(
                contribution=contribution,
                code=code,
                use=VoucherUse.EXAM_FEE,
                course_id=course_id,
                seats=seats_each,
                expires_on=expires_on,
                created_at=moment,
            )
            for code in _codes_draw(count)
        ]
        try:
            with transaction.atomic():
                return Voucher.objects.bulk_create(vouchers)
        except IntegrityError:  # a code drawn by another batch at the same moment: draw again
            continue
    raise _refuse(_("Les codes n'ont pas pu être créés : réessayez."), "code_collision")


def _unknown_code() -> SponsorError:
    return _refuse(
        _(
            "Ce code ne correspond à aucun bon. Vérifiez-le : il s'écrit comme SK-7KQM-3HXP et "
            "ne contient jamais les caractères 0, O, 1 ni I."
        ),
        "unknown_code",
    )


@transaction.atomic
def voucher_redeem(
    *,
    learner: User,
    code: str,
    registration: ExamRegistration,
    now: datetime.datetime | None = None,
) -> VoucherRedemption:
    """``learner`` uses the voucher ``code`` (as typed) for the fee of one of their exam
    registrations: a confirmed seat of a paying sitting, not paid yet, of the voucher's
    course if it has one. One seat of the voucher is taken and the fee is waived."""
    moment = timezone.now() if now is None else now
    normalised = voucher_code_normalise(code)
    if normalised is None:
        raise _unknown_code()
    current = (
        ExamRegistration.objects.select_related("sitting", "course_run")
        .filter(pk=registration.pk, learner_id=learner.pk)
        .first()
    )
    if current is None:
        raise SponsorNotFoundError(_("Inscription introuvable."), code="not_your_registration")
    if current.status != RegistrationStatus.CONFIRMED:
        raise _refuse(_("Seule une place confirmée peut être prise en charge."), "not_confirmed")
    if current.sitting.is_free:
        raise _refuse(_("Cette session d'examen est gratuite."), "free_sitting")
    if current.paid_at is not None:
        raise _refuse(_("Les droits de cette inscription sont déjà réglés."), "already_paid")
    # Every redemption of this code waits here for the others.
    voucher = Voucher.objects.select_for_update().filter(code=normalised).first()
    if voucher is None:
        raise _unknown_code()
    if voucher.use != VoucherUse.EXAM_FEE:
        raise _refuse(_("Ce bon ne prend pas en charge des droits d'examen."), "other_use")
    if voucher.expires_on is not None and voucher.expires_on < timezone.localdate(moment):
        raise _refuse(
            _("Ce bon n'est plus valable depuis le %(date)s.")
            % {"date": date_format(voucher.expires_on, "DATE_FORMAT")},
            "expired",
        )
    if voucher.course_id is not None and voucher.course_id != current.course_run.course_id:
        raise _refuse(_("Ce bon est réservé à un autre cours."), "other_course")
    if VoucherRedemption.objects.filter(
        voucher=voucher, learner_id=learner.pk, released_at__isnull=True
    ).exists():
        raise _refuse(_("Vous avez déjà utilisé ce bon."), "already_redeemed")
    if voucher.redeemed_count >= voucher.seats:
        raise _refuse(_("Toutes les places de ce bon ont déjà été utilisées."), "no_seat_left")
    try:
        with transaction.atomic():
            Voucher.objects.filter(pk=voucher.pk).update(redeemed_count=F("redeemed_count") + 1)
            redemption = VoucherRedemption.objects.create(
                voucher=voucher, learner=learner, exam_registration=current, redeemed_at=moment
            )
    except IntegrityError:
        # The constraints decided (a registration redeemed with another code at the same
        # moment, or what the lock should have kept out): the learner is told plainly.
        if VoucherRedemption.objects.filter(exam_registration=current).exists():
            raise _refuse(
                _("Les droits de cette inscription sont déjà réglés."), "already_paid"
            ) from None
        raise _refuse(
            _("Ce bon ne peut plus être utilisé : plus de place, ou vous l'avez déjà utilisé."),
            "refused",
        ) from None
    # Under the registration's lock; its refusal (cancelled meanwhile…) undoes the seat taken.
    registration_fee_waive(registration=current, reference=voucher.code, now=moment)
    return redemption


def voucher_seat_release(registration: ExamRegistration) -> None:
    """The exam registration whose fee a voucher took on is cancelled: its seat goes back to
    the voucher, and the learner may use the code again. Called by the exams (registry
    ``exams.fee_waivers``) in the cancellation's transaction."""
    redemption = (
        VoucherRedemption.objects.select_for_update()
        .filter(exam_registration=registration, released_at__isnull=True)
        .first()
    )
    if redemption is None:
        return
    Voucher.objects.select_for_update().filter(pk=redemption.voucher_id).update(
        redeemed_count=F("redeemed_count") - 1
    )
    redemption.released_at = timezone.now()
    redemption.save(update_fields=["released_at"])
