"""Statistics beside the map and the aggregates behind the zone and state layers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.enrich import METRIC_CRS, WGS84

BORDER_ZONE_KM = (10, 25, 50)
NEAR_BORDER_KM = 50
OUTSIDE = "(outside Myanmar)"


@dataclass(frozen=True)
class Summary:
    events: int
    fatalities: int
    states_affected: int
    near_china_border: int


def summarise(events: pd.DataFrame, near_km: float = NEAR_BORDER_KM) -> Summary:
    """Headline figures for enriched events (``state``, ``km_to_china_border``)."""
    return Summary(
        events=len(events),
        fatalities=int(events["fatalities"].sum()),
        states_affected=int(events["state"].replace("", pd.NA).dropna().nunique()),
        near_china_border=int((events["km_to_china_border"] <= near_km).sum()),
    )


def weekly_timeline(events: pd.DataFrame) -> pd.DataFrame:
    """Events per week (starting Monday) and event type; weeks without events are zero."""
    if events.empty:
        return pd.DataFrame()
    days = events["event_date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    weeks = (days + 3) // 7  # 1970-01-01 was a Thursday: week 0 starts on Monday 1969-12-29
    weeks -= weeks.min()
    types, names = pd.factorize(events["event_type"], sort=True)
    table = np.bincount(weeks * len(names) + types, minlength=(weeks.max() + 1) * len(names))
    first = events["event_date"].min().normalize()
    first_monday = first - pd.Timedelta(days=first.day_of_week)
    index = pd.date_range(first_monday, periods=weeks.max() + 1, freq="W-MON", name="week")
    columns = pd.Index(np.asarray(names, dtype=object), name="event_type")
    return pd.DataFrame(table.reshape(-1, len(names)), index=index, columns=columns)


def per_state(events: pd.DataFrame, state_names: Sequence[str] = ()) -> pd.DataFrame:
    """Events and fatalities per state, listing ``state_names`` even with no events."""
    placed = events["state"].replace("", OUTSIDE).fillna(OUTSIDE)
    codes, names = pd.factorize(placed)
    table = pd.DataFrame(
        {
            "events": np.bincount(codes, minlength=len(names)),
            "fatalities": np.bincount(codes, weights=events["fatalities"], minlength=len(names)).astype(np.int64),
        },
        index=pd.Index(np.asarray(names, dtype=object), name="state"),
    )
    return with_every_state(table, state_names)


def with_every_state(table: pd.DataFrame, state_names: Sequence[str]) -> pd.DataFrame:
    """A per-state table listing ``state_names`` too (with zeros), busiest first, ties by name."""
    table = table.reindex(sorted(set(table.index) | set(state_names)), fill_value=0)
    return table.sort_values(["events", "fatalities"], ascending=False, kind="stable")


def border_zones(
    border: shapely.Geometry, inside: gpd.GeoDataFrame, distances_km: Sequence[float] = BORDER_ZONE_KM
) -> gpd.GeoDataFrame:
    """Bands within each distance of ``border`` on the ``inside`` (Myanmar) side, nearest first."""
    ordered = sorted(distances_km)
    area = gpd.GeoSeries([shapely.union_all(inside.to_crs(METRIC_CRS).geometry.values)], crs=METRIC_CRS).iloc[0]
    line = gpd.GeoSeries([border], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
    bands, inner = [], None
    for km in ordered:
        buffer = line.buffer(km * 1000, quad_segs=8).intersection(area)
        bands.append(buffer if inner is None else buffer.difference(inner))
        inner = buffer
    zones = gpd.GeoDataFrame(
        {"distance_km": ordered, "name": [f"within {km:g} km of the China border" for km in ordered]},
        geometry=bands,
        crs=METRIC_CRS,
    )
    return zones.to_crs(WGS84)
