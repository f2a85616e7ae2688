"""The bad-input catalogue: hostile event files, fronts files, upload names and links, each with
what every entry point must say about it. Written for these tests; the events are fictional.

An event or fronts case either names a file-level ``error`` (a fragment of the message) or the
rows ``accepted`` and ``rejected`` and a fragment of one ``problem``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

HEADER = "date,lat,lng,event_type,location,fatalities,notes"
ROW = "2023-11-13,23.985,97.901,Battles,Muse,2,fictional test event"


def plain(*rows: str, header: str = HEADER, end: str = "\n") -> bytes:
    return (end.join([header, *rows]) + end).encode()


def rows(count: int) -> list[str]:
    return [f"2023-11-{10 + i},23.9,97.9,Battles,Muse,{i},fictional note {i}" for i in range(count)]


ACLED_HEADER = (
    "event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,admin1,admin2,admin3,location,"
    "latitude,longitude,geo_precision,fatalities,source,notes"
)


def acled(*cells: str) -> str:
    defaults = ["T1", "2023-11-13", "Battles", "Armed clash", "A", "B", "Shan", "", "", "Muse"]
    defaults += ["23.985", "97.901", "1", "0", "Test", "fictional"]
    return ",".join(cells + tuple(defaults[len(cells) :]))


UCDP_HEADER = (
    "id,date_start,date_end,side_a,side_b,latitude,longitude,best,adm_1,adm_2,where_coordinates,"
    "type_of_violence,source_article,where_prec"
)


def point(lon: Any, lat: Any, **properties: Any) -> dict[str, Any]:
    base = {"event_date": "2023-11-13", "event_type": "Battles", "notes": "fictional"}
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": base | properties,
    }


def collection(*features: Any, **members: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", **members, "features": list(features)}).encode()


def nested(depth: int) -> bytes:
    return ('{"type": "FeatureCollection", "features": ' + "[" * depth + "]" * depth + "}").encode()


@dataclass(frozen=True)
class FileCase:
    """One hostile file and what every reader must report."""

    id: str
    name: str
    content: bytes
    error: str = ""
    accepted: int = 0
    rejected: int = 0
    problem: str = ""
    fmt: str | None = None


def physical_data_lines(content: bytes) -> int:
    """Lines after a one-line header as an editor counts them (CR, LF or CRLF end a line)."""
    pieces = re.split(rb"\r\n|\r|\n", content)
    if pieces and pieces[-1] == b"":
        pieces.pop()
    return len(pieces) - 1


WIDE = ",".join(f"c{i}" for i in range(600))
BOM_HEADER = "\ufeffDATE,Lat,LNG,Event_Type,location,fatalities,notes"

EVENT_FILES: list[FileCase] = [
    FileCase("empty", "empty.csv", b"", error="file is empty"),
    FileCase("whitespace only", "blank.csv", b"  \n\n \r\n", error="file is empty"),
    FileCase("nul bytes", "nul.csv", plain(ROW) + b"\x00\x00", error="looks like a binary file"),
    FileCase(
        "latin-1",
        "latin1.csv",
        plain(ROW.replace("Muse", "M\xfcse")).replace(b"\xc3\xbc", b"\xfc"),
        error="is not UTF-8 text",
    ),
    FileCase("utf-16", "utf16.csv", (HEADER + "\n" + ROW + "\n").encode("utf-16"), error="looks like a binary file"),
    FileCase("png renamed", "picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", error="looks like a binary file"),
    FileCase("header only", "header.csv", plain(), error="has a header but no data rows"),
    FileCase(
        "doubled column",
        "doubled.csv",
        plain(ROW + ",x", header=HEADER + ",Notes"),
        error="columns appear twice: notes",
    ),
    FileCase(
        "600 columns",
        "wide.csv",
        (WIDE + "\n" + ",".join("1" * 600) + "\n").encode(),
        error="more than the 500 allowed",
    ),
    FileCase(
        "no coordinates",
        "nocoords.csv",
        plain("2023-11-13,Battles", header="date,event_type"),
        error="missing required columns for csv",
    ),
    FileCase("long record", "long.csv", plain(ROW, ROW + ",extra,cells"), error="line 3 has 9 fields, the header 7"),
    FileCase(
        "acled missing columns",
        "partial.csv",
        plain(ROW, header="event_id_cnty," + HEADER),
        error="missing required columns for acled",
        fmt="acled",
    ),
    FileCase("ucdp missing columns", "notucdp.csv", plain(ROW), error="missing required columns for ucdp", fmt="ucdp"),
    FileCase(
        "200 KiB field",
        "bigfield.csv",
        plain(ROW, ROW.replace("fictional test event", "x" * 200_000)),
        accepted=1,
        rejected=1,
        problem="is longer than 32,767 characters",
    ),
    FileCase(
        "200 KiB field, odd quotes",
        "bigquoted.csv",
        plain(ROW, '2023-11-13,23.9,97.9,Battles,Muse,1,"' + "y" * 200_000 + '"', 'x"y,1,2,Battles,Muse,0,z'),
        accepted=1,
        rejected=2,
        problem="is longer than 32,767 characters",
    ),
    FileCase("lone CR line ends", "mac.csv", plain(ROW, ROW, ROW, end="\r"), accepted=3),
    FileCase(
        "stray quotes four lines apart",
        "stray.csv",
        plain(*[r.replace("Muse,2,", '"Muse,2,').replace("Muse,6,", 'Muse",6,') for r in rows(10)]),
        accepted=5,
        rejected=1,
        problem="spans lines 4-8",
    ),
    FileCase(
        "stray quote in notes",
        "straynotes.csv",
        plain(*[r.replace(",fictional note 1", ',"fictional note 1').replace("note 4", 'note 4"') for r in rows(6)]),
        accepted=2,
        rejected=1,
        problem="spans lines 3-6",
    ),
    FileCase("CRLF and blank lines", "blanks.csv", plain(ROW, "", ROW, "", "", end="\r\n"), accepted=2),
    FileCase(
        "legit multi-line note",
        "multiline.csv",
        plain(ROW, '2023-11-14,23.9,97.9,Battles,Muse,0,"first line\nsecond line"'),
        accepted=2,
    ),
    FileCase(
        "formula cells",
        "formula.csv",
        plain(
            '2023-11-13,23.9,97.9,Battles,"=HYPERLINK(""http://x"")",0,@SUM(A1)',
            "2023-11-13,23.9,97.9,Battles,+cmd,0,-2+3",
        ),
        accepted=2,
    ),
    FileCase(
        "script in notes",
        "script.csv",
        plain(ROW.replace("fictional test event", "<script>alert(1)</script>{{7*7}}")),
        accepted=1,
    ),
    FileCase(
        "bad date",
        "baddate.csv",
        plain(ROW, ROW.replace("2023-11-13", "2023-13-45")),
        accepted=1,
        rejected=1,
        problem="is not a date",
    ),
    FileCase(
        "future date",
        "future.csv",
        plain(ROW, ROW.replace("2023-11-13", "2999-01-01")),
        accepted=1,
        rejected=1,
        problem="is in the future",
    ),
    FileCase(
        "latitude out of range",
        "lat.csv",
        plain(ROW.replace("23.985", "123.9")),
        accepted=0,
        rejected=1,
        problem="is outside -90..90",
    ),
    FileCase(
        "swapped columns",
        "swapcols.csv",
        plain(ROW, ROW.replace("23.985,97.901", "97.901,23.985")),
        accepted=1,
        rejected=1,
        problem="latitude and longitude look swapped",
    ),
    FileCase(
        "UTM metres in a CSV",
        "utm.csv",
        plain(ROW.replace("23.985,97.901", "2650000,500000")),
        accepted=0,
        rejected=1,
        problem="looks like projected metres",
    ),
    FileCase(
        "zero placeholder",
        "zero.csv",
        plain(ROW, ROW.replace("23.985,97.901", "0,0")),
        accepted=1,
        rejected=1,
        problem="(0, 0) placeholder",
    ),
    FileCase(
        "nan and inf",
        "naninf.csv",
        plain(ROW.replace("23.985", "nan"), ROW.replace("97.901", "inf"), ROW),
        accepted=1,
        rejected=2,
        problem="is not a number",
    ),
    FileCase(
        "negative fatalities",
        "negative.csv",
        plain(ROW.replace(",2,", ",-3,")),
        accepted=0,
        rejected=1,
        problem="is negative",
    ),
    FileCase(
        "5000-digit fatalities",
        "digits.csv",
        plain(ROW.replace(",2,", "," + "9" * 5000 + ",")),
        accepted=0,
        rejected=1,
        problem="fatalities",
    ),
    FileCase(
        "unknown event type",
        "type.csv",
        plain(ROW.replace("Battles", "Skirmish"), ROW),
        accepted=1,
        rejected=1,
        problem="is not one of",
    ),
    FileCase("BOM and header case", "bom.csv", plain(ROW, header=BOM_HEADER), accepted=1),
    FileCase("whitespace-only line", "spaceline.csv", plain(ROW, "   ", ROW), accepted=2),
    FileCase("short record", "short.csv", plain(ROW, "2023-11-13,23.9"), accepted=1, rejected=1, problem="is missing"),
    FileCase("commas only", "commas.csv", plain(ROW, ",,,,,,"), accepted=1, rejected=1, problem="is missing"),
    FileCase("quote inside a field", "midquote.csv", plain(ROW.replace("Muse", 'Mu"se')), accepted=1),
    FileCase(
        "unclosed quote at the end",
        "unclosed.csv",
        plain(ROW, '2023-11-13,23.9,97.9,Battles,Muse,1,"never closed'),
        error="the quote opened in the record on line 3 is never closed",
    ),
    FileCase(
        "Burmese text",
        "burmese.csv",
        plain(ROW.replace("Muse", "မူဆယ်").replace("fictional test event", "စမ်းသပ်")),
        accepted=1,
    ),
    FileCase(
        "control characters",
        "controls.csv",
        plain(ROW.replace("Muse", "Mu\x07se\x1b[31m").replace("fictional", "fic\x0btional")),
        accepted=1,
    ),
    FileCase("bidi override", "bidi.csv", plain(ROW.replace("Muse", "\u202eesuM\u202c")), accepted=1),
    FileCase("huge header name", "hugeheader.csv", plain(ROW + ",1", header=HEADER + "," + "h" * 100_000), accepted=1),
    FileCase(
        "acled duplicate ids",
        "dupids.csv",
        plain(acled(), acled(), header=ACLED_HEADER),
        accepted=1,
        rejected=1,
        problem="duplicates the id first seen on line 2",
    ),
    FileCase(
        "acled empty id",
        "emptyid.csv",
        plain(acled(""), header=ACLED_HEADER),
        accepted=0,
        rejected=1,
        problem="is missing",
    ),
    FileCase(
        "ucdp bad violence type",
        "ucdp.csv",
        plain("1,2023-11-13,2023-11-13,A,B,23.9,97.9,2,Shan,Muse,Muse,9,x,1", header=UCDP_HEADER),
        accepted=0,
        rejected=1,
        problem="is not 1, 2 or 3",
    ),
    FileCase("not JSON", "broken.geojson", b"{not json", error="is not valid JSON"),
    FileCase("nesting 10000 deep", "deep.geojson", nested(10_000), error="deeper than 64 levels"),
    FileCase("nesting 100 deep", "deep100.geojson", nested(100), error="deeper than 64 levels"),
    FileCase("top-level array", "array.geojson", b"[1, 2]", error="top-level type is 'list'"),
    FileCase(
        "single Feature", "feature.geojson", json.dumps(point(97.9, 23.9)).encode(), error="top-level type is 'Feature'"
    ),
    FileCase(
        "features not a list",
        "notlist.geojson",
        b'{"type": "FeatureCollection", "features": {"a": 1}}',
        error="has no 'features' array",
    ),
    FileCase("no features", "nofeatures.geojson", collection(), error="has no features"),
    FileCase(
        "features that are not objects",
        "scalars.geojson",
        collection(point(97.9, 23.9), "text", 7, None),
        accepted=1,
        rejected=3,
        problem="is not a GeoJSON Feature object",
    ),
    FileCase(
        "properties a list",
        "proplist.geojson",
        collection(point(97.9, 23.9), {"type": "Feature", "geometry": None, "properties": [1, 2]}),
        accepted=1,
        rejected=1,
        problem="is not an object",
    ),
    FileCase(
        "properties a string",
        "propstr.geojson",
        collection(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [97.9, 23.9]}, "properties": "x"},
            point(97.9, 23.9),
        ),
        accepted=1,
        rejected=1,
        problem="is not an object",
    ),
    FileCase(
        "Circle geometry",
        "circle.geojson",
        collection(
            point(97.9, 23.9),
            {**point(97.9, 23.9), "geometry": {"type": "Circle", "coordinates": [97.9, 23.9], "radius": 5}},
        ),
        accepted=1,
        rejected=1,
        problem="is not a Point",
    ),
    FileCase(
        "null geometry",
        "nullgeom.geojson",
        collection({**point(97.9, 23.9), "geometry": None}),
        accepted=0,
        rejected=1,
        problem="is missing",
    ),
    FileCase(
        "empty coordinates",
        "emptycoords.geojson",
        collection({**point(97.9, 23.9), "geometry": {"type": "Point", "coordinates": []}}),
        accepted=0,
        rejected=1,
        problem="has no [longitude, latitude] numbers",
    ),
    FileCase(
        "swapped coordinates",
        "swapped.geojson",
        collection(point(23.9, 97.9), point(97.9, 23.9)),
        accepted=1,
        rejected=1,
        problem="latitude and longitude look swapped",
    ),
    FileCase(
        "projected metres",
        "metres.geojson",
        collection(point(500000, 2650000)),
        accepted=0,
        rejected=1,
        problem="looks like projected metres",
    ),
    FileCase(
        "crs member UTM",
        "utm.geojson",
        collection(point(500000, 2650000), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32647"}}),
        error="declares CRS 'urn:ogc:def:crs:EPSG::32647'",
    ),
    FileCase(
        "crs member a string",
        "crsstr.geojson",
        collection(point(97.9, 23.9), crs="EPSG:3857"),
        error="has a 'crs' member without a name",
    ),
    FileCase(
        "NaN literal",
        "nan.geojson",
        collection(point(97.9, 23.9)).replace(b"97.9", b"NaN"),
        accepted=0,
        rejected=1,
        problem="is not a number",
    ),
    FileCase(
        "boolean coordinates",
        "bools.geojson",
        collection(point(True, False)),
        accepted=0,
        rejected=1,
        problem="has no [longitude, latitude] numbers",
    ),
    FileCase(
        "600 properties",
        "manyprops.geojson",
        collection(point(97.9, 23.9, **{f"p{i}": i for i in range(600)})),
        error="distinct properties, more than the 500 allowed",
    ),
    FileCase(
        "properties differing in case",
        "case.geojson",
        collection(point(97.9, 23.9, Notes="x")),
        error="properties appear twice: notes",
    ),
    FileCase(
        "200 KiB property",
        "bigprop.geojson",
        collection(point(97.9, 23.9, notes="z" * 200_000), point(97.9, 23.9)),
        accepted=1,
        rejected=1,
        problem="is longer than 32,767 characters",
    ),
]

FRONT_LINE = {"type": "LineString", "coordinates": [[97.5, 23.5], [98.0, 24.0]]}
FRONT_PROPS = {"front": "Northern Shan", "actor": "Test group", "valid_from": "2023-11-01", "valid_to": ""}


def front(geometry: Any = FRONT_LINE, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": FRONT_PROPS | properties}


UTM_LINE = {"type": "LineString", "coordinates": [[500000, 2600000], [550000, 2650000]]}

FRONT_FILES: list[FileCase] = [
    FileCase("fronts: not JSON", "f-broken.geojson", b"not json", error="is not valid JSON"),
    FileCase("fronts: nesting 5000 deep", "f-deep.geojson", nested(5000), error="deeper than 64 levels"),
    FileCase(
        "fronts: Circle geometry",
        "f-circle.geojson",
        collection(front(), front({"type": "Circle", "coordinates": [98, 23]})),
        accepted=1,
        rejected=1,
        problem="must be a (Multi)LineString or (Multi)Polygon",
    ),
    FileCase(
        "fronts: properties a list",
        "f-proplist.geojson",
        collection(front(), {**front(), "properties": ["front"]}),
        accepted=1,
        rejected=1,
        problem="is not an object",
    ),
    FileCase(
        "fronts: feature a number",
        "f-number.geojson",
        collection(front(), 42),
        accepted=1,
        rejected=1,
        problem="is not a GeoJSON feature",
    ),
    FileCase(
        "fronts: projected metres, no crs",
        "f-metres.geojson",
        collection(front(UTM_LINE), front()),
        accepted=1,
        rejected=1,
        problem="projected metres?",
    ),
    FileCase(
        "fronts: crs member UTM, reprojected",
        "f-utm.geojson",
        collection(front(UTM_LINE), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32647"}}),
        accepted=1,
    ),
    FileCase(
        "fronts: unknown crs",
        "f-crs.geojson",
        collection(front(), crs={"type": "name", "properties": {"name": "EPSG:999999"}}),
        error="which is not known",
    ),
    FileCase(
        "fronts: swapped coordinates",
        "f-swapped.geojson",
        collection(front({"type": "LineString", "coordinates": [[23.5, 97.5], [24.0, 98.0]]})),
        accepted=0,
        rejected=1,
        problem="latitude before longitude",
    ),
    FileCase(
        "fronts: empty geometry",
        "f-empty.geojson",
        collection(front({"type": "Polygon", "coordinates": []}), front()),
        accepted=1,
        rejected=1,
        problem="is empty",
    ),
    FileCase(
        "fronts: ragged coordinates",
        "f-ragged.geojson",
        collection(front({"type": "Polygon", "coordinates": [1, 2]})),
        accepted=0,
        rejected=1,
        problem="nested the wrong way",
    ),
    FileCase(
        "fronts: bow-tie polygon",
        "f-bowtie.geojson",
        collection(front({"type": "Polygon", "coordinates": [[[97, 23], [98, 24], [98, 23], [97, 24], [97, 23]]]})),
        accepted=0,
        rejected=1,
        problem="is not a valid geometry",
    ),
    FileCase(
        "fronts: control characters in names",
        "f-controls.geojson",
        collection(front(front="North\x07ern\x1b Shan\x00", actor="A\x0cB")),
        accepted=1,
    ),
    FileCase("fronts: no features", "f-none.geojson", collection(), error="has no features"),
]


@dataclass(frozen=True)
class NameCase:
    """An upload name and the name the page must show instead ("" when Streamlit itself refuses
    the upload before the page runs, as it does a name holding NUL)."""

    id: str
    name: str
    shown: str


NAME_CASES = [
    NameCase("91 Burmese letters", "မ" * 91 + ".csv", "မ" * 38 + ".csv"),
    NameCase("NUL in the name", "ev\x00ents.csv", ""),
    NameCase("path traversal", "../../etc/passwd.csv", "_.._etc_passwd.csv"),
    NameCase("markup in the name", "<img src=x onerror=alert(1)>.csv", "<img src=x onerror=alert(1)>.csv"),
]


@dataclass(frozen=True)
class LinkCase:
    """A hand-edited link and the notice the page must show about it."""

    id: str
    query: dict[str, str]
    notice: str


LINK_CASES = [
    LinkCase("superscript digit", {"min_fatalities": "²"}, 'min_fatalities="²" ignored: not a whole number'),
    LinkCase("5000-digit number", {"min_fatalities": "9" * 5000}, "ignored: longer than 200 characters"),
    LinkCase("17-digit number", {"min_fatalities": "9" * 17}, "ignored: not a whole number"),
    LinkCase("negative number", {"min_fatalities": "-5"}, "ignored: not a whole number"),
    LinkCase("impossible date", {"start": "2024-99-99"}, 'start="2024-99-99" ignored: not a date'),
    LinkCase(
        "end before start", {"start": "2024-01-10", "end": "2023-11-01"}, "before start 2024-01-10; both left out"
    ),
    LinkCase("NUL in a date", {"end": "2024-01-01\x00"}, "ignored: not a date"),
    LinkCase("garbage as-of date", {"asof": "yesterday"}, 'asof="yesterday" ignored: not a date'),
    LinkCase("unknown layer", {"layers": "bogus,states"}, 'layers="bogus" ignored: not a known id'),
    LinkCase("script as basemap", {"basemap": "<script>"}, 'basemap="<script>" ignored: not a known choice'),
    LinkCase("unknown event type", {"type": "Skirmish"}, 'type="Skirmish" ignored: not in this data'),
    LinkCase("300-character actor", {"actor": "a" * 300}, "ignored: longer than 200 characters"),
    LinkCase("garbage since date", {"since": "last week"}, 'since="last week" ignored: not a date'),
    LinkCase("unknown state", {"state": "Atlantis"}, 'state="Atlantis" ignored: not in this data'),
]
