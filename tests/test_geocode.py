"""Imports use the gazetteer: admin2/admin3 from the point, and positions for rows that only name a place."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.events import read_events
from geo.geocode import fill_admin_from_position, place_one
from geo.rowchecks import RowError

FIXTURES = Path(__file__).parent / "fixtures" / "events"


@pytest.fixture(scope="module")
def placed() -> tuple[pd.DataFrame, list[RowError]]:
    result = read_events(FIXTURES / "places_without_coordinates.csv", "csv")
    return result.events.set_index("event_id_cnty"), result.rejected


def event(events: pd.DataFrame, line: int) -> pd.Series:
    return events.loc[f"places_without_coordinates-L{line}"]


def test_own_coordinates_get_township_and_district(placed: tuple[pd.DataFrame, list[RowError]]) -> None:
    row = event(placed[0], 2)
    assert (row["admin3"], row["admin2"], row["admin_from_position"]) == ("Muse", "Muse", True)
    assert (row["latitude"], row["geo_placement"]) == (23.985, "")


def test_a_named_town_is_placed_at_the_town(placed: tuple[pd.DataFrame, list[RowError]]) -> None:
    row = event(placed[0], 3)
    assert (round(row["latitude"], 3), round(row["longitude"], 3)) == (23.687, 98.765)  # MIMU Laukkaing
    assert row["geo_precision"] == 2
    assert row["admin3"] == "Laukkaing"
    assert row["geo_placement"] == "approximate: placed at the town of Laukkaing, matched 'Laukkai' at 88%"


def test_a_named_township_is_placed_at_its_centre(placed: tuple[pd.DataFrame, list[RowError]]) -> None:
    row = event(placed[0], 4)
    assert row["geo_precision"] == 3
    assert (row["admin3"], row["admin2"]) == ("Hsenwi", "Lashio")  # the file's own spelling is kept
    assert row["geo_placement"] == "approximate: placed at the township centre of Hseni"
    gate = event(placed[0], 7)
    assert gate["geo_precision"] == 3
    assert "'Kyin San Kyawt' is not a town in the gazetteer" in gate["geo_placement"]


def test_unmatched_ambiguous_and_incomplete_rows_are_rejected(placed: tuple[pd.DataFrame, list[RowError]]) -> None:
    events, rejected = placed
    problems = {(error.row, error.field): error.reason for error in rejected}
    assert problems[(5, "location")].startswith("names no town in the gazetteer")
    assert "matches several towns equally well" in problems[(6, "location")]
    assert "Bago (East)" in problems[(6, "location")] and "Yangon" in problems[(6, "location")]
    assert problems[(8, "longitude")] == "is missing"
    assert (9, "location") in problems
    assert {error.row for error in rejected} == {5, 6, 8, 9, 10}
    assert problems[(10, "location")].startswith("names no town")  # Lashio is in Shan, not Magway ("Magwe")
    assert len(events) == 4


def test_a_file_without_coordinate_columns_is_placed_by_town() -> None:
    result = read_events(FIXTURES / "towns_only.csv", "csv")
    assert result.rejected == []
    assert result.events["admin3"].tolist() == ["Paletwa", "Mrauk-U"]
    assert result.events["geo_precision"].tolist() == [2, 2]
    assert result.events["geo_placement"].str.startswith("approximate: placed at the town of").all()


def test_ambiguous_township_names_ask_for_the_state() -> None:
    assert "add the state (admin1)" in place_one("", "Htantabin", "").problem
    assert place_one("", "Htantabin", "Yangon").admin2 == "Yangon (North)"
    assert place_one("Paletwa", "", "Chin").admin3 == "Paletwa"
    assert place_one("Paletwa", "", "Rakhine").problem.startswith("names no town")


def test_fill_admin_keeps_what_the_file_says() -> None:
    events = gpd.GeoDataFrame(
        {
            "admin2": ["", "District given", ""],
            "admin3": ["", "Township given", ""],
            "latitude": [21.30394, 21.30394, 15.0],
            "longitude": [92.85545, 92.85545, 90.0],
        }
    )
    filled = fill_admin_from_position(events)
    assert filled["admin3"].tolist() == ["Paletwa", "Township given", ""]
    assert filled["admin2"].tolist() == ["Matupi", "District given", ""]
    assert filled["admin_from_position"].tolist() == [True, False, False]
    assert events["admin3"].tolist() == ["", "Township given", ""]  # the input is not changed
