"""Vectorised event filtering shared by the page, the exports and the benchmark."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import urlparams

MAX_MIN_FATALITIES = 2**53 - 1
"""The largest whole number a browser holds exactly (the number widget's limit)."""


def _frozen(values: Iterable[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


@dataclass(frozen=True)
class EventFilter:
    """What the user asked to see. ``None`` for a set means "no restriction".

    ``actors`` match either side of an event (``actor1`` or ``actor2``); ``states``
    match the state from the spatial join (column ``state``), falling back to
    ``admin1`` for events not yet enriched.
    """

    start: date | None = None
    end: date | None = None
    event_types: frozenset[str] | None = field(default=None)
    actors: frozenset[str] | None = field(default=None)
    states: frozenset[str] | None = field(default=None)
    min_fatalities: int = 0

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end date {self.end} is before start date {self.start}")
        if self.min_fatalities < 0:
            raise ValueError(f"minimum fatalities must be 0 or more, not {self.min_fatalities}")
        for name in ("event_types", "actors", "states"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def mask(self, events: pd.DataFrame) -> np.ndarray:
        """Boolean array: which rows pass."""
        keep = np.ones(len(events), dtype=bool)
        dates = events["event_date"]
        if self.start is not None:
            keep &= (dates >= pd.Timestamp(self.start)).to_numpy()
        if self.end is not None:
            keep &= (dates <= pd.Timestamp(self.end)).to_numpy()
        if self.event_types is not None:
            keep &= events["event_type"].isin(self.event_types).to_numpy()
        if self.actors is not None:
            keep &= (events["actor1"].isin(self.actors) | events["actor2"].isin(self.actors)).to_numpy()
        if self.states is not None:
            column = "state" if "state" in events.columns else "admin1"
            keep &= events[column].isin(self.states).to_numpy()
        if self.min_fatalities > 0:
            keep &= (events["fatalities"] >= self.min_fatalities).to_numpy()
        return keep

    def apply(self, events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return events[self.mask(events)]


def to_query(event_filter: EventFilter) -> dict[str, list[str]]:
    """The filter as URL query parameters (lists: repeated keys), defaults left out."""
    query: dict[str, list[str]] = {}
    if event_filter.start:
        query["start"] = [event_filter.start.isoformat()]
    if event_filter.end:
        query["end"] = [event_filter.end.isoformat()]
    for key, values in (
        ("type", event_filter.event_types),
        ("actor", event_filter.actors),
        ("state", event_filter.states),
    ):
        if values is not None:
            query[key] = sorted(values)
    if event_filter.min_fatalities:
        query["min_fatalities"] = [str(event_filter.min_fatalities)]
    return query


def from_query(query: dict[str, list[str]], notices: list[str] | None = None) -> EventFilter:
    """A filter from URL query parameters; values that do not parse are left out, each with a
    notice appended to ``notices`` when given."""
    found: list[str] = []
    start, problem_start = urlparams.parse_date("start", query.get("start", []))
    end, problem_end = urlparams.parse_date("end", query.get("end", []))
    if start and end and end < start:
        found.append(urlparams.notice("end", end.isoformat(), f"before start {start.isoformat()}; both left out"))
        start, end = None, None
    minimum, problem_minimum = urlparams.parse_whole(
        "min_fatalities", query.get("min_fatalities", []), 0, MAX_MIN_FATALITIES
    )
    lists = {key: urlparams.parse_texts(key, query.get(key, [])) for key in ("type", "actor", "state")}
    found += [p for p in (problem_start, problem_end, problem_minimum) if p]
    found += [p for _, problems in lists.values() for p in problems]
    if notices is not None:
        notices += found
    return EventFilter(
        start=start,
        end=end,
        event_types=lists["type"][0],
        actors=lists["actor"][0],
        states=lists["state"][0],
        min_fatalities=minimum or 0,
    )
