"""When a reply was sent, as ISO 8601 text, from the shapes archives write it in.

The audit groups replies by month (`time[:7]`), so every source's time goes through one reader:
ISO 8601 strings (helpdesk APIs, most dumps), `datetime` values (Parquet timestamps), Unix
epochs in seconds or milliseconds (numbers or digit strings), and a few unambiguous dump formats.
Day-first versus month-first dates ("03/04/2024") are ambiguous and read as unknown, not guessed.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M",
            "%d.%m.%Y")
_MS_EPOCH = 100_000_000_000  # larger epochs are milliseconds (year 5138 in seconds)


def _from_epoch(number: float) -> str | None:
    seconds = number / 1000 if abs(number) >= _MS_EPOCH else number
    try:
        return _text(datetime.fromtimestamp(seconds, UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _text(moment: datetime) -> str:
    """Aware times in UTC with a `Z`; naive ones as written (the archive's own clock)."""
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _from_string(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return _from_epoch(int(value))
    try:
        return _text(datetime.fromisoformat(value))
    except ValueError:
        pass
    for pattern in _FORMATS:
        try:
            return _text(datetime.strptime(value, pattern))
        except ValueError:
            continue
    return None


def iso_time(value: Any) -> str | None:
    """`value` as ISO 8601 text (`2024-03-05T10:00:00Z`, or without `Z` when it had no zone),
    or None when it is empty or not a time this reader knows."""
    if isinstance(value, datetime):
        return _text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(value)
    if isinstance(value, str):
        return _from_string(value)
    return None
