"""SYNTHETIC benchmark events: ACLED-format CSV files over Myanmar, for timing only.

Nothing here is a real event. Points fall inside the shipped state polygons, weighted
towards the states where most fighting is reported; event types, actors, dates and
fatalities follow plausible shares so the filters, string tables and marker sizes
see realistic cardinalities. Every row says it is synthetic in ``source`` and
``notes``, ids start with ``SYN``, and file names start with ``SYNTHETIC_``.
A few rows per thousand are deliberately invalid so the rejected-row path is timed too.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.events import EVENT_COLUMNS, EVENT_TYPES

SOURCE = "SYNTHETIC benchmark data"
FIRST_DAY = np.datetime64("2021-02-01")
DAYS = 4 * 365

STATE_WEIGHTS: dict[str, float] = {
    "Sagaing": 24,
    "Shan": 18,
    "Magway": 10,
    "Mandalay": 8,
    "Rakhine": 8,
    "Kayin": 6,
    "Chin": 5,
    "Kachin": 5,
    "Bago": 4,
    "Tanintharyi": 3,
    "Kayah": 3,
    "Mon": 2,
    "Ayeyarwady": 1.5,
    "Yangon": 2,
    "Nay Pyi Taw": 0.5,
}
TYPE_WEIGHTS = (0.38, 0.22, 0.18, 0.12, 0.08, 0.02)  # in EVENT_TYPES order
SUB_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Non-state actor overtakes territory", "Government regains territory"),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance"),
    "Strategic developments": (
        "Looting/property destruction",
        "Arrests",
        "Agreement",
        "Headquarters or base established",
    ),
    "Protests": ("Peaceful protest", "Protest with intervention"),
    "Riots": ("Violent demonstration", "Mob violence"),
}
ACTORS = (
    "Military Forces of Myanmar (2021-)",
    "PDF: People's Defense Force",
    "MNDAA: Myanmar National Democratic Alliance Army",
    "TNLA: Ta'ang National Liberation Army",
    "AA: Arakan Army",
    "KIA: Kachin Independence Army",
    "KNLA: Karen National Liberation Army",
    "CNF: Chin National Front",
    "KNDF: Karenni Nationalities Defense Force",
    "Pyu Saw Htee",
    "Civilians (Myanmar)",
    "Protesters (Myanmar)",
    "Unidentified Armed Group (Myanmar)",
)
ACTOR_WEIGHTS = np.array([30, 20, 4, 4, 6, 5, 5, 3, 3, 2, 10, 5, 3], dtype=float)
PLACES_PER_STATE = 400
TERRITORY_CHANGE_SHARE = 0.015
"""Share of battles drawn from all Battles sub-types (2 of 3 change territory); the rest are clashes."""


def _points_in(polygon: shapely.Geometry, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` uniform points inside ``polygon`` (rejection sampling from its bbox)."""
    shapely.prepare(polygon)
    west, south, east, north = polygon.bounds
    found: list[np.ndarray] = []
    needed = count
    while needed > 0:
        draw = max(2 * needed, 64)
        xy = np.column_stack((rng.uniform(west, east, draw), rng.uniform(south, north, draw)))
        inside = xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])][:needed]
        found.append(inside)
        needed -= len(inside)
    return np.concatenate(found)


def synthetic_events(count: int, states: gpd.GeoDataFrame, seed: int = 1027) -> pd.DataFrame:
    """``count`` SYNTHETIC events in the ACLED schema, all cells as text."""
    rng = np.random.default_rng(seed)
    names = [name for name in STATE_WEIGHTS if name in set(states["name"])]
    weights = np.array([STATE_WEIGHTS[name] for name in names])
    state_idx = rng.choice(len(names), size=count, p=weights / weights.sum())
    xy = np.empty((count, 2))
    place_idx = rng.integers(0, PLACES_PER_STATE, count)
    for i, name in enumerate(names):
        rows = np.flatnonzero(state_idx == i)
        if len(rows):
            polygon = states.loc[states["name"] == name].geometry.iloc[0]
            # events cluster at a fixed set of places per state, as real reports do
            places = _points_in(polygon, PLACES_PER_STATE, rng)
            jitter = rng.normal(0, 0.02, (len(rows), 2))
            xy[rows] = places[place_idx[rows]] + jitter
    type_idx = rng.choice(len(EVENT_TYPES), size=count, p=TYPE_WEIGHTS)
    event_types = np.asarray(EVENT_TYPES, dtype=object)[type_idx]
    sub_types = np.array(
        [SUB_TYPES[t][k % len(SUB_TYPES[t])] for t, k in zip(event_types, rng.integers(0, 12, count), strict=True)],
        dtype=object,
    )
    # changes of territorial control are rare: about 1 battle in 100, as in ACLED's Myanmar data
    battles = type_idx == 0
    changes = rng.random(int(battles.sum())) < TERRITORY_CHANGE_SHARE
    sub_types[battles] = np.where(changes, sub_types[battles], "Armed clash")
    actor_p = ACTOR_WEIGHTS / ACTOR_WEIGHTS.sum()
    actors = np.asarray(ACTORS, dtype=object)
    fatal_types = np.isin(type_idx, [0, 1, 2])
    fatalities = np.where(fatal_types & (rng.random(count) < 0.35), rng.geometric(0.15, count), 0)
    dates = FIRST_DAY + rng.integers(0, DAYS, count).astype("timedelta64[D]")
    state_names = np.asarray(names, dtype=object)[state_idx]
    ids = pd.Series(np.arange(1, count + 1)).astype(str).str.zfill(7)
    frame = pd.DataFrame(
        {
            "event_id_cnty": ("SYN" + ids).to_numpy(),
            "event_date": pd.Series(dates).dt.strftime("%Y-%m-%d").to_numpy(),
            "event_type": event_types,
            "sub_event_type": sub_types,
            "actor1": actors[rng.choice(len(ACTORS), size=count, p=actor_p)],
            "actor2": np.where(rng.random(count) < 0.7, actors[rng.choice(len(ACTORS), size=count, p=actor_p)], ""),
            "admin1": state_names,
            "admin2": "",
            "admin3": "",
            "location": pd.Series(state_names).str.cat(pd.Series(place_idx).astype(str), sep=" place ").to_numpy(),
            "latitude": np.round(xy[:, 1], 5).astype(str),
            "longitude": np.round(xy[:, 0], 5).astype(str),
            "geo_precision": rng.choice(["1", "2", "3"], size=count, p=[0.6, 0.3, 0.1]),
            "fatalities": fatalities.astype(str),
            "source": SOURCE,
            "notes": "SYNTHETIC benchmark event " + ids + ": not a real report; generated by bench/synthetic.py.",
            "source_url": "",
        },
        columns=list(EVENT_COLUMNS),
    )
    bad = rng.random(count) < 0.002  # a few invalid rows, reported by the importer
    frame.loc[bad, "fatalities"] = "unknown"
    return frame


def write_synthetic_csv(count: int, states: gpd.GeoDataFrame, out_dir: Path, seed: int = 1027) -> Path:
    """The CSV for ``count`` events, written once per size and seed and reused."""
    path = out_dir / f"SYNTHETIC_events_{count}_seed{seed}.csv"
    if not path.exists():
        out_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        synthetic_events(count, states, seed).to_csv(partial, index=False)
        partial.replace(path)
    return path
