"""The data behind a view: the shipped sample or a user's file, enriched once on import."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd

from geo.boundaries import DATA_DIR, Boundaries
from geo.enrich import enrich_events
from geo.events import ImportResult, read_events
from geo.fronts import derive_control_areas, read_fronts_geojson

SAMPLE_EVENTS = DATA_DIR / "sample_events.csv"
SAMPLE_FRONTS = DATA_DIR / "fronts.geojson"


def import_events(path: Path | str, boundaries: Boundaries, fmt: str | None = None) -> ImportResult:
    """Read, validate and enrich an event file (state, China-border distance, crossing)."""
    result = read_events(path, fmt)
    enriched = enrich_events(result.events, boundaries.states, boundaries.china_border, boundaries.crossings)
    return replace(result, events=enriched)


def sample_fronts() -> gpd.GeoDataFrame:
    """The shipped fronts (derived from the sample events by geo/data/build_fronts.py)."""
    return read_fronts_geojson(SAMPLE_FRONTS).fronts


def fronts_for(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reported-control areas derived from a user's events."""
    return derive_control_areas(events)
