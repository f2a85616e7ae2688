"""Control records derived from territory-change events (ACLED), on the sample or a user's whole export.

Every event whose ``sub_event_type`` is "Non-state actor overtakes territory" or
"Government regains territory" becomes a record that its ``actor1`` holds the nearest
gazetteer town from the event's date, if that town is within ``max_km`` (default 5 km).
Events are reported, not used, when ``geo_precision`` is 3 (ACLED then gives a
district or regional capital's coordinates, which would stand in for the real place),
when no town is that close, or when ``actor1`` is not an armed actor (ACLED's actor types
rioters, protesters and civilians, by ``inter1`` or, without it, by ACLED's names for
them, "Civilians (Myanmar)"): such a party holds no territory.

Confidence: ``assessed``. ACLED's researchers code an event only after reviewing the
reports behind it, and the territory sub-event types record that a change happened,
not merely that a party announced it; a user who disagrees may record a correction.
UCDP GED has no equivalent: its events record fatal violence (type_of_violence 1-3)
and carry no field for a change of territorial control, so nothing is derived from
UCDP files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.control import ControlRecord, Source
from geo.enrich import METRIC_CRS, WGS84
from geo.fronts import TERRITORY_CHANGES

DEFAULT_MAX_KM = 5.0
IMPRECISE_GEO_PRECISION = 3
DERIVED_EDITOR = "derived from events"


UNARMED_TYPES = ("Rioters", "Protesters", "Civilians")
"""ACLED actor types (inter1, in words: geo.acled.ACTOR_TYPES) that hold no territory."""


def _unarmed(changes: pd.DataFrame) -> np.ndarray:
    """Rows whose actor1 is unarmed: by inter1 where the file has it, else by ACLED's actor names."""
    kind = changes["inter1"].fillna("") if "inter1" in changes.columns else pd.Series("", index=changes.index)
    named = changes["actor1"].fillna("").str.startswith(tuple(f"{name} (" for name in UNARMED_TYPES))
    return (kind.isin(UNARMED_TYPES) | ((kind == "") & named)).to_numpy()


@dataclass(frozen=True)
class Derivation:
    """Records derived, and one line per territory-change event that was not used, saying why."""

    records: list[ControlRecord]
    skipped: list[str]


def derive_records(
    events: pd.DataFrame, towns: pd.DataFrame, max_km: float = DEFAULT_MAX_KM, confidence: str = "assessed"
) -> Derivation:
    """Records of the nearest town for every usable territory-change event (see module doc)."""
    changes = events[events["sub_event_type"].isin(TERRITORY_CHANGES)]
    if changes.empty:
        return Derivation([], [])
    precision = pd.to_numeric(changes["geo_precision"], errors="coerce")
    skipped = [
        f"event {row.event_id_cnty} ({row.location}): geo_precision 3 places it at a district or regional "
        "capital, not the place taken; not used"
        for row in changes[precision >= IMPRECISE_GEO_PRECISION].itertuples()
    ]
    changes = changes[~(precision >= IMPRECISE_GEO_PRECISION)]
    unarmed = _unarmed(changes)
    skipped += [
        f"event {row.event_id_cnty} ({row.location}): {row.actor1} is not an armed actor and holds no territory; "
        "not used"
        for row in changes[unarmed].itertuples()
    ]
    changes = changes[~unarmed]
    if changes.empty or towns.empty:
        return Derivation([], skipped)
    town_points = gpd.GeoSeries(gpd.points_from_xy(towns["longitude"], towns["latitude"]), crs=WGS84).to_crs(METRIC_CRS)
    event_points = gpd.GeoSeries(gpd.points_from_xy(changes["longitude"], changes["latitude"]), crs=WGS84).to_crs(
        METRIC_CRS
    )
    town_index, distance = _nearest(event_points, town_points)
    recorded_at = datetime.now(UTC)
    records = []
    for row, nearest, metres in zip(changes.itertuples(), town_index, distance, strict=True):
        if metres > max_km * 1000:
            skipped.append(
                f"event {row.event_id_cnty} ({row.location}): nearest town {towns['name_en'].iloc[nearest]} is "
                f"{metres / 1000:.1f} km away, more than {max_km:g} km; not used"
            )
            continue
        town = towns.iloc[nearest]
        event_day = pd.Timestamp(row.event_date).date()
        url = str(getattr(row, "source_url", "") or "")
        records.append(
            ControlRecord(
                record_id=f"event:{row.event_id_cnty}",
                place_kind="town",
                place_pcode=str(town["town_pcode"]),
                place_name=str(town["name_en"]),
                controller=str(row.actor1),
                status="held",
                confidence=confidence,  # type: ignore[arg-type]
                valid_from=event_day,
                sources=(
                    Source(
                        str(row.source or "event file"),
                        url if url.startswith(("http://", "https://")) else "",
                        event_day,
                    ),
                ),
                note=f"derived from event {row.event_id_cnty}: {row.sub_event_type} at {row.location} "
                f"({metres / 1000:.1f} km from {town['name_en']})",
                editor=DERIVED_EDITOR,
                recorded_at=recorded_at,
            )
        )
    return Derivation(records, skipped)


def _nearest(points: gpd.GeoSeries, targets: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest target to each point and the distance in metres."""
    pairs, distance = targets.sindex.nearest(points.to_numpy(), return_distance=True, return_all=False)
    order = np.argsort(pairs[0])
    return pairs[1][order], distance[order]
