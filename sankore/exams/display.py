"""How a sitting's times read: in the centre's wall-clock time, its zone named explicitly."""

from __future__ import annotations

import datetime

from babel.numbers import format_currency
from django.utils.translation import get_language, gettext

from sankore.exams.models import ExamCentre, ExamSitting
from sankore.exams.times import utc_offset_label

VOWELS = set("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ")


def centre_zone_label(*, centre: ExamCentre, at: datetime.datetime) -> str:
    """« heure de Dakar (UTC+0) », « heure d’Antananarivo (UTC+3) »: the offset of that day
    (daylight saving or not)."""
    city = centre.institution.city or centre.institution.name
    values = {
        "city": city,
        "offset": utc_offset_label(at=at, zone_name=centre.institution.time_zone),
    }
    # French elides « de » before a vowel: « heure d’Antananarivo », « heure de Dakar ».
    if city[:1].upper() in VOWELS:
        return gettext("heure d’%(city)s (%(offset)s)") % values
    return gettext("heure de %(city)s (%(offset)s)") % values


def fee_label(*, sitting: ExamSitting) -> str:
    """« Gratuit », or the fee in its currency as French readers write it (« 15 000 F CFA »)."""
    if sitting.is_free:
        return gettext("Gratuit")
    locale = (get_language() or "fr").replace("-", "_")
    return format_currency(sitting.fee_amount, sitting.fee_currency, locale=locale)
