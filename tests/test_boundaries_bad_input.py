"""Loaders refuse untrustworthy files with a message naming the file and the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.boundaries import BoundaryDataError, load_crossings, load_states, read_layer

SQUARE = [[[96.0, 20.0], [97.0, 20.0], [97.0, 21.0], [96.0, 21.0], [96.0, 20.0]]]
BOWTIE = [[[96.0, 20.0], [97.0, 21.0], [97.0, 20.0], [96.0, 21.0], [96.0, 20.0]]]


def write_collection(path: Path, features: list[dict], crs: str | None = None) -> Path:
    collection: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def polygon(name: str, coordinates: list = SQUARE, kind: str = "State") -> dict:
    return {
        "type": "Feature",
        "properties": {"name": name, "kind": kind},
        "geometry": {"type": "Polygon", "coordinates": coordinates},
    }


def test_valid_file_loads(tmp_path: Path) -> None:
    frame = load_states(write_collection(tmp_path / "states.geojson", [polygon("Shan")]))
    assert list(frame["name"]) == ["Shan"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BoundaryDataError, match=r"nowhere\.geojson: file not found"):
        load_states(tmp_path / "nowhere.geojson")


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "garbage.geojson"
    path.write_bytes(b"\x00\x01 not geojson")
    with pytest.raises(BoundaryDataError, match=r"garbage\.geojson: cannot be read"):
        load_states(path)


def test_wrong_crs(tmp_path: Path) -> None:
    path = write_collection(tmp_path / "mercator.geojson", [polygon("Shan")], crs="EPSG:3857")
    with pytest.raises(BoundaryDataError, match=r"mercator\.geojson: CRS is EPSG:3857; expected EPSG:4326"):
        load_states(path)


def test_no_features(tmp_path: Path) -> None:
    with pytest.raises(BoundaryDataError, match=r"empty\.geojson: holds no features"):
        load_states(write_collection(tmp_path / "empty.geojson", []))


def test_missing_property(tmp_path: Path) -> None:
    feature = polygon("Shan")
    del feature["properties"]["kind"]
    with pytest.raises(BoundaryDataError, match="missing required properties: kind"):
        load_states(write_collection(tmp_path / "nokind.geojson", [feature]))


def test_invalid_geometry_names_the_feature(tmp_path: Path) -> None:
    path = write_collection(tmp_path / "bowtie.geojson", [polygon("Shan"), polygon("Chin", BOWTIE)])
    with pytest.raises(BoundaryDataError, match=r"feature 1 \(Chin\): invalid geometry \(Self-intersection"):
        load_states(path)


def test_empty_geometry_names_the_feature(tmp_path: Path) -> None:
    feature = polygon("Rakhine")
    feature["geometry"] = None
    path = write_collection(tmp_path / "nogeom.geojson", [polygon("Shan"), feature])
    with pytest.raises(BoundaryDataError, match=r"feature 1 \(Rakhine\): empty geometry"):
        load_states(path)


def test_wrong_geometry_type(tmp_path: Path) -> None:
    path = write_collection(tmp_path / "crossings.geojson", [polygon("Muse – Ruili")])
    with pytest.raises(BoundaryDataError, match="geometry is Polygon; expected Point"):
        read_layer(path, {"Point"})


def test_every_bad_feature_is_listed(tmp_path: Path) -> None:
    features = [polygon("Shan", BOWTIE), polygon("Chin"), polygon("Rakhine", BOWTIE)]
    with pytest.raises(BoundaryDataError) as caught:
        load_states(write_collection(tmp_path / "two_bad.geojson", features))
    assert "feature 0 (Shan)" in str(caught.value)
    assert "feature 2 (Rakhine)" in str(caught.value)
    assert "Chin" not in str(caught.value)


def test_crossings_need_their_source(tmp_path: Path) -> None:
    feature = {
        "type": "Feature",
        "properties": {"name": "X", "myanmar_town": "A", "neighbour_town": "B", "neighbour_country": "China"},
        "geometry": {"type": "Point", "coordinates": [97.9, 24.0]},
    }
    with pytest.raises(BoundaryDataError, match="missing required properties: source"):
        load_crossings(write_collection(tmp_path / "crossings.geojson", [feature]))
