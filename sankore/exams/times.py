"""Local times of a centre: a sitting is entered and shown in the centre's wall-clock time,
stored in UTC. Wall-clock times that do not exist (the hour skipped when daylight saving
starts) are refused; those that happen twice (the hour repeated when it ends) take the first
occurrence, and the caller is told."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass


@dataclass(frozen=True)
class LocalTime:
    at: datetime.datetime  # aware, UTC
    ambiguous: bool  # the wall-clock time happens twice that day: the first one was taken


class NonExistentLocalTime(ValueError):
    pass


def local_to_utc(*, local: datetime.datetime, zone_name: str) -> LocalTime:
    if local.tzinfo is not None:
        raise ValueError("a local wall-clock time is naive")
    zone = zoneinfo.ZoneInfo(zone_name)
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    at = first.astimezone(datetime.UTC)
    # zoneinfo never refuses a time in a gap: it shifts it. Going back to the wall clock
    # shows the shift.
    if at.astimezone(zone).replace(tzinfo=None) != local:
        raise NonExistentLocalTime(local.isoformat())
    return LocalTime(at=at, ambiguous=first.utcoffset() != second.utcoffset())


def utc_offset_label(*, at: datetime.datetime, zone_name: str) -> str:
    """« UTC+3 », « UTC−4 », « UTC+5:30 », « UTC+0 » for that zone at that moment."""
    offset = at.astimezone(zoneinfo.ZoneInfo(zone_name)).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
