"""URL query parameters read from a link anyone may have edited: one bounded parser per kind.

Each parser takes the parameter's name and its values (a key may repeat) and returns the value,
or None when the parameter is absent or unusable, with a notice saying what was dropped and why,
for the page to show. Nothing here raises on any input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from geo.limits import printable

MAX_VALUE_CHARS = 200
"""Longest value kept: the longest actor name in ACLED's Myanmar data is under 150 characters."""

MAX_VALUES = 100
"""Most values kept for one repeated key (actors, states, types); a link is not a data file."""

MAX_SHOWN = 40
"""Characters of a dropped value quoted in a notice."""

WHOLE_NUMBER = re.compile(r"[0-9]{1,16}")
"""ASCII digits only (str.isdigit also accepts '²'); 16 digits cover every bound used."""


def notice(key: str, value: str, reason: str) -> str:
    """'Link parameter min_fatalities="²" ignored: not a whole number'."""
    shown = printable(value)
    shown = shown if len(shown) <= MAX_SHOWN else shown[: MAX_SHOWN - 1] + "…"
    return f'Link parameter {printable(key)[:MAX_SHOWN]}="{shown}" ignored: {reason}'


def single(key: str, values: list[str]) -> tuple[str | None, str | None]:
    """The first value of ``key`` if it is short enough; later repeats of a one-value key are ignored."""
    if not values:
        return None, None
    value = values[0]
    if len(value) > MAX_VALUE_CHARS:
        return None, notice(key, value, f"longer than {MAX_VALUE_CHARS} characters")
    return value, None


def parse_date(key: str, values: list[str]) -> tuple[date | None, str | None]:
    """An ISO date (YYYY-MM-DD)."""
    value, problem = single(key, values)
    if value is None:
        return None, problem
    try:
        return date.fromisoformat(value.strip()), None
    except ValueError:
        return None, notice(key, value, "not a date (YYYY-MM-DD)")


def parse_whole(key: str, values: list[str], minimum: int, maximum: int) -> tuple[int | None, str | None]:
    """A whole number within ``minimum``..``maximum``, written in ASCII digits."""
    value, problem = single(key, values)
    if value is None:
        return None, problem
    if not WHOLE_NUMBER.fullmatch(value.strip()):
        return None, notice(key, value, "not a whole number")
    number = int(value.strip())
    if not minimum <= number <= maximum:
        return None, notice(key, value, f"outside {minimum}..{maximum}")
    return number, None


def parse_choice(key: str, values: list[str], options: Iterable[str]) -> tuple[str | None, str | None]:
    """One of ``options``, exactly as written there."""
    value, problem = single(key, values)
    if value is None:
        return None, problem
    if value not in set(options):
        return None, notice(key, value, "not a known choice")
    return value, None


def parse_texts(key: str, values: list[str]) -> tuple[list[str] | None, list[str]]:
    """Up to :data:`MAX_VALUES` values of a repeated key, each at most :data:`MAX_VALUE_CHARS` long."""
    if not values:
        return None, []
    notices = [
        notice(key, value, f"longer than {MAX_VALUE_CHARS} characters")
        for value in values
        if len(value) > MAX_VALUE_CHARS
    ]
    kept = [value for value in values if len(value) <= MAX_VALUE_CHARS]
    if len(kept) > MAX_VALUES:
        notices.append(notice(key, kept[MAX_VALUES], f"more than {MAX_VALUES} values; the rest are left out"))
        kept = kept[:MAX_VALUES]
    return kept or None, notices


def parse_known(key: str, values: list[str], options: Iterable[str]) -> tuple[list[str] | None, list[str]]:
    """The values of a repeated key that are among ``options`` (sorted); others dropped with a notice."""
    kept, notices = parse_texts(key, values)
    if kept is None:
        return None, notices
    known = set(options)
    notices += [notice(key, value, "not in this data") for value in kept if value not in known]
    return sorted(set(kept) & known), notices


def parse_id_list(key: str, values: list[str], options: Iterable[str]) -> tuple[list[str] | None, list[str]]:
    """Comma-separated ids (the layers), each among ``options``; None when the key is absent or unusable."""
    text, problem = single(key, values)
    if text is None:
        return None, [problem] if problem else []
    ids = [part for part in text.split(",") if part]
    known = list(options)
    notices = [notice(key, part, "not a known id") for part in ids if part not in known]
    return [part for part in ids if part in known], notices
