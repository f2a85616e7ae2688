"""Fronts: derivation from territory-change events, as-of selection, user files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from geo.fronts import FrontsFileError, derive_control_areas, fronts_as_of, read_fronts_geojson
from tests.helpers import make_events

LAUKKAI = {"latitude": 23.696, "longitude": 98.762, "location": "Laukkai", "admin1": "Shan-North"}


def territory_events():
    return make_events(
        [
            {
                **LAUKKAI,
                "event_date": "2024-01-04",
                "sub_event_type": "Non-state actor overtakes territory",
                "actor1": "MNDAA",
                "event_type": "Strategic developments",
            },
            {
                **LAUKKAI,
                "event_date": "2024-03-01",
                "sub_event_type": "Government regains territory",
                "actor1": "Military Forces of Myanmar (2021-)",
                "event_type": "Strategic developments",
            },
            {**LAUKKAI, "event_date": "2024-02-01", "sub_event_type": "Armed clash", "actor1": "Other"},
            {
                "latitude": 20.15,
                "longitude": 92.9,
                "location": "Sittwe",
                "admin1": "Rakhine",
                "geo_precision": 3,
                "event_date": "2024-01-10",
                "sub_event_type": "Non-state actor overtakes territory",
                "actor1": "AA",
            },
        ]
    )


def test_control_changes_hands_at_each_territory_event() -> None:
    fronts = derive_control_areas(territory_events())
    assert list(fronts["actor"]) == ["MNDAA", "Military Forces of Myanmar (2021-)"]
    assert fronts.loc[0, "valid_from"].date() == date(2024, 1, 4)
    assert fronts.loc[0, "valid_to"].date() == date(2024, 2, 29)
    assert fronts["valid_to"].isna().tolist() == [False, True]
    assert set(fronts["front"]) == {"Northern Shan"}
    assert fronts.geom_type.eq("Polygon").all()
    assert fronts.iloc[[0]].contains(territory_events().geometry.iloc[0]).all()


def test_precision_three_events_do_not_draw_control() -> None:
    fronts = derive_control_areas(territory_events())
    assert "AA" not in set(fronts["actor"])


@pytest.mark.parametrize(
    ("as_of", "actors"),
    [
        (date(2024, 1, 3), []),
        (date(2024, 1, 4), ["MNDAA"]),
        (date(2024, 2, 29), ["MNDAA"]),
        (date(2024, 3, 1), ["Military Forces of Myanmar (2021-)"]),
        (date(2025, 1, 1), ["Military Forces of Myanmar (2021-)"]),
    ],
)
def test_fronts_as_of_a_date(as_of: date, actors: list[str]) -> None:
    fronts = derive_control_areas(territory_events())
    assert list(fronts_as_of(fronts, as_of)["actor"]) == actors


def feature(geometry: dict | None, **properties: object) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


LINE = {"type": "LineString", "coordinates": [[98.0, 23.0], [98.5, 23.5]]}


def test_user_fronts_keep_valid_features_and_name_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "fronts.geojson"
    good = {"front": "Northern Shan", "actor": "TNLA", "valid_from": "2023-11-01", "valid_to": ""}
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    feature(LINE, **good),
                    feature(LINE, **{**good, "valid_from": "someday"}),
                    feature({"type": "Point", "coordinates": [98, 23]}, **good),
                    feature(LINE, **{**good, "actor": ""}),
                    feature(LINE, **{**good, "valid_to": "2023-10-01"}),
                ],
            }
        ),
        encoding="utf-8",
    )
    result = read_fronts_geojson(path)
    assert len(result.fronts) == 1
    problems = {(error.row, error.field) for error in result.rejected}
    assert problems == {(1, "valid_from"), (2, "geometry"), (3, "actor"), (4, "valid_to")}
    assert "features[2], field geometry: 'Point' must be a (Multi)LineString or (Multi)Polygon" in result.report()
    assert result.report().splitlines()[0].endswith("fronts.geojson: 5 features, accepted 1, rejected 4")
    assert fronts_as_of(result.fronts, date(2023, 12, 1))["actor"].tolist() == ["TNLA"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b'{"type": "Feature"}', "is not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "has no features"),
        (b"\xff\xfe\x00", "looks like a binary file"),
        (b"\xff\xfe", "is not UTF-8 text"),
    ],
)
def test_unusable_fronts_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad_fronts.geojson"
    path.write_bytes(content)
    with pytest.raises(FrontsFileError, match=rf"bad_fronts\.geojson: {message}"):
        read_fronts_geojson(path)
