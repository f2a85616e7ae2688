"""Fronts: as-of selection and user files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from geo.fronts import FrontsFileError, fronts_as_of, read_fronts_geojson

FIXTURE_FRONTS = Path(__file__).resolve().parent / "fixtures" / "fronts.geojson"


@pytest.mark.parametrize(
    ("as_of", "fronts"),
    [
        (date(2023, 9, 30), []),
        (date(2023, 10, 1), ["Test line"]),
        (date(2023, 11, 1), ["Test area", "Test line"]),
        (date(2024, 6, 30), ["Test area", "Test line"]),
        (date(2024, 7, 1), ["Test area"]),
    ],
)
def test_fronts_as_of_a_date(as_of: date, fronts: list[str]) -> None:
    loaded = read_fronts_geojson(FIXTURE_FRONTS).fronts
    assert list(fronts_as_of(loaded, as_of)["front"]) == fronts


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
