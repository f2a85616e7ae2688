"""What an export shows, shared by every format and by the page and the command line.

:class:`SnapshotRequest` validates the layers, dates and extent once; the static
renderer (:mod:`layers.snapshot`) and the offline HTML (:mod:`layers.export_html`)
both label the map from it, so a download and a CLI export of one view agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from geo.enrich import enrich_events
from geo.filters import EventFilter
from geo.fronts import fronts_as_of
from geo.limits import MAX_TITLE_CHARS, printable
from layers import layer_by_id, registry
from layers.base import MapData
from layers.mapview import DEFAULT_BOUNDS

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.boundaries import Boundaries

BBox = tuple[float, float, float, float]

DEFAULT_TITLE = "Myanmar border conflict map"
STATIC_FORMATS = ("png", "svg", "pdf")
EXPORT_FORMATS = (*STATIC_FORMATS, "html")


def check_bbox(bbox: Sequence[float]) -> BBox:
    """``bbox`` as (west, south, east, north) after range checks; ValueError says what is wrong."""
    if len(bbox) != 4:
        raise ValueError(f"bbox needs 4 numbers W,S,E,N; got {len(bbox)}")
    west, south, east, north = (float(v) for v in bbox)
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError("bbox values must be finite numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise ValueError(f"bbox longitudes must be within -180..180; got W={west:g}, E={east:g}")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise ValueError(f"bbox latitudes must be within -90..90; got S={south:g}, N={north:g}")
    if west >= east:
        raise ValueError(f"bbox west ({west:g}) must be less than east ({east:g})")
    if south >= north:
        raise ValueError(f"bbox south ({south:g}) must be less than north ({north:g})")
    return west, south, east, north


def check_layer_ids(layer_ids: Iterable[str]) -> tuple[str, ...]:
    """Registered ids in drawing order (duplicates dropped); ValueError lists the known ids."""
    wanted = list(dict.fromkeys(layer_ids))
    for layer_id in wanted:
        try:
            layer_by_id(layer_id)
        except KeyError as error:
            raise ValueError(error.args[0]) from None
    return tuple(layer.id for layer in registry() if layer.id in wanted)


def default_layer_ids() -> tuple[str, ...]:
    return tuple(layer.id for layer in registry() if layer.default_visible)


def _period(start: date | None, end: date | None, events: gpd.GeoDataFrame | None) -> tuple[date, date] | None:
    """The range to print: what was asked, open ends closed by the shown events (or today)."""
    if events is not None and not events.empty:
        start = start or events["event_date"].min().date()
        end = end or events["event_date"].max().date()
    if start is not None and end is None:
        end = date.today()
    if start is None or end is None or end < start:
        return None
    return start, end


@dataclass(frozen=True)
class SnapshotRequest:
    """What to export, validated once for the page and the CLI."""

    layer_ids: tuple[str, ...] = field(default_factory=default_layer_ids)
    start: date | None = None
    end: date | None = None
    as_of: date | None = None
    bbox: BBox = DEFAULT_BOUNDS
    title: str = DEFAULT_TITLE

    def __post_init__(self) -> None:
        object.__setattr__(self, "layer_ids", check_layer_ids(self.layer_ids))
        object.__setattr__(self, "bbox", check_bbox(self.bbox))
        if len(self.title) > MAX_TITLE_CHARS:
            raise ValueError(f"title is {len(self.title):,} characters long, more than the {MAX_TITLE_CHARS} allowed")
        object.__setattr__(self, "title", printable(self.title))  # one line, valid in SVG and PDF
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end date {self.end} is before start date {self.start}")

    def map_data(
        self,
        boundaries: Boundaries,
        events: gpd.GeoDataFrame | None = None,
        fronts: gpd.GeoDataFrame | None = None,
        events_credit: str | None = None,
    ) -> MapData:
        """MapData with events cut to the dates asked for and fronts to those valid on ``as_of``.

        Events not yet placed (no ``state`` column) are enriched as the page does, since
        layers such as the state choropleth count by state. ``events_credit`` names where
        the events come from (:func:`geo.dataset.events_credit`).
        """
        if events is not None:
            events = EventFilter(self.start, self.end).apply(events)
            if "state" not in events.columns:
                events = enrich_events(events, boundaries.states, boundaries.china_border, boundaries.crossings)
        if fronts is not None and self.as_of is not None:
            fronts = fronts_as_of(fronts, self.as_of)
        period = _period(self.start, self.end, events)
        return MapData(boundaries, events, fronts, period, self.as_of, events_credit=events_credit)


def as_utc(made_at: datetime | None) -> datetime:
    """``made_at`` in UTC (naive taken as UTC), or now."""
    if made_at is None:
        return datetime.now(UTC)
    return made_at.replace(tzinfo=UTC) if made_at.tzinfo is None else made_at.astimezone(UTC)


def made_at_text(made_at: datetime) -> str:
    return made_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def period_text(data: MapData) -> str:
    """'Period 2023-10-27 to 2024-01-31 · as of 2024-01-15' (parts present only when set)."""
    parts = []
    if data.period is not None:
        parts.append(f"Period {data.period[0].isoformat()} to {data.period[1].isoformat()}")
    if data.as_of is not None:
        parts.append(f"as of {data.as_of.isoformat()}")
    return " · ".join(parts)


def source_lines(data: MapData, layer_ids: Iterable[str]) -> list[str]:
    """Each visible layer's credits in drawing order, each named once (every export prints them)."""
    ids = set(layer_ids)
    credits = dict.fromkeys(
        credit for layer in registry() if layer.id in ids for credit in layer.credits(data) if credit
    )
    return list(credits)
