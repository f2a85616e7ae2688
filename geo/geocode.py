"""Gazetteer help for imported events: admin2/admin3 from the position, positions from a named place.

Two jobs, both on the MIMU gazetteer (:mod:`geo.gazetteer`):

* :func:`fill_admin_from_position` fills empty ``admin2`` (district) and ``admin3`` (township) of any import
  from the township its point lies in, and marks the rows it filled (``admin_from_position``).
* :func:`place_rows_without_coordinates` gives a position to rows of a plain CSV that have no coordinates but
  name a town (``location`` or ``town``) or a township (``admin3`` or ``township``): the town's point at
  geo_precision 2, else the township's centre at precision 3, with the placement spelled out in
  ``geo_placement`` for popups. A name that matches nothing, or several places equally well, rejects the row
  with its line, field and reason: positions are never guessed silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from geo.gazetteer import PlaceMatch, find_places, load_towns, load_townships, township_at
from geo.rowchecks import RowChecks

PLACE_ALIASES: dict[str, tuple[str, ...]] = {"location": ("location", "town"), "admin3": ("admin3", "township")}
"""Schema column -> accepted column names for a named place, preferred first."""

TOWN_PRECISION = 2
TOWNSHIP_PRECISION = 3
CANDIDATES = 50  # how many search hits are narrowed down by township and state
TIE_MARGIN = 3.0  # hits within this many points of the best one are equally good: the name is ambiguous


@dataclass(frozen=True)
class Placement:
    """Where a row without coordinates was put, or why it could not be."""

    latitude: float | None = None
    longitude: float | None = None
    precision: int | None = None
    admin2: str = ""
    admin3: str = ""
    note: str = ""
    field: str = ""
    problem: str = ""


def place_sources(columns: pd.Index | list[str]) -> dict[str, str]:
    """Schema column -> the file's column that names a place (town or township), for the columns present."""
    present = set(columns)
    found = {}
    for column, options in PLACE_ALIASES.items():
        name = next((option for option in options if option in present), None)
        if name is not None:
            found[column] = name
    return found


def fill_admin_from_position(events: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``events`` with empty admin2/admin3 taken from the township at each (distinct) point."""
    filled = events.copy(deep=False)
    admin2 = events["admin2"].fillna("").astype(str).str.strip()
    admin3 = events["admin3"].fillna("").astype(str).str.strip()
    missing = ((admin2 == "") | (admin3 == "")).to_numpy()
    before_geometry = list(filled.columns).index("geometry") if "geometry" in filled.columns else len(filled.columns)
    filled.insert(before_geometry, "admin_from_position", False)
    if not missing.any():
        return filled
    lon = events["longitude"].to_numpy(dtype=float)[missing]
    lat = events["latitude"].to_numpy(dtype=float)[missing]
    where, distinct = pd.factorize(lon + 1j * lat, use_na_sentinel=False)
    found = township_at(distinct.real, distinct.imag)  # one row per distinct point
    district = found["district_en"].to_numpy(dtype=object)[where]
    township = found["township_en"].to_numpy(dtype=object)[where]
    new_admin2 = admin2.to_numpy(dtype=object).copy()
    new_admin3 = admin3.to_numpy(dtype=object).copy()
    rows = np.flatnonzero(missing)
    new_admin2[rows] = np.where(new_admin2[rows] == "", district, new_admin2[rows])
    new_admin3[rows] = np.where(new_admin3[rows] == "", township, new_admin3[rows])
    filled["admin2"] = pd.array(new_admin2, dtype=events["admin2"].dtype)
    filled["admin3"] = pd.array(new_admin3, dtype=events["admin3"].dtype)
    changed = np.zeros(len(events), dtype=bool)
    changed[rows] = (new_admin2[rows] != admin2.to_numpy(dtype=object)[rows]) | (
        new_admin3[rows] != admin3.to_numpy(dtype=object)[rows]
    )
    filled["admin_from_position"] = changed
    return filled


def _same_state(state_en: str, state: str) -> bool:
    """MIMU 'Shan (North)' against a file's state already normalised to the outline's name ('Shan'); any
    state matches when the file gives none."""
    return not state or state_en.split(" (")[0] == state


@cache
def _towns_by_pcode() -> pd.DataFrame:
    return load_towns().set_index("town_pcode")


@cache
def _townships_by_pcode() -> pd.DataFrame:
    return pd.DataFrame(load_townships().drop(columns="geometry")).set_index("pcode")


def _describe(match: PlaceMatch, towns: pd.DataFrame) -> str:
    if match.kind == "town" and match.pcode in towns.index:
        town = towns.loc[match.pcode]
        return f"{match.name_en} ({town['township_en']} Township, {town['state_en']})"
    return f"{match.name_en} Township ({_township_field(match.pcode, 'state_en')})"


def _unique_best(matches: list[PlaceMatch], what: str, towns: pd.DataFrame) -> PlaceMatch | str:
    """The one best match, or the reason there is none (nothing matched, or a tie)."""
    if not matches:
        return f"names no {what} in the gazetteer (MIMU place codes); add latitude and longitude"
    best = matches[0].score
    tied = {m.pcode: m for m in matches if m.score >= best - TIE_MARGIN}
    if len(tied) > 1:
        options = "; ".join(_describe(m, towns) for m in list(tied.values())[:3])
        hint = "the township" if what == "town" else "the state (admin1)"
        return f"matches several {what}s equally well ({options}); add {hint} or coordinates"
    return matches[0]


def place_one(location: str, township: str, state: str) -> Placement:
    """Placement of one row from its town and township names and its state (the outline's name, e.g. 'Shan',
    as :func:`geo.events.normalise_admin1` gives it; "" when unknown)."""
    towns = _towns_by_pcode()
    township_hit: PlaceMatch | None = None
    if township:
        hits = [m for m in find_places(township, CANDIDATES, prefix=False) if m.kind == "township"]
        hits = [m for m in hits if _same_state(_township_field(m.pcode, "state_en"), state)]
        chosen = _unique_best(hits, "township", towns)
        if isinstance(chosen, str):
            return Placement(field="admin3", problem=chosen)
        township_hit = chosen
    if location:
        hits = [
            m for m in find_places(location, CANDIDATES, prefix=False) if m.kind == "town" and m.pcode in towns.index
        ]
        if township_hit is not None:
            hits = [m for m in hits if towns.loc[m.pcode, "township_pcode"] == township_hit.pcode]
        hits = [m for m in hits if _same_state(towns.loc[m.pcode, "state_en"], state)]
        chosen = _unique_best(hits, "town", towns)
        if not isinstance(chosen, str):
            town = towns.loc[chosen.pcode]
            matched = "" if chosen.score == 100 else f", matched '{location}' at {chosen.score:.0f}%"
            return Placement(
                chosen.latitude,
                chosen.longitude,
                TOWN_PRECISION,
                "" if pd.isna(town["district_en"]) else str(town["district_en"]),
                str(town["township_en"]),
                f"approximate: placed at the town of {chosen.name_en}{matched}",
            )
        if township_hit is None:
            return Placement(field="location", problem=chosen)
    if township_hit is None:
        return Placement(field="location", problem="is empty and so is the township: no coordinates and no place")
    district = _township_field(township_hit.pcode, "district_en")
    unmatched = f" ('{location}' is not a town in the gazetteer)" if location else ""
    return Placement(
        township_hit.latitude,
        township_hit.longitude,
        TOWNSHIP_PRECISION,
        district,
        township_hit.name_en,
        f"approximate: placed at the township centre of {township_hit.name_en}{unmatched}",
    )


def _township_field(pcode: str | None, column: str) -> str:
    """One property of a township, "" when it or the value is missing."""
    townships = _townships_by_pcode()
    value = townships.loc[pcode, column] if pcode in townships.index else ""
    return "" if pd.isna(value) else str(value)


def place_rows_without_coordinates(
    frame: pd.DataFrame, checks: RowChecks, sources: Mapping[str, str], states: pd.Series
) -> np.ndarray:
    """Fill position, precision, geo_placement and empty admin2/admin3 of rows with no coordinates.

    ``frame`` is the schema frame (strings) and is changed in place; ``sources`` maps schema columns to the
    file's names for messages; ``states`` is each row's admin1 normalised to the outline's name. Returns the
    mask of rows rejected here, whose coordinates need no further message.
    """
    rejected = np.zeros(len(frame), dtype=bool)
    without = ((frame["latitude"].str.strip() == "") & (frame["longitude"].str.strip() == "")).to_numpy()
    if not without.any():
        return rejected
    keys = frame.loc[without, ["location", "admin3"]].apply(lambda column: column.str.strip())
    keys["state"] = states[without].str.strip()
    problems = pd.Series("", index=frame.index, dtype=object)
    fields = pd.Series("", index=frame.index, dtype=object)
    for (location, township, state), group in keys.groupby(["location", "admin3", "state"], sort=False):
        placement = place_one(location, township, state)
        index = group.index
        if placement.problem:
            problems[index] = placement.problem
            fields[index] = placement.field
            continue
        frame.loc[index, "latitude"] = f"{placement.latitude:.5f}"
        frame.loc[index, "longitude"] = f"{placement.longitude:.5f}"
        frame.loc[index, "geo_precision"] = str(placement.precision)
        for column, value in (("admin2", placement.admin2), ("admin3", placement.admin3)):
            empty = frame.loc[index, column].str.strip() == ""
            frame.loc[index[empty.to_numpy()], column] = value
        frame.loc[index, "geo_placement"] = placement.note
    for field, group in fields[fields != ""].groupby(fields[fields != ""]):
        mask = frame.index.isin(group.index)
        column = sources.get(str(field), str(field))
        checks.add(mask, column, frame[str(field)], problems)
        rejected |= mask
    return rejected
