"""Writes of the campus relays: the page's texts and the curated selection. The selection's
order is kept by unique positions; every change takes the relay's row lock, so two staff
members adding courses at once get consecutive places."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sankore.accounts.models import User
from sankore.catalog.models import Course
from sankore.core.errors import ServiceError
from sankore.institutions.models import Institution, InstitutionKind
from sankore.relays.models import MAX_SELECTION, CampusRelay, RelayCourse
from sankore.relays.permissions import user_can_manage_relay

# A position no real course holds, used while two courses swap places.
PARKED_POSITION = 32767


class RelayError(ServiceError):
    pass


def _refuse_unless_allowed(*, by: User, campus: Institution) -> None:
    if not user_can_manage_relay(user=by, campus=campus):
        raise RelayError(
            _("Seul le personnel de ce campus compose sa page de relais."), code="not_allowed"
        )


def relay_for(*, campus: Institution) -> CampusRelay:
    """The campus's relay, created empty the first time (two nodes asking at once end on
    the one-to-one constraint and read the same row)."""
    if campus.kind != InstitutionKind.CAMPUS:
        raise RelayError(_("Seul un campus numérique a une page de relais."), code="not_a_campus")
    relay, _created = CampusRelay.objects.get_or_create(campus=campus)
    return relay


def relay_update(
    *,
    relay: CampusRelay,
    by: User,
    introduction: str,
    opening_hours: str,
    address: str,
    contact_email: str,
    contact_phone: str,
) -> CampusRelay:
    _refuse_unless_allowed(by=by, campus=relay.campus)
    relay.introduction = introduction.strip()
    relay.opening_hours = opening_hours.strip()
    relay.address = address.strip()
    relay.contact_email = contact_email.strip()
    relay.contact_phone = contact_phone.strip()
    relay.updated_at = timezone.now()
    relay.updated_by = by
    relay.full_clean(exclude=["campus"])
    relay.save()
    return relay


def relay_course_add(
    *, relay: CampusRelay, course: Course, by: User, note: str = ""
) -> RelayCourse:
    _refuse_unless_allowed(by=by, campus=relay.campus)
    if not course.is_published:
        raise RelayError(_("Ce cours n'est pas publié au catalogue."), code="not_published")
    note = note.strip()
    if len(note) > RelayCourse._meta.get_field("note").max_length:  # type: ignore[operator]
        raise RelayError(_("Le mot du campus tient en 280 caractères."), code="note_too_long")
    with transaction.atomic():
        CampusRelay.objects.select_for_update().get(pk=relay.pk)
        chosen = RelayCourse.objects.filter(relay=relay)
        if chosen.filter(course=course).exists():
            raise RelayError(_("Ce cours est déjà dans la sélection."), code="already_selected")
        if chosen.count() >= MAX_SELECTION:
            raise RelayError(
                _("La sélection compte au plus %(max)s cours.") % {"max": MAX_SELECTION},
                code="selection_full",
            )
        last = chosen.exclude(position=PARKED_POSITION).aggregate(last=Max("position"))["last"]
        try:
            with transaction.atomic():
                return RelayCourse.objects.create(
                    relay=relay, course=course, position=(last or 0) + 1, note=note, added_by=by
                )
        except IntegrityError:  # cannot happen under the lock; said plainly if it does
            raise RelayError(
                _("Ce cours est déjà dans la sélection."), code="already_selected"
            ) from None


def relay_course_remove(*, relay: CampusRelay, course: Course, by: User) -> None:
    _refuse_unless_allowed(by=by, campus=relay.campus)
    with transaction.atomic():
        CampusRelay.objects.select_for_update().get(pk=relay.pk)
        deleted, _rows = RelayCourse.objects.filter(relay=relay, course=course).delete()
        if not deleted:
            raise RelayError(_("Ce cours n'est pas dans la sélection."), code="not_selected")


def relay_course_move(*, relay: CampusRelay, course: Course, by: User, step: int) -> None:
    """Move a course one place up (``step=-1``) or down (``+1``) in the selection."""
    _refuse_unless_allowed(by=by, campus=relay.campus)
    if step not in (-1, 1):
        raise RelayError(_("Un cours monte ou descend d'une place."), code="step")
    with transaction.atomic():
        CampusRelay.objects.select_for_update().get(pk=relay.pk)
        ordered = list(RelayCourse.objects.filter(relay=relay).order_by("position", "pk"))
        index = next((i for i, item in enumerate(ordered) if item.course_id == course.pk), None)
        if index is None:
            raise RelayError(_("Ce cours n'est pas dans la sélection."), code="not_selected")
        other = index + step
        if not 0 <= other < len(ordered):
            return  # already first (or last): nothing to do
        first, second = ordered[index], ordered[other]
        first_position, second_position = first.position, second.position
        # Through a parked position, so that the unique (relay, position) holds at each step.
        RelayCourse.objects.filter(pk=first.pk).update(position=PARKED_POSITION)
        RelayCourse.objects.filter(pk=second.pk).update(position=first_position)
        RelayCourse.objects.filter(pk=first.pk).update(position=second_position)
