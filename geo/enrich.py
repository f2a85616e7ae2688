"""Geoprocessing that places each event: its state, border distance, nearest crossing.

All functions are pure: they take GeoDataFrames (any CRS, reprojected as needed)
and return new columns aligned with the events' index, so they can be tested on
hand-made geometries.

Distances are measured in UTM zone 47N (EPSG:32647). Its central meridian (99°E)
runs through the China–Myanmar border region (97.3–101.2°E), where the scale
error is below 0.1 %; at Myanmar's western edge (92.2°E) it grows to about 0.7 %,
which is negligible for distances to the eastern border measured from there.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.events import normalise_admin1

METRIC_CRS = "EPSG:32647"
WGS84 = "EPSG:4326"
SNAP_KM = 5.0
"""Points this close to a state but outside every polygon (boats, islands, coast
cut by simplification) are given the nearest state; farther ones stay outside."""


def _metric_points(events: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Event geometries in the metric CRS with a 0..n-1 index."""
    if events.crs is None:
        raise ValueError("events have no CRS; expected EPSG:4326")
    return events.geometry.reset_index(drop=True).to_crs(METRIC_CRS)


def _metric_layer(frame: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise ValueError(f"{what} have no CRS")
    return frame.reset_index(drop=True).to_crs(METRIC_CRS)


def assign_state(
    events: gpd.GeoDataFrame,
    states: gpd.GeoDataFrame,
    *,
    snap_km: float = SNAP_KM,
    metric_points: gpd.GeoSeries | None = None,
) -> pd.DataFrame:
    """Columns ``state`` (from ``states['name']``; NA outside Myanmar) and
    ``admin1_agrees`` (NA where the event has no admin1).

    A point inside a polygon (or on its edge; a shared edge goes to the first
    state listed) gets that state; otherwise the nearest state within
    ``snap_km``, else NA.
    """
    points = gpd.GeoDataFrame(geometry=_metric_points(events) if metric_points is None else metric_points)
    polygons = _metric_layer(states[["name", states.geometry.name]], "states")
    inside = gpd.sjoin(points, polygons, how="left", predicate="intersects")
    inside = inside[~inside.index.duplicated(keep="first")]
    state = inside["name"].astype(object)

    outside = state.isna().to_numpy()
    if outside.any() and snap_km > 0:
        near = gpd.sjoin_nearest(points[outside], polygons, how="left", max_distance=snap_km * 1000)
        near = near[~near.index.duplicated(keep="first")]
        state.loc[near.index] = near["name"].astype(object)

    state = state.where(state.notna(), None).astype("string")
    admin1 = normalise_admin1(events["admin1"].reset_index(drop=True)) if "admin1" in events else None
    agrees = pd.Series(pd.NA, index=state.index, dtype="boolean")
    if admin1 is not None:
        has_admin1 = admin1 != ""
        same = admin1.str.casefold() == normalise_admin1(state.fillna("")).str.casefold()
        agrees = same.astype("boolean").where(has_admin1, pd.NA)
    result = pd.DataFrame({"state": state.to_numpy(), "admin1_agrees": agrees.to_numpy()}, index=events.index)
    result["state"] = result["state"].astype("string")
    result["admin1_agrees"] = result["admin1_agrees"].astype("boolean")
    return result


def _as_geometry(border: BaseGeometry | gpd.GeoSeries | gpd.GeoDataFrame) -> BaseGeometry:
    """One metric-CRS geometry from a shapely geometry (lon/lat) or a layer."""
    if isinstance(border, BaseGeometry):
        return gpd.GeoSeries([border], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
    if border.crs is None:
        raise ValueError("border has no CRS")
    series = border.geometry if isinstance(border, gpd.GeoDataFrame) else border
    return shapely.union_all(series.to_crs(METRIC_CRS).to_numpy())


def distance_to_border_km(
    events: gpd.GeoDataFrame,
    border_line: BaseGeometry | gpd.GeoSeries | gpd.GeoDataFrame,
    *,
    metric_points: gpd.GeoSeries | None = None,
) -> pd.Series:
    """Shortest distance in km from each event to the (Multi)LineString border.

    A bare shapely geometry is taken to be in EPSG:4326 lon/lat. The border is cut
    into its segments and searched with an STRtree: measuring every point against
    the whole line costs a pass over thousands of vertices per event.
    """
    line = _as_geometry(border_line)
    points = (_metric_points(events) if metric_points is None else metric_points).to_numpy()
    coordinates = [np.asarray(part.coords) for part in shapely.get_parts(shapely.line_merge(line))]
    segments = shapely.linestrings(
        np.concatenate([np.stack([xy[:-1], xy[1:]], axis=1) for xy in coordinates if len(xy) > 1])
    )
    _, metres = shapely.STRtree(segments).query_nearest(points, return_distance=True, all_matches=False)
    km = metres / 1000.0
    return pd.Series(np.asarray(km, dtype="float64"), index=events.index, name="km_to_border")


def nearest_crossing(
    events: gpd.GeoDataFrame, crossings: gpd.GeoDataFrame, *, metric_points: gpd.GeoSeries | None = None
) -> pd.DataFrame:
    """Columns ``nearest_crossing`` (its ``name``) and ``km_to_nearest_crossing``."""
    points = gpd.GeoDataFrame(geometry=_metric_points(events) if metric_points is None else metric_points)
    targets = _metric_layer(crossings[["name", crossings.geometry.name]], "crossings")
    names = pd.Series(pd.NA, index=points.index, dtype="string")
    km = pd.Series(np.nan, index=points.index, dtype="float64")
    if len(points) and len(targets):
        joined = gpd.sjoin_nearest(points, targets, how="left", distance_col="_metres")
        joined = joined[~joined.index.duplicated(keep="first")]
        names = joined["name"].astype("string")
        km = joined["_metres"].astype("float64") / 1000.0
    return pd.DataFrame(
        {"nearest_crossing": names.to_numpy(), "km_to_nearest_crossing": km.to_numpy()},
        index=events.index,
    ).astype({"nearest_crossing": "string"})


def enrich_events(
    events: gpd.GeoDataFrame,
    states: gpd.GeoDataFrame,
    china_border: BaseGeometry | gpd.GeoSeries | gpd.GeoDataFrame,
    crossings: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """Copy of ``events`` with state, admin1 agreement, China-border and crossing columns."""
    enriched = events.copy()
    metric = _metric_points(events)  # reprojected once for the three measures
    placed = assign_state(events, states, metric_points=metric)
    enriched["state"] = placed["state"]
    enriched["admin1_agrees"] = placed["admin1_agrees"]
    enriched["km_to_china_border"] = distance_to_border_km(events, china_border, metric_points=metric)
    crossing = nearest_crossing(events, crossings, metric_points=metric)
    enriched["nearest_crossing"] = crossing["nearest_crossing"]
    enriched["km_to_nearest_crossing"] = crossing["km_to_nearest_crossing"]
    return enriched
