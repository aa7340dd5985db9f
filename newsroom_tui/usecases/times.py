"""Times as editors type them (`--at "2024-04-26 18:30"`, `--now`), read in the desk's time zone."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from newsroom_tui.domain.model import now as current_time
from newsroom_tui.usecases.errors import UserError

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings

_WHEN = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def parse_when(text: str, zone: ZoneInfo, what: str) -> datetime:
    """A date and time as typed; without an offset it is the desk's local time.

    A local time the clocks skip (a daylight-saving gap) is refused rather than silently shifted.
    """
    typed = text.strip()
    if not _WHEN.fullmatch(typed):
        raise UserError(f'{what} {text!r} is not a date and time like "2024-04-26 18:30".')
    try:
        value = datetime.fromisoformat(typed)
    except ValueError as error:
        raise UserError(f"{what} {text!r} is not a real date and time ({error}).") from error
    from newsroom_tui.text.bangla import check_year

    try:  # year 1 or 9999 made the zone arithmetic below, and every export after, overflow
        check_year(value, what)
    except ValueError as error:
        raise UserError(f"{error}.") from None
    if value.tzinfo is not None:
        return value
    local = value.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise UserError(f"{what} {typed} does not exist in {zone.key}: the clocks skip it.")
    return local


def local_time(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


_CLOCK_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_DATE_ALONE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_local(
    text: str, zone: ZoneInfo, what: str, *, clock: Callable[[], datetime] = current_time, date_alone: str = ""
) -> tuple[datetime, bool]:
    """A date and time as an editor types it, in the desk's zone, either digit script: `2026-12-24 18:00`,
    a time alone (`18:00`, `১৮:০০`: today's), or, with `date_alone="00:00"`, a date alone at that time.
    Returns the moment and whether it was a time alone (the schedule's "give tomorrow's date" hint)."""
    from newsroom_tui.text.bangla import to_ascii_digits

    typed = to_ascii_digits(text.strip())
    clock_time = _CLOCK_TIME.fullmatch(typed)
    if clock_time is not None:
        hour, minute = int(clock_time[1]), int(clock_time[2])
        if hour > 23 or minute > 59:
            raise UserError(f"{what} {text.strip()!r} is not a time of day like 18:00.")
        typed = f"{clock().astimezone(zone).date().isoformat()} {hour:02d}:{minute:02d}"
    elif date_alone and _DATE_ALONE.fullmatch(typed):
        typed = f"{typed} {date_alone}"
    return parse_when(typed, zone, what), clock_time is not None


def parse_schedule_time(text: str, settings: Settings, *, clock: Callable[[], datetime] = current_time) -> datetime:
    """`--at` in the desk's zone, refused when it is not in the future (cron would publish it at once).

    A time alone (`18:00`, `১৮:০০`) is today's, as an editor scheduling for this evening means it."""
    at, time_alone = parse_local(text, settings.zone, "The time", clock=clock)
    if at <= clock():
        later = "tomorrow's date before it" if time_alone else "a later time"
        raise UserError(
            f"{local_time(at, settings.zone)} ({settings.timezone}) has already passed; "
            f"a story can only be scheduled for a later time (give {later})."
        )
    return at


def schedule_example(settings: Settings, *, clock: Callable[[], datetime] = current_time) -> str:
    """An example for the schedule prompt that is never in the past: the next full hour but one."""
    from datetime import timedelta

    now = clock().astimezone(settings.zone)
    later = (now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    return later.strftime("%H:%M") if later.date() == now.date() else later.strftime("%Y-%m-%d %H:%M")


def parse_embargo(text: str, zone: ZoneInfo, *, clock: Callable[[], datetime] = current_time) -> datetime | None:
    """The form's embargo as typed: empty for none, `2026-12-02 18:00` or a time alone (`18:00`, `১৮:০০`,
    today) in the desk's zone.  A past time is kept: the publish check says so, in its own words."""
    if not text.strip():
        return None
    return parse_local(text, zone, "The embargo", clock=clock)[0]
