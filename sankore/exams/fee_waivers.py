"""Fees that an app above the exams may take on (a sponsor's vouchers, in ``partnerships``),
without the exams importing it: that app registers, in its ``ready``, a function giving the
page where a learner asks for it; « Mes examens » links to it next to an unpaid fee.

An app that waived a fee also hears, through ``fee_waiver_release_register``, of the
cancellation of a registration whose fee it took on (in the cancellation's transaction, under
the sitting's lock), so that it can give its seat back.

A link function is called with a confirmed, unpaid registration of a paying sitting and
returns the address of that page for it, or ``None`` when it has nothing to offer. It runs
once per registration shown: it must not query the database.
"""

from __future__ import annotations

from collections.abc import Callable

from sankore.exams.models import ExamRegistration, RegistrationStatus

FeeWaiverLink = Callable[[ExamRegistration], str | None]
FeeWaiverRelease = Callable[[ExamRegistration], None]

_links: list[FeeWaiverLink] = []
_releases: list[FeeWaiverRelease] = []


def fee_waiver_release_register(release: FeeWaiverRelease) -> FeeWaiverRelease:
    if release not in _releases:
        _releases.append(release)
    return release


def fee_waiver_released(*, registration: ExamRegistration) -> None:
    """A registration whose fee was waived is cancelled: the apps that waived it hear of it."""
    if registration.fee_waiver:
        for release in list(_releases):
            release(registration)


def fee_waiver_link_register(link: FeeWaiverLink) -> FeeWaiverLink:
    if link not in _links:
        _links.append(link)
    return link


def fee_waiver_link(*, registration: ExamRegistration) -> str | None:
    """Where the learner may have this registration's fee taken on; ``None`` when the fee is
    not theirs to pay any more, or when no app offers it."""
    if (
        registration.status != RegistrationStatus.CONFIRMED
        or registration.paid_at is not None
        or registration.sitting.is_free
    ):
        return None
    for link in list(_links):
        url = link(registration)
        if url:
            return url
    return None
