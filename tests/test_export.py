"""Data downloads: events as GeoJSON/CSV, fronts as GeoJSON, and export file names."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.events import EVENT_COLUMNS, read_events
from geo.export import events_to_csv, events_to_geojson, fronts_to_geojson, snapshot_filename

FIXTURES = Path(__file__).parent / "fixtures" / "events"


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return read_events(FIXTURES / "multilingual.csv").events


def read_geojson(payload: bytes) -> gpd.GeoDataFrame:
    return gpd.read_file(io.BytesIO(payload))


def test_events_geojson_round_trips_with_acled_properties(events: gpd.GeoDataFrame) -> None:
    payload = events_to_geojson(events)
    back = read_geojson(payload)
    assert list(back.columns) == [*EVENT_COLUMNS, "geometry"]
    assert back.crs.to_epsg() == 4326
    assert list(back["event_id_cnty"]) == list(events["event_id_cnty"])
    assert back.geometry.x.tolist() == pytest.approx(events.geometry.x.tolist())
    assert back.geometry.y.tolist() == pytest.approx(events.geometry.y.tolist())
    assert list(back["location"]) == ["မူဆယ်", "清水河 (Qingshuihe)"]
    assert "နမ့်ခမ်း မြန်မာ" in back["notes"].iloc[0]
    raw = json.loads(payload.decode("utf-8"))
    first = raw["features"][0]["properties"]
    assert first["event_date"] == "2023-11-13"
    assert first["fatalities"] == 1
    assert "မူဆယ်".encode() in payload, "Burmese should be stored as UTF-8, not \\u escapes"


def test_events_csv_round_trips_with_acled_columns(events: gpd.GeoDataFrame) -> None:
    payload = events_to_csv(events)
    assert not payload.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(payload), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(EVENT_COLUMNS)
    assert list(back["event_date"]) == ["2023-11-13", "2023-11-14"]
    assert list(back["location"]) == ["မူဆယ်", "清水河 (Qingshuihe)"]
    assert back["notes"].iloc[1] == "Test fixture: 中缅边境 fictional note."
    assert float(back["latitude"].iloc[0]) == pytest.approx(23.985)
    assert back["actor2"].iloc[1] == ""


def test_csv_is_data_not_html_and_cannot_run_as_a_formula(events: gpd.GeoDataFrame) -> None:
    tricky = events.copy()
    tricky["notes"] = ['<b>"Quoted"</b>, with comma\nand a newline & ampersand', '=HYPERLINK("http://x")']
    back = pd.read_csv(io.BytesIO(events_to_csv(tricky)), dtype=str, keep_default_na=False)
    assert back["notes"].iloc[0] == '<b>"Quoted"</b>, with comma\nand a newline & ampersand'
    assert back["notes"].iloc[1] == '\'=HYPERLINK("http://x")'


def test_missing_coordinate_columns_are_taken_from_the_geometry() -> None:
    frame = gpd.GeoDataFrame(
        {"event_date": pd.to_datetime(["2024-01-02"]), "event_type": ["Battles"], "fatalities": [3]},
        geometry=[Point(97.5, 23.25)],
        crs="EPSG:4326",
    )
    back = pd.read_csv(io.BytesIO(events_to_csv(frame)))
    assert list(back.columns) == list(EVENT_COLUMNS)
    assert (back["latitude"].iloc[0], back["longitude"].iloc[0]) == (23.25, 97.5)
    assert pd.isna(back["actor1"].iloc[0])
    props = json.loads(events_to_geojson(frame))["features"][0]["properties"]
    assert props["actor1"] is None and props["event_date"] == "2024-01-02"


def test_no_events_give_a_header_and_an_empty_collection(events: gpd.GeoDataFrame) -> None:
    assert events_to_csv(None).decode().strip() == ",".join(EVENT_COLUMNS)
    assert events_to_csv(events.iloc[0:0]).decode().strip() == ",".join(EVENT_COLUMNS)
    assert json.loads(events_to_geojson(None)) == {"type": "FeatureCollection", "features": []}
    assert json.loads(fronts_to_geojson(None)) == {"type": "FeatureCollection", "features": []}


def test_fronts_geojson_keeps_attributes_dates_and_polygons() -> None:
    fronts = gpd.GeoDataFrame(
        {
            "front": ["Northern Shan"],
            "actor": ["MNDAA ကိုးကန့်"],
            "valid_from": pd.to_datetime(["2023-10-27"]),
            "valid_to": pd.to_datetime([None]),
            "notes": ['</script><script>alert("x")</script>'],
        },
        geometry=[box(98.0, 23.0, 98.5, 23.5)],
        crs="EPSG:4326",
    )
    payload = fronts_to_geojson(fronts)
    raw = json.loads(payload)
    properties = raw["features"][0]["properties"]
    assert properties["valid_from"] == "2023-10-27"
    assert properties["valid_to"] is None
    assert properties["notes"] == '</script><script>alert("x")</script>'
    back = read_geojson(payload)
    assert back["actor"].iloc[0] == "MNDAA ကိုးကန့်"
    assert back.geometry.iloc[0].equals(fronts.geometry.iloc[0])


def test_non_wgs84_input_is_reprojected() -> None:
    frame = gpd.GeoDataFrame({"front": ["x"]}, geometry=[Point(97.5, 23.25)], crs="EPSG:4326").to_crs(3857)
    coordinates = json.loads(fronts_to_geojson(frame))["features"][0]["geometry"]["coordinates"]
    assert coordinates == pytest.approx([97.5, 23.25])


def test_snapshot_filename_is_descriptive_and_safe() -> None:
    name = snapshot_filename("map", (date(2023, 10, 27), date(2024, 1, 31)), ["states", "borders", "crossings"], "png")
    assert name == "myanmar-map_states-borders-crossings_2023-10-27_2024-01-31.png"
    assert snapshot_filename("events", None, [], ".CSV") == "myanmar-events.csv"
    hostile = snapshot_filename("../Map <1>", None, ["a/b", "c\\d", "ရှမ်း"], "h/tml")
    assert re.fullmatch(r"[a-z0-9_.-]+", hostile)
    assert hostile.count(".") == 1 and ".." not in hostile
