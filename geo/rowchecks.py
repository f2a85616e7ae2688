"""Vectorised row checks: each finds the bad rows of a whole column at once, and a
:class:`RowError` is built only for the rows that fail."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
EARLIEST_EVENT_DATE = pd.Timestamp("1989-01-01")
SWAP_REGION = (85.0, 5.0, 110.0, 35.0)
"""Myanmar and its neighbours (west, south, east, north): a latitude in this longitude range with a
longitude in this latitude range was written the wrong way round."""
METRES_FROM = 1_000.0
"""Coordinates this large are metres (UTM, web Mercator), not degrees."""


@dataclass(frozen=True)
class RowError:
    """One problem in one field of one row; ``unit`` says how ``row`` counts."""

    row: int
    field: str
    value: str
    reason: str
    unit: str = "line"

    @property
    def where(self) -> str:
        """'line 7' for CSV, 'features[3]' for GeoJSON."""
        return f"features[{self.row}]" if self.unit == "feature" else f"line {self.row}"

    def __str__(self) -> str:
        if self.value == "":
            return f"{self.where}, field {self.field}: value {self.reason}"
        shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        return f"{self.where}, field {self.field}: {shown!r} {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form; ``line`` holds the row number in ``unit``s."""
        return {
            "line": self.row,
            "unit": self.unit,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
        }


def per_unique(values: pd.Series, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply ``convert`` once per distinct value: columns like admin1 or event_date
    repeat a few thousand values over up to a million rows."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    converted = convert(pd.Series(distinct, dtype=values.dtype)).array
    return pd.Series(converted.take(codes), index=values.index, name=values.name)


@dataclass(frozen=True)
class LineAccount:
    """Where every physical line after a CSV header went (or every feature of a GeoJSON file):
    ``read == accepted + rejected + blank`` always holds, so no line is lost unreported."""

    unit: str
    read: int
    accepted: int
    rejected: int
    blank: int = 0

    @property
    def balanced(self) -> bool:
        return self.read == self.accepted + self.rejected + self.blank

    def __str__(self) -> str:
        noun = "lines" if self.unit == "line" else "features"
        text = f"{self.read:,} {noun} read: {self.accepted:,} in accepted rows, {self.rejected:,} in rejected rows"
        return text + (f", {self.blank:,} blank" if self.blank else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "blank": self.blank,
        }


@dataclass
class RowChecks:
    """Collects vectorised row checks; RowErrors are built only for bad rows.

    ``ends`` (last line of each record), ``lines_read`` (physical lines after the header,
    counted from the line breaks) and ``blank_lines`` (those outside any record, counted by
    the parser) are known for CSV, where a record may span lines; GeoJSON rows are features.
    """

    rows: np.ndarray
    unit: str
    found: list[tuple[np.ndarray, str, pd.Series, pd.Series, bool]] = field(default_factory=list)
    ends: np.ndarray | None = None
    lines_read: int | None = None
    blank_lines: int = 0

    def account(self, keep: np.ndarray) -> LineAccount:
        """The line (or feature) account of an import that kept the rows in ``keep``."""
        if self.ends is None or self.lines_read is None:
            return LineAccount(self.unit, len(self.rows), int(keep.sum()), int((~keep).sum()))
        spans = self.ends - self.rows + 1
        accepted, rejected = int(spans[keep].sum()), int(spans[~keep].sum())
        return LineAccount(self.unit, self.lines_read, accepted, rejected, self.blank_lines)

    def add(
        self, mask: pd.Series | np.ndarray, name: str, values: pd.Series, reason: Any, *, unreadable: bool = False
    ) -> None:
        """Record that rows in ``mask`` have ``reason`` in field ``name``.

        ``unreadable`` rows (e.g. a GeoJSON feature that is not an object) get
        only this message: anything else found on them would be noise.
        """
        bad = np.asarray(mask, dtype=bool)
        if bad.any():
            reasons = reason if isinstance(reason, pd.Series) else None
            if reasons is None:
                reasons = pd.Series(reason, index=values.index, dtype=object)
            self.found.append((bad, name, values, reasons, unreadable))

    def label(self, rows: pd.Series) -> pd.Series:
        """Row numbers written the way messages show them."""
        text = rows.astype(str)
        return "features[" + text + "]" if self.unit == "feature" else "line " + text

    def rejected_mask(self) -> np.ndarray:
        mask = np.zeros(len(self.rows), dtype=bool)
        for bad, *_ in self.found:
            mask |= bad
        return mask

    def errors(self) -> list[RowError]:
        """Problems ordered by row, then check order; the first per field wins."""
        keyed: list[tuple[int, int, RowError]] = []
        unreadable: set[int] = set()
        for order, (bad, name, values, reasons, whole_row) in enumerate(self.found):
            positions = np.flatnonzero(bad)
            for pos, value, reason in zip(
                positions,
                values.iloc[positions].astype(str),
                reasons.iloc[positions].astype(str),
                strict=True,
            ):
                row = int(self.rows[pos])
                keyed.append((row, order, RowError(row, name, value, reason, self.unit)))
                if whole_row:
                    unreadable.add(row)
        keyed.sort(key=lambda item: (item[0], item[1]))
        seen: set[tuple[int, str]] = set()
        errors = []
        for row, order, error in keyed:
            if row in unreadable and not self.found[order][4]:
                continue
            if (row, error.field) not in seen:
                seen.add((row, error.field))
                errors.append(error)
        return errors


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates in ISO form (date part only) or '13 November 2023' / '13-Nov-2023'."""
    text = values.str.strip()
    iso = text.str.match(ISO_DATE)
    parsed = pd.to_datetime(text.str.slice(0, 10).where(iso), format="%Y-%m-%d", errors="coerce")
    spelled = text.where(~iso).str.replace("-", " ", regex=False)
    for pattern in ("%d %B %Y", "%d %b %Y"):
        todo = parsed.isna() & spelled.notna()
        if not todo.any():
            break
        parsed = parsed.fillna(pd.to_datetime(spelled.where(todo), format=pattern, errors="coerce"))
    return parsed


def check_date(checks: RowChecks, values: pd.Series, name: str) -> pd.Series:
    dates = per_unique(values, parse_dates)
    empty = values.str.strip() == ""
    today = pd.Timestamp(dt.date.today())
    checks.add(empty, name, values, "is missing")
    checks.add(
        dates.isna() & ~empty,
        name,
        values,
        "is not a date (expected 2023-11-13, 2023-11-13T00:00:00Z or 13 November 2023)",
    )
    checks.add(dates > today, name, values, f"is in the future (after {today.date()})")
    checks.add(
        dates < EARLIEST_EVENT_DATE,
        name,
        values,
        f"is before {EARLIEST_EVENT_DATE.date()}",
    )
    return dates


def to_float(text: pd.Series) -> pd.Series:
    """Numbers from text, NaN where there is none; pyarrow's cast when every cell is a
    number (5x faster), pandas otherwise."""
    try:
        numbers = pyarrow.compute.cast(pyarrow.array(text), pyarrow.float64())
    except (pyarrow.ArrowInvalid, pyarrow.ArrowNotImplementedError, TypeError):
        return pd.to_numeric(text, errors="coerce").astype("float64")
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def check_number(checks: RowChecks, values: pd.Series, name: str, skip: np.ndarray | None = None) -> pd.Series:
    """Numeric value; empty cells in rows not in ``skip`` are reported missing."""
    stripped = values.str.strip()
    numbers = to_float(stripped)
    empty = stripped == ""
    checks.add(empty if skip is None else empty & ~skip, name, values, "is missing")
    checks.add(numbers.isna() & ~empty, name, values, "is not a number")
    return numbers


def check_coordinates(
    checks: RowChecks, frame: pd.DataFrame, names: Mapping[str, str], skip: np.ndarray
) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude, range-checked; rows in ``skip`` were reported already."""
    lat = check_number(checks, frame["latitude"], names["latitude"], skip)
    lon = check_number(checks, frame["longitude"], names["longitude"], skip)
    # Said first, as the likelier cause of an out-of-range value near Myanmar or in metres.
    west, south, east, north = SWAP_REGION
    swapped = (lat >= west) & (lat <= east) & (lon >= south) & (lon <= north)
    checks.add(swapped, names["latitude"], frame["latitude"], "is outside -90..90: latitude and longitude look swapped")
    metres = (lat.abs() > METRES_FROM) | (lon.abs() > METRES_FROM)
    for name in ("latitude", "longitude"):
        reason = "looks like projected metres, not degrees: coordinates must be WGS 84 longitude/latitude"
        checks.add(metres & ~swapped, names[name], frame[name], reason)
    checks.add(
        (lat < -90) | (lat > 90) | np.isinf(lat),
        names["latitude"],
        frame["latitude"],
        "is outside -90..90",
    )
    checks.add(
        (lon < -180) | (lon > 180) | np.isinf(lon),
        names["longitude"],
        frame["longitude"],
        "is outside -180..180",
    )
    checks.add(
        (lat == 0) & (lon == 0),
        f"{names['latitude']},{names['longitude']}",
        frame["latitude"] + "," + frame["longitude"],
        "is the (0, 0) placeholder, not a real location",
    )
    return lat, lon


def check_whole(
    checks: RowChecks,
    values: pd.Series,
    name: str,
    *,
    default: str | None,
) -> pd.Series:
    """Whole number; empty cells take ``default`` or are rejected when it is None."""
    filled = values if default is None else values.where(values.str.strip() != "", default)
    numbers = check_number(checks, filled, name)
    checks.add(
        numbers.notna() & (np.isinf(numbers) | (numbers != np.floor(numbers))),
        name,
        values,
        "is not a whole number",
    )
    # beyond 2**53 floats cannot tell whole numbers apart, nor fit an int64 safely
    checks.add(np.abs(numbers) >= 2**53, name, values, "is too large")
    return numbers
