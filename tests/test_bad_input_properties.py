"""Property tests: mutated CSV and GeoJSON never raise anything but the readers' own file error,
and every line (CSV) or feature (GeoJSON) read is accounted for as accepted, rejected or blank."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.eventfile import EventFileError
from geo.events import ImportResult, read_events
from geo.fronts import FrontsFileError, read_fronts_geojson
from tests.hostile import HEADER, physical_data_lines, rows

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BASE_CSV = "\n".join([HEADER, *rows(8)]) + "\n"
HOSTILE_TEXT = ['"', ",", "\r", "\n", "\r\n", "\ufeff", " ", "=", "မ", "\x07", '""', "\x00", "x" * 40_000]


@st.composite
def mutated_csv(draw: st.DrawFn) -> bytes:
    """The base file with a few insertions, deletions and repeated lines."""
    text = BASE_CSV
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["insert", "delete", "repeat"]))
        at = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(HOSTILE_TEXT)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 30)) :]
        else:
            lines = text.split("\n")
            line = lines[at % len(lines)]
            text = "\n".join([*lines, line])
    return text.encode()


def read_in(tmp: str, name: str, content: bytes) -> ImportResult | None:
    path = Path(tmp) / name
    path.write_bytes(content)
    try:
        return read_events(path)
    except EventFileError:
        return None


@SETTINGS
@given(mutated_csv())
def test_mutated_csv_is_read_or_refused_and_every_line_is_accounted_for(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = read_in(tmp, "mutated.csv", content)
    if result is None:
        return
    assert result.accepted + result.rejected_rows == result.rows_in_file
    assert result.lines is not None and result.lines.balanced
    first_line = re.split(rb"\r\n|\r|\n", content.removeprefix(b"\xef\xbb\xbf"))[0]
    if b'"' not in first_line and first_line.strip():
        assert result.lines.read == physical_data_lines(content)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
NUMBERS = st.floats(-1e7, 1e7) | st.integers(-200, 200)
GEOMETRIES = st.one_of(
    JSON_VALUES,
    st.builds(lambda lon, lat: {"type": "Point", "coordinates": [lon, lat]}, NUMBERS, NUMBERS),
    st.builds(
        lambda kind, coordinates: {"type": kind, "coordinates": coordinates},
        st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon", "Circle", "GeometryCollection"]),
        JSON_VALUES | st.lists(st.lists(NUMBERS, min_size=2, max_size=3), max_size=5),
    ),
)
PROPERTIES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {
            "event_date": st.sampled_from(["2023-11-13", "13 November 2023", "", "2999-01-01"]) | JSON_VALUES,
            "event_type": st.sampled_from(["Battles", "battles", "Skirmish"]) | JSON_VALUES,
            "front": st.text(max_size=5),
            "actor": st.text(max_size=5),
            "valid_from": st.sampled_from(["2023-11-01", "someday"]) | JSON_VALUES,
        }
    ),
)
FEATURES = st.one_of(
    JSON_VALUES,
    st.builds(
        lambda geometry, properties: {"type": "Feature", "geometry": geometry, "properties": properties},
        GEOMETRIES,
        PROPERTIES,
    ),
)


def document(features: list[Any], crs: Any) -> bytes:
    members: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        members["crs"] = crs
    return json.dumps(members).encode()


CRS_MEMBERS = st.none() | st.sampled_from(
    [
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        {"type": "name", "properties": {"name": "EPSG:32647"}},
        {"type": "name", "properties": {"name": "nonsense"}},
        "EPSG:4326",
    ]
)


@SETTINGS
@given(st.lists(FEATURES, min_size=1, max_size=6), CRS_MEMBERS)
def test_generated_event_geojson_is_read_or_refused_with_every_feature_counted(features: list[Any], crs: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = read_in(tmp, "generated.geojson", document(features, crs))
    if result is None:
        return
    assert result.accepted + result.rejected_rows == result.rows_in_file == len(features)
    assert result.lines is not None and result.lines.balanced and result.lines.read == len(features)


@SETTINGS
@given(st.lists(FEATURES, min_size=1, max_size=6), CRS_MEMBERS)
def test_generated_fronts_are_read_or_refused_with_every_feature_counted(features: list[Any], crs: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fronts.geojson"
        path.write_bytes(document(features, crs))
        try:
            result = read_fronts_geojson(path)
        except FrontsFileError:
            return
    assert result.lines.balanced and result.lines.read == len(features)
