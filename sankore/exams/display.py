"""How a sitting's times read: in the centre's wall-clock time, its zone named explicitly."""

from __future__ import annotations

import datetime

from babel.numbers import format_currency
from django.utils.translation import get_language, gettext

from sankore.exams.models import ExamCentre, ExamSitting
from sankore.exams.times import utc_offset_label


def centre_zone_label(*, centre: ExamCentre, at: datetime.datetime) -> str:
    """« heure de Dakar (UTC+0) », with the offset of that day (daylight saving or not)."""
    return gettext("heure de %(city)s (%(offset)s)") % {
        "city": centre.institution.city or centre.institution.name,
        "offset": utc_offset_label(at=at, zone_name=centre.institution.time_zone),
    }


def fee_label(*, sitting: ExamSitting) -> str:
    """« Gratuit », or the fee in its currency as French readers write it (« 15 000 F CFA »)."""
    if sitting.is_free:
        return gettext("Gratuit")
    locale = (get_language() or "fr").replace("-", "_")
    return format_currency(sitting.fee_amount, sitting.fee_currency, locale=locale)
