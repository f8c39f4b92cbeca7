"""How a sitting's times read: in the centre's wall-clock time, its zone named explicitly."""

from __future__ import annotations

import datetime

from babel.dates import format_date, format_time
from babel.numbers import format_currency
from django.utils.translation import get_language, gettext, ngettext

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


def _locale() -> str:
    return (get_language() or "fr").replace("-", "_")


def centre_local_date(*, centre: ExamCentre, at: datetime.datetime) -> str:
    """« mercredi 12 juin 2030 », the day at the centre (not the server's, not UTC's)."""
    day = at.astimezone(centre.zone).date()
    text = format_date(day, format="full", locale=_locale())
    # French writes the first day of a month as an ordinal: « lundi 1er juillet 2030 ».
    if _locale().startswith("fr") and day.day == 1:
        text = text.replace(" 1 ", " 1er ", 1)
    return text


def centre_local_time(*, centre: ExamCentre, at: datetime.datetime) -> str:
    """« 09:00 » (French), "9:00 AM" (English): the centre's wall-clock time."""
    return format_time(at, format="short", tzinfo=centre.zone, locale=_locale())


def duration_label(*, minutes: int) -> str:
    """« 2 heures », « 1 h 30 », « 45 minutes »."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ngettext("%(minutes)s minute", "%(minutes)s minutes", rest) % {"minutes": rest}
    if not rest:
        return ngettext("%(hours)s heure", "%(hours)s heures", hours) % {"hours": hours}
    return gettext("%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": rest}
