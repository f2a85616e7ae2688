"""The events layer: packed arrays decode to the events, and event text stays text."""

from __future__ import annotations

import base64
import gzip
import json
import subprocess
from dataclasses import replace
from datetime import date

import folium
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from geo.filters import EventFilter
from layers.base import MapData
from layers.events import (
    APPROXIMATE_LABEL,
    EVENT_TYPE_COLOURS,
    LAYER,
    EventChannel,
    PackedEventMarkers,
    filter_spec,
    pack_events,
    publish_events,
    safe_json,
)
from layers.heatmap import HEAT_GRADIENT, PackedHeatmap
from layers.mapview import standalone_map
from tests.helpers import REPO_ROOT, make_events

HOSTILE_ACTOR = "<img src=x onerror=alert(1)>"
HOSTILE_NOTES = "</script><script>alert(2)</script>"


def decode(column: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(column["data"]), dtype=np.dtype(column["type"]).newbyteorder("<"))


def sample_events():
    return make_events(
        [
            {"event_date": "2023-10-27", "latitude": 23.9, "longitude": 98.6, "actor1": "MNDAA", "fatalities": 5},
            {
                "event_date": "2023-11-13",
                "latitude": 20.4,
                "longitude": 92.8,
                "actor1": "AA",
                "event_type": "Explosions/Remote violence",
                "location": "ရသေ့တောင်",
            },
            {
                "event_date": "2024-01-04",
                "latitude": 23.7,
                "longitude": 98.76,
                "actor1": HOSTILE_ACTOR,
                "notes": HOSTILE_NOTES,
                "event_type": "Unknown kind",
                "fatalities": 70000,
                "location": "清水河",
            },
        ]
    )


def test_packed_columns_decode_to_the_events() -> None:
    events = sample_events()
    packed = pack_events(events)
    assert packed["n"] == 3
    lat = packed["lat0"] + decode(packed["lat"]) * packed["latScale"]
    lon = packed["lon0"] + decode(packed["lon"]) * packed["lonScale"]
    np.testing.assert_allclose(lat, events["latitude"], atol=1e-4)
    np.testing.assert_allclose(lon, events["longitude"], atol=1e-4)
    days = decode(packed["day"]).astype("timedelta64[D]") + np.datetime64("1970-01-01")
    assert [str(d) for d in days] == ["2023-10-27", "2023-11-13", "2024-01-04"]
    assert list(decode(packed["fatalities"])) == [5, 0, 65535]
    types = [packed["types"][code] for code in decode(packed["eventType"])]
    assert types == ["Battles", "Explosions/Remote violence", "Other"]
    actors = [packed["actor1Table"][code] for code in decode(packed["actor1"])]
    assert actors == ["MNDAA", "AA", HOSTILE_ACTOR]
    places = [packed["locationTable"][code] for code in decode(packed["location"])]
    assert places[1] == "ရသေ့တောင်"
    assert list(decode(packed["precision"])) == [1, 1, 1]
    # Optional columns travel empty; the filter's state falls back to admin1 before enrichment.
    assert packed["assoc1Table"] == [""] and packed["placementTable"] == [""]
    assert packed["stateTable"] == ["Shan"]
    assert "notes" not in json.dumps(packed)  # per-event text travels in detail chunks, on demand


def test_many_events_cost_few_html_bytes_each() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    events = make_events(
        [
            {
                "event_date": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "latitude": 16 + 10 * rng.random(),
                "longitude": 93 + 6 * rng.random(),
                "actor1": f"Actor {i % 40}",
                "location": f"Town {i % 500}",
                "fatalities": int(rng.integers(0, 30)),
            }
            for i in range(n)
        ]
    )
    # Fourteen coded text columns for popups and filters (one byte each here) and six numeric ones.
    assert len(safe_json(pack_events(events)).encode()) / n < 35
    # The page sends a channel to columns published once: a page run's script does not grow with n.
    channel = EventChannel("k", "/columns.json", "/details-{chunk}.json").with_filter(EventFilter())
    markers = PackedEventMarkers(channel=channel).add_to(folium.FeatureGroup())
    assert len(markers._template.module.script(markers).encode()) < 1_000


def test_safe_json_cannot_break_out_of_a_script_element() -> None:
    encoded = safe_json({"notes": HOSTILE_NOTES, "actor": HOSTILE_ACTOR, "amp": "a & b"})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == {"notes": HOSTILE_NOTES, "actor": HOSTILE_ACTOR, "amp": "a & b"}


def test_hostile_event_text_never_reaches_the_map_html_as_markup(map_data: MapData) -> None:
    data = replace(map_data, events=sample_events())
    html = standalone_map(data, ["events"]).get_root().render()
    assert HOSTILE_ACTOR not in html
    assert "<script>alert(2)" not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    # Popups are built from text nodes, never innerHTML.
    script = (REPO_ROOT / "layers/js/events.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script
    assert "McmEvents.attach(L," in html


def test_opacity_is_validated() -> None:
    with pytest.raises(ValueError, match="opacity must be between 0 and 1"):
        PackedEventMarkers(sample_events(), opacity=2)
    with pytest.raises(ValueError, match="either the events or a channel"):
        PackedEventMarkers()


def test_heatmap_points_travel_packed_and_decode_to_their_places() -> None:
    lat, lon = np.array([21.0, 23.5, 28.4]), np.array([92.5, 97.9, 101.1])
    weight = np.array([1.0, 1.0 + np.log1p(30), 1.0])
    heat = PackedHeatmap(lat, lon, weight, radius=18, blur=15)
    packed = json.loads(heat.payload)

    def decoded(key: str) -> np.ndarray:
        steps = np.frombuffer(base64.b64decode(packed[key]["data"]), dtype="<u2")
        return packed[key + "0"] + steps * packed[key + "Scale"]

    assert packed["n"] == 3
    np.testing.assert_allclose(decoded("lat"), lat, atol=1e-3)
    np.testing.assert_allclose(decoded("lon"), lon, atol=1e-3)
    np.testing.assert_allclose(decoded("weight"), weight, atol=1e-3)
    gradient = {str(stop): colour for stop, colour in HEAT_GRADIENT.items()}
    assert json.loads(heat.options) == {
        "radius": 18,
        "blur": 15,
        "minOpacity": 0.5,
        "maxZoom": 18,
        "gradient": gradient,
    }


@pytest.mark.parametrize(
    ("lat", "weight", "message"),
    [([], [], "non-empty"), ([21.0, 22.0], [1.0], "equal length"), ([21.0], [0.0], "above 0")],
)
def test_heatmap_input_is_checked(lat: list[float], weight: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PackedHeatmap(np.array(lat), np.array(lat), np.array(weight), radius=18, blur=15)


def published_events():
    events = sample_events()
    events["geo_precision"] = [1, 2, 3]
    events["state"] = ["Shan", "Rakhine", "Shan"]
    events["source_url"] = ["https://example.org/a", "", "javascript:alert(1)"]
    events["sub_event_type"] = ["Armed clash", "Armed clash", "Shelling/artillery/missile attack"]
    events["interaction"] = ["State forces-Rebel group", None, "Rebel group only"]
    events["admin1_raw"] = ["Shan-North", "Rakhine", "Shan-East"]
    return events


def test_publish_writes_columns_and_detail_chunks_once_per_key(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("layers.events.DETAIL_CHUNK", 2)
    events = published_events()
    channel = publish_events(events, "abc123", tmp_path, "/base")
    folder = tmp_path / channel.key
    assert channel.url == f"/base/{channel.key}/columns.json.gz"
    assert json.loads(gzip.decompress((folder / "columns.json.gz").read_bytes())) == json.loads(
        safe_json(pack_events(events))
    )
    chunks = [json.loads((folder / f"details-{k}.json").read_text(encoding="utf-8")) for k in range(2)]
    assert chunks[0][0] == ["TEST0", "test fixture, not a real event", "https://example.org/a"]
    assert chunks[1] == [["TEST2", HOSTILE_NOTES, "javascript:alert(1)"]]  # text as is; events.js links http(s) only
    assert channel.details_url.replace("{chunk}", "1") == f"/base/{channel.key}/details-1.json"
    assert not list(tmp_path.glob(".partial-*"))

    # Published once: a second call with the same key reuses the folder as it is.
    (folder / "columns.json.gz").write_bytes(b"kept")
    assert publish_events(events, "abc123", tmp_path, "/base") == channel
    assert (folder / "columns.json.gz").read_bytes() == b"kept"


def test_publish_keeps_only_the_latest_data_sets(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("layers.events.KEEP_PUBLISHED", 2)
    events = published_events()
    keys = [publish_events(events, f"k{i}", tmp_path).key for i in range(3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keys[1:])


@pytest.mark.parametrize("key", ["", "../up", "a/b", "x" * 129])
def test_publish_refuses_keys_that_are_not_plain_names(tmp_path, key: str) -> None:
    with pytest.raises(ValueError, match="data set key"):
        publish_events(published_events(), key, tmp_path)


FILTERS = [
    EventFilter(),
    EventFilter(start=date(2023, 11, 1)),
    EventFilter(end=date(2023, 11, 13)),
    EventFilter(event_types={"Battles", "Riots"}),
    EventFilter(actors={"AA", "Actor B"}),
    EventFilter(actors={"AA"}),
    EventFilter(states={"Shan"}),
    EventFilter(min_fatalities=5),
    EventFilter(start=date(2023, 10, 1), end=date(2023, 12, 31), states={"Shan"}, min_fatalities=1),
    EventFilter(sub_event_types={"Armed clash"}),
    EventFilter(interactions={"State forces-Rebel group"}),
    EventFilter(admin1_raw={"Shan-North", "Shan-East"}),
    EventFilter(actor_text="aa"),
    EventFilter(actor_text="ACTOR"),
    EventFilter(actor_text="nobody at all"),
    EventFilter(sub_event_types={"Armed clash"}, actor_text="b", min_fatalities=1),
]


def test_the_browser_filter_keeps_the_same_events_as_the_page(tmp_path) -> None:
    """events.js filters the published columns with filter_spec; it must keep exactly EventFilter.mask's rows."""
    events = published_events()
    packed = tmp_path / "columns.json"
    packed.write_text(safe_json(pack_events(events)), encoding="utf-8")
    specs = tmp_path / "specs.json"
    specs.write_text(json.dumps([filter_spec(f) for f in FILTERS]), encoding="utf-8")
    script = (
        "const e = require(process.argv[1]); const fs = require('fs');"
        "const events = e.decode(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')));"
        "const specs = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));"
        "console.log(JSON.stringify(specs.map((s) => e.filterByType(events, s).flatMap((l) => [...l]).sort())));"
    )
    result = subprocess.run(
        ["node", "-e", script, str(REPO_ROOT / "layers/js/events.js"), str(packed), str(specs)],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = [np.flatnonzero(f.mask(events)).tolist() for f in FILTERS]
    assert json.loads(result.stdout) == expected
    assert len({tuple(rows) for rows in expected}) > 4  # the filters do tell the events apart
    assert set(filter_spec(EventFilter())) >= {  # every field the sidebar sets reaches the browser
        "start", "end", "types", "actors", "states", "minFatalities", "subTypes", "interactions", "admin1Raw",
        "actorText",
    }  # fmt: skip


def test_legend_lists_the_types_present_and_approximate_positions(map_data: MapData) -> None:
    events = published_events()
    entries = LAYER.legend_entries(replace(map_data, events=events))
    assert [e.label for e in entries] == ["Battles", "Explosions/Remote violence", "Other", APPROXIMATE_LABEL]
    assert entries[-1].kind == "hollow-point"
    exact = events[events["geo_precision"] == 1]
    assert [e.label for e in LAYER.legend_entries(replace(map_data, events=exact))] == ["Battles"]
    assert LAYER.legend_entries(replace(map_data, events=events.iloc[:0])) == ()


def test_static_events_draw_approximate_positions_hollow(map_data: MapData) -> None:
    figure, ax = plt.subplots()
    LAYER.draw_static(ax, replace(map_data, events=published_events()))
    exact, hollow = ax.collections
    assert len(exact.get_offsets()) == 1 and len(hollow.get_offsets()) == 2
    assert exact.get_facecolors()[0][3] > 0
    assert len(hollow.get_facecolors()) == 0 or hollow.get_facecolors()[:, 3].max() == 0
    explosions = to_rgb(EVENT_TYPE_COLOURS["Explosions/Remote violence"])
    np.testing.assert_allclose(hollow.get_edgecolors()[0][:3], explosions)
    plt.close(figure)
