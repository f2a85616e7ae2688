"""Importers read every supported format onto one schema, keeping text and dates intact."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.eventfile import read_any_csv, read_well_formed_csv
from geo.events import (
    EVENT_COLUMNS,
    EVENT_TYPES,
    EXTRA_COLUMNS,
    PASSTHROUGH_COLUMNS,
    ImportResult,
    normalise_admin1,
    read_acled_csv,
    read_events,
    read_events_geojson,
    read_plain_csv,
    read_ucdp_csv,
    sniff_format,
)
from geo.rowchecks import to_float

FIXTURES = Path(__file__).parent / "fixtures" / "events"

# file name -> (sniffed format, data rows)
GOOD_FILES = {
    "acled_iso.csv": ("acled", 5),
    "acled_text_dates.csv": ("acled", 4),
    "acled_timestamps.csv": ("acled", 3),
    "multilingual.csv": ("acled", 2),
    "ucdp_ged.csv": ("ucdp", 4),
    "plain_events.csv": ("csv", 3),
    "events.geojson": ("geojson", 3),
}


def data_rows(path: Path) -> int:
    """Count data rows independently of the importer."""
    if path.suffix == ".geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for row in csv.reader(handle) if row) - 1


def by_id(result: ImportResult, event_id: str) -> pd.Series:
    rows = result.events[result.events["event_id_cnty"] == event_id]
    assert len(rows) == 1, event_id
    return rows.iloc[0]


@pytest.mark.parametrize("name", sorted(GOOD_FILES))
def test_fixture_loads_fully_onto_the_schema(name: str) -> None:
    path = FIXTURES / name
    fmt, rows = GOOD_FILES[name]
    result = read_events(path)
    assert result.format == fmt
    assert result.rejected == [], result.report()
    assert result.accepted == rows == result.rows_in_file == data_rows(path)
    events = result.events
    assert list(events.columns) == [*EVENT_COLUMNS, *PASSTHROUGH_COLUMNS, *EXTRA_COLUMNS, "geometry"]
    assert events.crs.to_epsg() == 4326
    assert set(events.geom_type) == {"Point"}
    assert np.allclose(events.geometry.x, events["longitude"])
    assert np.allclose(events.geometry.y, events["latitude"])
    assert events["event_date"].dtype.kind == "M"
    assert (events["event_date"] == events["event_date"].dt.normalize()).all()
    assert events["fatalities"].dtype == "int64" and events["geo_precision"].dtype == "int64"
    assert events["event_type"].isin(EVENT_TYPES).all()
    assert events["event_id_cnty"].is_unique
    assert (events["source_file"] == name).all()


@pytest.mark.parametrize("name", sorted(GOOD_FILES))
def test_sniffing_matches_the_format(name: str) -> None:
    assert sniff_format(FIXTURES / name) == GOOD_FILES[name][0]


def test_acled_iso_values() -> None:
    result = read_acled_csv(FIXTURES / "acled_iso.csv")
    row = by_id(result, "MMRTEST003")
    assert row["event_date"] == pd.Timestamp("2023-11-15")
    assert row["event_type"] == "Violence against civilians"
    assert row["actor2"] == "Civilians (Test)"
    assert row["notes"] == "Test fixture: fictional attack, with a comma in the notes."
    assert (row["latitude"], row["longitude"]) == (24.26, 97.23)
    assert (row["geo_precision"], row["fatalities"]) == (2, 1)
    assert "timestamp" not in result.events.columns  # extra ACLED columns are dropped


def test_acled_spelled_dates_region_suffixes_and_column_order() -> None:
    result = read_acled_csv(FIXTURES / "acled_text_dates.csv")
    dates = result.events.set_index("event_id_cnty")["event_date"]
    assert dates["MMRTEST101"] == pd.Timestamp("2023-11-13")  # 13 November 2023
    assert dates["MMRTEST102"] == pd.Timestamp("2023-11-13")  # 13-November-2023
    assert dates["MMRTEST103"] == pd.Timestamp("2023-12-01")
    assert dates["MMRTEST104"] == pd.Timestamp("2024-01-02")  # 02 Jan 2024
    admin = result.events.set_index("event_id_cnty")[["admin1", "admin1_raw"]]
    assert admin.loc["MMRTEST101"].tolist() == ["Shan", "Shan-North"]
    assert admin.loc["MMRTEST102"].tolist() == ["Shan", "Shan-South"]
    assert admin.loc["MMRTEST103"].tolist() == ["Bago", "Bago-East"]
    assert by_id(result, "MMRTEST101")["source_url"] == "https://example.org/test/101"
    assert by_id(result, "MMRTEST102")["source_url"] == ""


def test_acled_timestamps_keep_the_calendar_date() -> None:
    dates = read_acled_csv(FIXTURES / "acled_timestamps.csv").events["event_date"]
    # 23:30 at +06:30 would be 17:00 UTC the same day; the written date is kept either way
    assert dates.dt.strftime("%Y-%m-%d").tolist() == ["2023-11-13", "2023-11-14", "2024-01-31"]


def test_ucdp_mapping() -> None:
    result = read_ucdp_csv(FIXTURES / "ucdp_ged.csv")
    events = result.events.set_index("event_id_cnty")
    assert list(events.index) == ["UCDP-990001", "UCDP-990002", "UCDP-990003", "UCDP-990004"]
    assert events["event_type"].tolist() == [
        "Battles",
        "Battles",
        "Violence against civilians",
        "Battles",
    ]
    assert events["sub_event_type"].tolist() == [
        "UCDP: state-based",
        "UCDP: non-state",
        "UCDP: one-sided",
        "UCDP: state-based",
    ]
    # where_prec 1, 2, 4, 3 -> 1, 2, 3, 2
    assert events["geo_precision"].tolist() == [1, 2, 3, 2]
    assert events["fatalities"].tolist() == [3, 1, 2, 0]  # the 'best' estimate
    assert events["admin1"].tolist() == ["Shan", "Shan", "Kachin", "Sagaing"]
    assert events["admin1_raw"].tolist() == ["Shan state", "Shan state", "Kachin state", "Sagaing region"]
    first = events.loc["UCDP-990001"]
    assert (first["actor1"], first["actor2"]) == ("Government of Testland", "Test Armed Group A")
    assert first["location"] == "Muse town"
    assert first["source"] == "Test fixture article, fictional"
    assert first["notes"] == "UCDP GED type_of_violence=1 (state-based)"
    spanning = events.loc["UCDP-990002"]
    assert spanning["event_date"] == pd.Timestamp("2023-11-14")
    assert "date_end=2023-11-16" in spanning["notes"]


def test_geojson_properties_and_defaults() -> None:
    result = read_events_geojson(FIXTURES / "events.geojson")
    first = by_id(result, "MMRTEST401")
    assert (first["longitude"], first["latitude"]) == (97.901, 23.985)
    assert (first["fatalities"], first["geo_precision"]) == (2, 1)
    assert by_id(result, "MMRTEST402")["notes"].endswith("မြစ်ကြီးနား.")
    generated = by_id(result, "events-F2")  # no id: named after the feature index
    assert (generated["fatalities"], generated["geo_precision"]) == (0, 3)
    assert generated["location"] == "清水河"
    assert generated["actor1"] == ""


def test_plain_csv_aliases_and_defaults() -> None:
    result = read_plain_csv(FIXTURES / "plain_events.csv")
    events = result.events
    assert events["event_id_cnty"].tolist() == ["plain_events-L2", "plain_events-L3", "plain_events-L4"]
    assert events["latitude"].tolist() == [23.985, 22.935, 25.38]
    assert events["longitude"].tolist() == [97.901, 97.75, 97.4]
    assert events["event_type"].tolist() == ["Battles", "Explosions/Remote violence", "Protests"]
    assert events["fatalities"].tolist() == [2, 0, 0]
    assert events["geo_precision"].tolist() == [3, 3, 3]
    assert events["event_date"].iloc[2] == pd.Timestamp("2023-11-13")


def test_acled_file_can_be_read_as_plain_csv() -> None:
    result = read_events(FIXTURES / "acled_iso.csv", format="csv")
    assert result.format == "csv"
    assert result.accepted == 5
    assert by_id(result, "MMRTEST005")["geo_precision"] == 3  # taken from the file, not defaulted


def test_burmese_and_chinese_text_survive_with_a_bom() -> None:
    assert (FIXTURES / "multilingual.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = read_events(FIXTURES / "multilingual.csv")
    assert by_id(result, "MMRTEST301")["location"] == "မူဆယ်"
    assert "နမ့်ခမ်း မြန်မာ" in by_id(result, "MMRTEST301")["notes"]
    assert by_id(result, "MMRTEST302")["location"] == "清水河 (Qingshuihe)"
    assert by_id(result, "MMRTEST302")["notes"] == "Test fixture: 中缅边境 fictional note."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Shan-North", "Shan"),
        ("Shan-East", "Shan"),
        ("Bago-West", "Bago"),
        ("Sagaing region", "Sagaing"),
        ("Rakhine State", "Rakhine"),
        ("Karen state", "Kayin"),
        ("Naypyidaw Union Territory", "Nay Pyi Taw"),
        ("  Chin ", "Chin"),
        ("", ""),
    ],
)
def test_normalise_admin1(raw: str, expected: str) -> None:
    assert normalise_admin1(pd.Series([raw])).tolist() == [expected]


def test_line_numbers_count_blank_lines_and_multiline_notes(tmp_path: Path) -> None:
    header = ",".join(EVENT_COLUMNS[:-1])

    def row(event_id: str, lat: str, notes: str) -> str:
        return f"{event_id},2023-11-13,Battles,Armed clash,A,B,Shan,,,Muse,{lat},97.9,1,0,Test,{notes}"

    text = "\n".join(
        [
            header,  # line 1
            row("T1", "23.9", '"Test fixture:\nnotes on\nthree lines"'),  # lines 2-4
            "",  # line 5
            row("T2", "95.5", "Test fixture"),  # line 6
            row("T3", "23.9", "Test fixture"),  # line 7
            row("T4", "x", "Test fixture"),  # line 8
        ]
    )
    path = tmp_path / "multiline.csv"
    path.write_text(text + "\n", encoding="utf-8")
    result = read_acled_csv(path)
    assert [(e.row, e.field) for e in result.rejected] == [(6, "latitude"), (8, "latitude")]
    assert result.events["event_id_cnty"].tolist() == ["T1", "T3"]
    assert result.events["notes"].iloc[0] == "Test fixture:\nnotes on\nthree lines"


def test_many_rows_are_counted_and_numbered(tmp_path: Path) -> None:
    count = 50_000
    ids = [f"T{i}" for i in range(count)]
    lat = np.where(np.arange(count) % 1000 == 7, "91", "23.9")
    frame = pd.DataFrame({column: "" for column in EVENT_COLUMNS[:-1]}, index=range(count))
    frame = frame.assign(
        event_id_cnty=ids,
        event_date="2023-11-13",
        event_type="Battles",
        latitude=lat,
        longitude="97.9",
        geo_precision="1",
        fatalities="0",
    )
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    result = read_acled_csv(path)
    assert result.rejected_rows == 50
    assert result.accepted == count - 50
    assert result.rejected[0].row == 9  # data row index 7 is on line 9
    assert all(e.field == "latitude" and e.value == "91" for e in result.rejected)


def test_report_and_summary(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        "date,lat,lon,event_type\n2023-11-13,23.9,97.9,Battles\n2023-11-13,95.2,97.9,Battles\n",
        encoding="utf-8",
    )
    result = read_plain_csv(path)
    report = result.report()
    assert report.splitlines()[0] == f"{path} (csv): 2 data rows, accepted 1, rejected 1"
    assert report.splitlines()[1] == "line 3, field lat: '95.2' is outside -90..90"
    summary = json.loads(json.dumps(result.summary_dict()))
    assert summary["accepted"] == 1 and summary["rejected"] == 1 and summary["rows"] == 2
    assert summary["problems"] == [
        {"line": 3, "unit": "line", "field": "lat", "value": "95.2", "reason": "is outside -90..90"}
    ]


TRICKY_CSV = '\ufeffid,notes,value\r\n1,"comma, inside",NA\r\n\r\n2,"two\nlines ""quoted""",  padded  \r\n3,,null\r\n'


@pytest.mark.parametrize("name", [*(name for name in GOOD_FILES if name.endswith(".csv")), "tricky"])
def test_the_fast_csv_reader_agrees_with_pandas(name: str) -> None:
    data = TRICKY_CSV.encode() if name == "tricky" else (FIXTURES / name).read_bytes()
    fast = read_well_formed_csv(data)
    assert fast is not None
    pd.testing.assert_frame_equal(fast, read_any_csv(Path(name), data))


@pytest.mark.parametrize(
    "data", [b"a,b\n1,2\n3\n", b"a,b\n1,2,3\n", b'a,b\n1,"open\n', b'a,b\n1,x"y\n', b"", b"\n"], ids=repr
)
def test_short_long_or_odd_records_go_to_pandas(data: bytes) -> None:
    assert read_well_formed_csv(data) is None


NUMBER_TEXTS = ["1", "1.5", "-3", "+4", "1e3", ".5", "inf", "NaN", "1e400", "00012", "1_000", "0x10", "1,5", "12abc"]


def test_fast_number_parsing_agrees_with_pandas() -> None:
    for text in NUMBER_TEXTS:
        expected = pd.to_numeric(pd.Series([text]), errors="coerce").astype("float64")
        pd.testing.assert_series_equal(to_float(pd.Series([text], dtype="str")), expected, obj=text)
    # one cell that is not a number sends the column to pandas; the others keep their values
    mixed = to_float(pd.Series(["12", "twelve", "1.5"], dtype="str"))
    assert mixed.iloc[0] == 12 and np.isnan(mixed.iloc[1]) and mixed.iloc[2] == 1.5


def test_empty_header_cells_from_a_spreadsheet_are_unnamed_columns(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(
        "event_date,latitude,longitude,event_type,,\n2024-01-04,23.9,97.9,Battles,,\n2024-01-05,23.9,97.9,Riots,,\n",
        encoding="utf-8",
    )
    result = read_events(path)
    assert (result.accepted, result.rejected) == (2, [])
