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


SET_FIELDS = ("event_types", "actors", "states", "sub_event_types", "interactions", "admin1_raw")
URL_KEYS = {
    "event_types": "type",
    "actors": "actor",
    "states": "state",
    "sub_event_types": "subtype",
    "interactions": "interaction",
    "admin1_raw": "admin1",
}
"""Filter field -> URL query key (repeated once per value)."""


@dataclass(frozen=True)
class EventFilter:
    """What the user asked to see. ``None`` for a set means "no restriction".

    ``actors`` match either side of an event (``actor1`` or ``actor2``); ``states``
    match the state from the spatial join (column ``state``), falling back to
    ``admin1`` for events not yet enriched. ``admin1_raw`` matches the state as the
    file wrote it, so ACLED's Shan-North/South/East can be told apart although the
    map has one Shan. ``interactions`` match ACLED's interaction in words
    (:mod:`geo.acled`). ``actor_text`` keeps events whose actor1 or actor2 contains
    it, ignoring case: one search, not a pick of every name it resembles.
    """

    start: date | None = None
    end: date | None = None
    event_types: frozenset[str] | None = field(default=None)
    actors: frozenset[str] | None = field(default=None)
    states: frozenset[str] | None = field(default=None)
    min_fatalities: int = 0
    sub_event_types: frozenset[str] | None = field(default=None)
    interactions: frozenset[str] | None = field(default=None)
    admin1_raw: frozenset[str] | None = field(default=None)
    actor_text: str = ""

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end date {self.end} is before start date {self.start}")
        if self.min_fatalities < 0:
            raise ValueError(f"minimum fatalities must be 0 or more, not {self.min_fatalities}")
        for name in SET_FIELDS:
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "actor_text", self.actor_text.strip())

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
        for values, column in (
            (self.sub_event_types, "sub_event_type"),
            (self.interactions, "interaction"),
            (self.admin1_raw, "admin1_raw"),
        ):
            if values is not None:
                keep &= column in events.columns and events[column].isin(values).to_numpy()
        if self.actor_text:
            either = events["actor1"].str.contains(self.actor_text, case=False, regex=False, na=False)
            either |= events["actor2"].str.contains(self.actor_text, case=False, regex=False, na=False)
            keep &= either.to_numpy()
        return keep

    def apply(self, events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """The rows that pass; ``events`` itself when all do (no copy of a million rows for nothing)."""
        keep = self.mask(events)
        return events if keep.all() else events[keep]


def to_query(event_filter: EventFilter) -> dict[str, list[str]]:
    """The filter as URL query parameters (lists: repeated keys), defaults left out."""
    query: dict[str, list[str]] = {}
    if event_filter.start:
        query["start"] = [event_filter.start.isoformat()]
    if event_filter.end:
        query["end"] = [event_filter.end.isoformat()]
    for name, key in URL_KEYS.items():
        values = getattr(event_filter, name)
        if values is not None:
            query[key] = sorted(values)
    if event_filter.min_fatalities:
        query["min_fatalities"] = [str(event_filter.min_fatalities)]
    if event_filter.actor_text:
        query["actor_q"] = [event_filter.actor_text]
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
    lists = {key: urlparams.parse_texts(key, query.get(key, [])) for key in URL_KEYS.values()}
    actor_text, problem_text = urlparams.single("actor_q", query.get("actor_q", []))
    found += [p for p in (problem_start, problem_end, problem_minimum, problem_text) if p]
    found += [p for _, problems in lists.values() for p in problems]
    if notices is not None:
        notices += found
    return EventFilter(
        start=start,
        end=end,
        min_fatalities=minimum or 0,
        actor_text=actor_text or "",
        **{name: lists[key][0] for name, key in URL_KEYS.items()},
    )
