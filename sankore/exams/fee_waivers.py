"""Fees that an app above the exams may take on (a sponsor's vouchers, in ``partnerships``),
without the exams importing it: that app registers, in its ``ready``, a function giving the
page where a learner asks for it; « Mes examens » links to it next to an unpaid fee.

A link function is called with a confirmed, unpaid registration of a paying sitting and
returns the address of that page for it, or ``None`` when it has nothing to offer. It runs
once per registration shown: it must not query the database.
"""

from __future__ import annotations

from collections.abc import Callable

from sankore.exams.models import ExamRegistration, RegistrationStatus

FeeWaiverLink = Callable[[ExamRegistration], str | None]

_links: list[FeeWaiverLink] = []


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
