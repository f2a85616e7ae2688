"""Bad input: file-level problems raise EventFileError naming the file; row-level
problems reject only their row, name the line and field, and keep every good row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from geo.eventfile import EventFileError
from geo.events import (
    EVENT_COLUMNS,
    UCDP_REQUIRED,
    ImportResult,
    read_acled_csv,
    read_events,
    read_events_geojson,
    read_ucdp_csv,
)

ACLED_GOOD = {
    "event_id_cnty": "MMRTEST1",
    "event_date": "2023-11-13",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Test Armed Group A",
    "actor2": "Test Armed Group B",
    "admin1": "Shan-North",
    "admin2": "Muse",
    "admin3": "Muse",
    "location": "Muse",
    "latitude": "23.985",
    "longitude": "97.901",
    "geo_precision": "1",
    "fatalities": "2",
    "source": "Test Source",
    "notes": "Test fixture: fictional event.",
}

UCDP_GOOD = {
    "id": "1",
    "date_start": "2023-11-13",
    "date_end": "2023-11-13",
    "side_a": "Government of Testland",
    "side_b": "Test Armed Group A",
    "latitude": "23.985",
    "longitude": "97.901",
    "best": "2",
    "adm_1": "Shan state",
    "adm_2": "Muse district",
    "where_coordinates": "Muse town",
    "type_of_violence": "1",
    "source_article": "Test fixture article",
    "where_prec": "1",
}

PLAIN_GOOD = {"date": "2023-11-13", "lat": "23.985", "lon": "97.901", "event_type": "Battles"}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def three_rows(good: dict[str, str], bad: dict[str, str], id_field: str) -> list[dict[str, str]]:
    """Good row (line 2), bad row (line 3), good row (line 4) with distinct ids."""
    return [
        {**good, id_field: good[id_field] + "0"},
        {**good, id_field: good[id_field] + "1", **bad},
        {**good, id_field: good[id_field] + "2"},
    ]


def assert_invariant(result: ImportResult, data_rows: int) -> None:
    assert result.rows_in_file == data_rows
    assert result.accepted + result.rejected_rows == data_rows


# (case id, changes to the middle row, field named in the error, reason fragment)
ACLED_CASES = [
    ("unparseable-date", {"event_date": "13/11/2023"}, "event_date", "is not a date"),
    ("impossible-date", {"event_date": "2023-02-30"}, "event_date", "is not a date"),
    ("future-date", {"event_date": "2999-01-01"}, "event_date", "is in the future"),
    ("date-before-1989", {"event_date": "31 December 1988"}, "event_date", "is before 1989-01-01"),
    ("empty-date", {"event_date": ""}, "event_date", "is missing"),
    ("missing-latitude", {"latitude": ""}, "latitude", "is missing"),
    ("missing-longitude", {"longitude": " "}, "longitude", "is missing"),
    ("non-numeric-latitude", {"latitude": "23.9N"}, "latitude", "is not a number"),
    ("latitude-out-of-range", {"latitude": "95.2"}, "latitude", "is outside -90..90"),
    ("longitude-out-of-range", {"longitude": "197.9"}, "longitude", "is outside -180..180"),
    ("null-island", {"latitude": "0", "longitude": "0.0"}, "latitude,longitude", "(0, 0) placeholder"),
    ("negative-fatalities", {"fatalities": "-1"}, "fatalities", "is negative"),
    ("fractional-fatalities", {"fatalities": "2.5"}, "fatalities", "is not a whole number"),
    ("text-fatalities", {"fatalities": "many"}, "fatalities", "is not a number"),
    ("huge-fatalities", {"fatalities": "1e20"}, "fatalities", "is too large"),
    ("infinite-fatalities", {"fatalities": "inf"}, "fatalities", "is not a whole number"),
    ("empty-fatalities", {"fatalities": ""}, "fatalities", "is missing"),
    ("unknown-event-type", {"event_type": "Skirmish"}, "event_type", "is not one of Battles"),
    ("geo-precision-4", {"geo_precision": "4"}, "geo_precision", "is not 1, 2 or 3"),
    ("empty-event-id", {"event_id_cnty": ""}, "event_id_cnty", "is missing"),
    ("duplicate-event-id", {"event_id_cnty": "MMRTEST10"}, "event_id_cnty", "first seen on line 2"),
]
UCDP_CASES = [
    ("ucdp-type-of-violence", {"type_of_violence": "4"}, "type_of_violence", "is not 1, 2 or 3"),
    ("ucdp-where-prec", {"where_prec": "9"}, "where_prec", "is not one of 1..7"),
    ("ucdp-negative-best", {"best": "-3"}, "best", "is negative"),
    ("ucdp-bad-date-start", {"date_start": "2023-13-01"}, "date_start", "is not a date"),
    ("ucdp-duplicate-id", {"id": "10"}, "id", "duplicates the id first seen on line 2"),
]
PLAIN_CASES = [
    ("plain-lat-alias", {"lat": "-91"}, "lat", "is outside -90..90"),
    ("plain-empty-event-type", {"event_type": ""}, "event_type", "is missing"),
]
ROW_CASES = (
    [(case_id, read_acled_csv, ACLED_GOOD, "event_id_cnty", *rest) for case_id, *rest in ACLED_CASES]
    + [(case_id, read_ucdp_csv, UCDP_GOOD, "id", *rest) for case_id, *rest in UCDP_CASES]
    + [(case_id, read_events, PLAIN_GOOD, "date", *rest) for case_id, *rest in PLAIN_CASES]
)


@pytest.mark.parametrize(
    ("reader", "good", "id_field", "bad", "field", "reason"),
    [case[1:] for case in ROW_CASES],
    ids=[case[0] for case in ROW_CASES],
)
def test_bad_row_is_rejected_with_line_and_field(
    tmp_path: Path,
    reader: Any,
    good: dict[str, str],
    id_field: str,
    bad: dict[str, str],
    field: str,
    reason: str,
) -> None:
    if id_field == "date":  # plain CSV without ids: keep the rows distinct by date instead
        rows = [good, {**good, **bad}, {**good, "date": "2023-11-14"}]
    else:
        rows = three_rows(good, bad, id_field)
    path = write_csv(tmp_path / "events.csv", rows)
    result = reader(path)
    assert [(e.row, e.field) for e in result.rejected] == [(3, field)]
    error = result.rejected[0]
    assert reason in error.reason
    assert str(error).startswith(f"line 3, field {field}: ")
    assert result.accepted == 2
    assert_invariant(result, 3)
    report = result.report()
    assert str(path) in report.splitlines()[0]
    assert str(error) in report


def test_every_problem_on_a_row_is_reported_but_the_row_counts_once(tmp_path: Path) -> None:
    bad = {"event_date": "someday", "latitude": "95", "fatalities": "-2.5", "geo_precision": "0"}
    path = write_csv(tmp_path / "many.csv", three_rows(ACLED_GOOD, bad, "event_id_cnty"))
    result = read_acled_csv(path)
    assert [e.field for e in result.rejected] == ["event_date", "latitude", "fatalities", "geo_precision"]
    assert {e.row for e in result.rejected} == {3}
    assert result.rejected_rows == 1
    assert result.accepted == 2
    assert_invariant(result, 3)


def test_duplicates_keep_the_first_occurrence(tmp_path: Path) -> None:
    rows = [dict(ACLED_GOOD, notes=f"Test fixture {i}") for i in range(3)]
    path = write_csv(tmp_path / "dups.csv", rows)
    result = read_acled_csv(path)
    assert result.events["notes"].tolist() == ["Test fixture 0"]
    assert [e.row for e in result.rejected] == [3, 4]
    assert_invariant(result, 3)


def feature(coords: Any = (97.9, 23.9), kind: str = "Point", **props: Any) -> dict[str, Any]:
    properties = {"event_date": "2023-11-13", "event_type": "Battles", "notes": "Test fixture", **props}
    properties = {key: value for key, value in properties.items() if value is not None}
    geometry = None if coords is None else {"type": kind, "coordinates": list(coords)}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


GEOJSON_CASES = [
    ("no-geometry", feature(None), "geometry", "is missing (feature has no geometry)"),
    (
        "polygon",
        feature([[[97, 23], [98, 23], [98, 24], [97, 23]]], kind="Polygon"),
        "geometry",
        "'Polygon' is not a Point",
    ),
    ("string-coordinates", feature(["97.9", "23.9"]), "geometry", "has no [longitude, latitude] numbers"),
    ("not-an-object", "just text", "feature", "is not a GeoJSON Feature object"),
    ("latitude-range", feature((97.9, -95.0)), "latitude", "is outside -90..90"),
    ("bad-date-property", feature(event_date="soon"), "event_date", "is not a date"),
    ("negative-fatalities", feature(fatalities=-1), "fatalities", "'-1' is negative"),
]


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [case[1:] for case in GEOJSON_CASES],
    ids=[case[0] for case in GEOJSON_CASES],
)
def test_bad_geojson_feature_is_rejected_by_index(tmp_path: Path, bad: Any, field: str, message: str) -> None:
    collection = {"type": "FeatureCollection", "features": [feature(), bad, feature((98.0, 24.0))]}
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    result = read_events_geojson(path)
    assert [(e.row, e.field, e.unit) for e in result.rejected] == [(1, field, "feature")]
    assert str(result.rejected[0]).startswith(f"features[1], field {field}: ")
    assert message in str(result.rejected[0])
    assert result.events["longitude"].tolist() == [97.9, 98.0]
    assert_invariant(result, 3)


ACLED_HEADER = ",".join(ACLED_GOOD)
ACLED_LINE = ",".join(ACLED_GOOD.values())


def collection(features: list[Any], **members: Any) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features, **members})


LATIN_1 = "date,lat,lon,event_type,location\n2023-11-13,23.9,97.9,Battles,Caf\xe9\n".encode("latin-1")
ACLED_PARTIAL = "event_id_cnty,event_date,event_type,admin1\nX1,2023-11-13,Battles,Shan\n"
UTM_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32647"}}


# (case id, file name, content as str or bytes, reader keyword arguments, message fragments)
FILE_CASES: list[tuple[str, str, str | bytes | None, dict[str, Any], list[str]]] = [
    ("missing-file", "absent.csv", None, {}, ["file not found"]),
    ("zero-bytes", "empty.csv", b"", {}, ["file is empty"]),
    ("only-whitespace", "blank.csv", "\n\n  \n", {}, ["file is empty"]),
    ("header-only", "header.csv", ACLED_HEADER + "\n", {}, ["has a header but no data rows"]),
    ("binary-nul", "sheet.csv", b"PK\x03\x04\x00\x00binary", {}, ["binary file"]),
    ("latin-1", "latin.csv", LATIN_1, {}, ["not UTF-8", "0xe9"]),
    ("utf-16", "wide.csv", (ACLED_HEADER + "\n" + ACLED_LINE + "\n").encode("utf-16"), {}, ["binary file"]),
    (
        "acled-missing-columns",
        "partial.csv",
        ACLED_PARTIAL,
        {},
        ["missing required columns for acled", "latitude", "longitude", "fatalities", "geo_precision", "notes"],
    ),
    (
        "ucdp-missing-columns",
        "ged.csv",
        "id,date_start,side_a,latitude\n1,2023-11-13,A,23.9\n",
        {},
        ["missing required columns for ucdp", "longitude", "best", "type_of_violence", "where_prec"],
    ),
    (
        "plain-missing-coordinates",
        "plain.csv",
        "date,event_type,place\n2023-11-13,Battles,Muse\n",
        {},
        ["latitude or lat or y", "longitude or lon or lng or long or x"],
    ),
    (
        "columns-twice",
        "twice.csv",
        "date,DATE,lat,lon,event_type\n2023-11-13,2023-11-13,23.9,97.9,Battles\n",
        {},
        ["columns appear twice: date"],
    ),
    (
        "same-name-twice",
        "same.csv",
        "event_date,latitude,longitude,event_type,notes,notes\n2023-11-13,23.9,97.9,Battles,a,b\n",
        {},
        ["columns appear twice: notes"],
    ),
    (
        "same-name-twice-short-row",  # a short row sends the file to pandas, which renames a repeat to "notes.1"
        "same-short.csv",
        "event_date,latitude,longitude,event_type,notes,notes\n2023-11-13,23.9,97.9,Battles,a\n",
        {},
        ["columns appear twice: notes"],
    ),
    (
        "too-many-fields-first-row",
        "ragged.csv",
        ACLED_HEADER + "\n" + ACLED_LINE + ",surplus,fields\n",
        {},
        ["not a well-formed CSV", "line 2 has 18 fields, the header 16"],
    ),
    (
        "too-many-fields-later-row",
        "ragged.csv",
        ACLED_HEADER + "\n" + ACLED_LINE + "\n\n" + ACLED_LINE + ",surplus\n",
        {},
        ["line 4 has 17 fields, the header 16"],
    ),
    (
        "unterminated-quote",
        "quote.csv",
        ACLED_HEADER + "\n" + ACLED_LINE.rsplit(",", 1)[0] + ',"never closed\n',
        {},
        ["not a well-formed CSV", "the quote opened in the record on line 2 is never closed"],
    ),
    (
        "too-large",
        "big.csv",
        ACLED_HEADER + "\n" + ACLED_LINE + "\n",
        {"max_bytes": 100},
        ["larger than the 0.0 MB limit", "MB"],
    ),
    ("invalid-json", "broken.geojson", '{"type": "FeatureCollection", "features": [', {}, ["not valid JSON", "line 1"]),
    (
        "json-not-collection",
        "feature.geojson",
        json.dumps(feature()),
        {},
        ["not a GeoJSON FeatureCollection", "'Feature'"],
    ),
    ("json-list", "list.json", "[1, 2]", {}, ["not a GeoJSON FeatureCollection", "'list'"]),
    ("no-features", "none.geojson", collection([]), {}, ["has no features"]),
    ("projected-crs", "utm.geojson", collection([feature()], crs=UTM_CRS), {}, ["EPSG::32647", "WGS 84"]),
    (
        "geojson-missing-properties",
        "bare.geojson",
        collection([feature(event_date=None, event_type=None)]),
        {},
        ["missing required columns for geojson", "event_date or date", "event_type"],
    ),
    (
        "unknown-format",
        "events.csv",
        ACLED_HEADER + "\n" + ACLED_LINE + "\n",
        {"format": "xlsx"},
        ["unknown format 'xlsx'", "acled, ucdp, geojson, csv"],
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "kwargs", "fragments"),
    [case[1:] for case in FILE_CASES],
    ids=[case[0] for case in FILE_CASES],
)
def test_file_level_problem_names_the_file(
    tmp_path: Path, name: str, content: str | bytes | None, kwargs: dict[str, Any], fragments: list[str]
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(EventFileError) as caught:
        read_events(path, **kwargs)
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert message.startswith(f"{path}: ")
    assert caught.value.path == path
    for fragment in fragments:
        assert fragment in message


def test_size_limit_message_gives_size_and_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "events.csv", [ACLED_GOOD] * 2000)
    with pytest.raises(EventFileError, match=r"file is 0\.[0-9] MB, larger than the 0\.1 MB limit"):
        read_acled_csv(path, max_bytes=100_000)
    assert read_acled_csv(path, max_bytes=10_000_000).rows_in_file == 2000


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(EventFileError, match="is not a regular file"):
        read_acled_csv(tmp_path)


def test_ucdp_required_columns_are_all_named(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text("country\nMyanmar\n", encoding="utf-8")
    with pytest.raises(EventFileError) as caught:
        read_ucdp_csv(path)
    assert all(column in str(caught.value) for column in UCDP_REQUIRED)


def test_acled_required_columns_are_all_named(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text("country\nMyanmar\n", encoding="utf-8")
    with pytest.raises(EventFileError) as caught:
        read_acled_csv(path)
    assert all(column in str(caught.value) for column in EVENT_COLUMNS if column != "source_url")
    assert "source_url" not in str(caught.value)
