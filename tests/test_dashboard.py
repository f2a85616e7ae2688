"""The page, run headless through Streamlit's AppTest."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from geo.dataset import SAMPLE_EVENTS
from geo.fronts import read_fronts_geojson
from geo.store import DATA_ENV
from layers import registry
from layers.base import MapData
from layers.events import EVENT_TYPE_COLOURS

TIMEOUT_S = 60


def run_page(**query: str) -> AppTest:
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def test_page_has_one_toggle_per_registered_layer() -> None:
    app = run_page()
    assert not app.exception
    toggles = [box for box in app.checkbox if box.key.startswith("layer_")]
    assert [box.label for box in toggles] == [layer.title for layer in registry()]
    assert [box.value for box in toggles] == [layer.default_visible for layer in registry()]
    assert app.title[0].value == "Myanmar border conflict map"


def test_unticking_a_layer_updates_the_shareable_url() -> None:
    app = run_page()
    app.checkbox(key="layer_crossings").uncheck().run()
    assert not app.exception
    layers = app.query_params["layers"]
    visible = (layers if isinstance(layers, str) else layers[0]).split(",")
    assert "crossings" not in visible
    assert "states" in visible


def test_layers_and_basemap_are_read_from_the_url() -> None:
    app = run_page(layers="states,borders", basemap="osm")
    assert not app.exception
    ticked = {box.key.removeprefix("layer_") for box in app.checkbox if box.value and box.key.startswith("layer_")}
    assert ticked == {"states", "borders"}
    assert app.radio(key="basemap").value == "osm"


def test_unknown_basemap_in_url_falls_back_to_offline() -> None:
    app = run_page(basemap="satellite")
    assert app.radio(key="basemap").value == "offline"


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def test_page_shows_the_cited_sample_with_statistics(map_data: MapData) -> None:
    app = run_page()
    assert not app.exception
    assert metric(app, "Events") == f"{len(map_data.events):,}"
    assert metric(app, "Fatalities") == f"{int(map_data.events['fatalities'].sum()):,}"
    assert metric(app, "States and regions affected") == "3"


def test_event_type_filter_changes_the_statistics_and_the_url(map_data: MapData) -> None:
    app = run_page()
    app.multiselect(key="types").set_value(["Explosions/Remote violence"]).run()
    expected = map_data.events[map_data.events["event_type"] == "Explosions/Remote violence"]
    assert metric(app, "Events") == f"{len(expected):,}"
    assert metric(app, "Fatalities") == f"{int(expected['fatalities'].sum()):,}"
    types = app.query_params["type"]
    assert (types if isinstance(types, str) else types[0]) == "Explosions/Remote violence"


def test_filters_are_read_from_a_shared_url(map_data: MapData) -> None:
    app = run_page(type="Battles", min_fatalities="5", start="2023-11-01")
    events = map_data.events
    expected = events[
        (events["event_type"] == "Battles") & (events["fatalities"] >= 5) & (events["event_date"] >= "2023-11-01")
    ]
    assert app.multiselect(key="types").value == ["Battles"]
    assert metric(app, "Events") == f"{len(expected):,}"


def test_uploaded_file_text_stays_text_and_only_web_links_are_clickable() -> None:
    header = "event_date,latitude,longitude,event_type,actor1,notes,source_url"
    rows = [
        "2024-01-04,23.696,98.762,Battles,<b>Actor</b>,test fixture,javascript:alert(1)",
        "2024-01-05,23.9,97.9,Battles,Other,test fixture,https://example.org/report",
    ]
    app = run_page()
    content = "\n".join([header, *rows]).encode()
    app.file_uploader(key="events_upload").set_value(("upload.csv", content, "text/csv")).run()
    assert not app.exception
    assert len(app.dataframe) == 1  # the per-state table: the event table is built only when asked for
    app.toggle(key="event_table").set_value(True).run()
    table = app.dataframe[-1].value
    assert sorted(table["source_url"]) == ["", "https://example.org/report"]
    assert "<b>Actor</b>" in set(table["actor1"])  # shown as the literal text the file holds


def test_filter_choices_are_found_once_per_data_set(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.sidebar

    calls: list[int] = []

    def counted(values: pd.Series) -> list[str]:
        calls.append(len(values))
        return distinct(values)

    distinct = ui.sidebar._distinct
    monkeypatch.setattr("ui.sidebar._distinct", counted)
    header = "event_date,latitude,longitude,event_type,actor1,actor2,fatalities"
    rows = ["2024-01-04,23.696,98.762,Battles,MNDAA,Tatmadaw,3", "2024-01-09,23.9,97.9,Battles,KIA,,0"]
    app = run_page()
    app.file_uploader(key="events_upload").set_value(("choices.csv", "\n".join([header, *rows]).encode(), "text/csv"))
    app.run()
    assert not app.exception
    found = len(calls)
    assert found > 0
    app.number_input(key="min_fatalities").set_value(1).run()
    assert not app.exception and metric(app, "Events") == "1"
    assert len(calls) == found  # a filter change finds no choices again
    assert app.multiselect(key="actors").options == ["KIA", "MNDAA", "Tatmadaw"]


def test_rejected_rows_are_announced_and_reported_by_line_and_field() -> None:
    header = "event_date,latitude,longitude,event_type,actor1"
    rows = ["2024-01-04,23.696,98.762,Battles,Good", "2024-01-05,23.9,north,Battles,Bad"]
    app = run_page()
    content = "\n".join([header, *rows]).encode()
    app.file_uploader(key="events_upload").set_value(("my-events.csv", content, "text/csv")).run()
    assert not app.exception
    assert [w.value for w in app.warning] == [
        "1 of 2 rows were rejected; the import report below gives the line, field and reason of each problem."
    ]
    (expander,) = [e for e in app.expander if e.label.startswith("Import report")]
    assert expander.label == "Import report: my-events.csv: 1 accepted, 1 rejected"
    report = expander.text[0].value
    assert report.splitlines()[0].startswith("my-events.csv (csv): 2 data rows")  # the name, not a temp path
    assert "line 3, field longitude: 'north' is not a number" in report
    # The one event left is on one day: no date sliders (they need two ends), a caption instead.
    assert "Every event is dated 2024-01-04." in [c.value for c in app.sidebar.caption]
    assert not [s for s in app.sidebar.slider if s.key in ("period", "as_of")]


def test_a_malformed_date_in_the_url_is_ignored() -> None:
    app = run_page(asof="2024-13-45")
    assert not app.exception
    assert app.slider(key="as_of").value == app.slider(key="period").value[1]


def test_uploaded_fronts_are_read_once_and_their_problems_named_by_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    fronts = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[97.5, 23.5], [98.0, 24.0]]},
                "properties": {"front": "{{7*7}} <b>x</b>", "actor": "A", "valid_from": "2023-11-01", "source": "t"},
            },
            {"type": "Feature", "geometry": None, "properties": {"front": "bad"}},
        ],
    }
    reads: list[object] = []

    def counted(path: object) -> object:
        reads.append(path)
        return read_fronts_geojson(path)

    monkeypatch.setattr("ui.sidebar.read_fronts_geojson", counted)
    app = run_page()
    content = json.dumps(fronts).encode()
    app.file_uploader(key="fronts_upload").set_value(("my-fronts.geojson", content, "application/geo+json")).run()
    assert not app.exception
    assert [w.value for w in app.warning] == ["Some fronts were rejected:"]
    report = app.text[0].value
    assert report.splitlines()[0] == "my-fronts.geojson: 2 features, accepted 1, rejected 1"
    assert "features[1], field geometry: value is missing" in report
    app.number_input(key="min_fatalities").set_value(1).run()
    assert not app.exception
    assert len(reads) == 1  # read once; later runs take it from the session


@pytest.mark.parametrize(
    "query",
    [
        {"state": "Nowhere"},
        {"type": "Unknown"},
        {"actor": "<b>x</b>"},
        {"min_fatalities": "99999999999999999999999"},
        {"start": "2024-99-99"},
        {"layers": "bogus,states"},
        {"basemap": "<script>"},
    ],
    ids=lambda query: ",".join(query),
)
def test_a_hand_edited_link_never_breaks_the_page(query: dict[str, str]) -> None:
    app = run_page(**query)
    assert not app.exception
    assert app.multiselect(key="states").value == [] and app.multiselect(key="types").value == []


def test_an_upload_is_deleted_from_disk_once_read_and_a_new_one_replaces_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    header = "event_date,latitude,longitude,event_type,actor1"
    app = run_page()
    first = "\n".join([header, "2024-01-04,23.696,98.762,Battles,First", "2024-01-06,23.9,97.9,Battles,First"])
    app.file_uploader(key="events_upload").set_value(("first.csv", first.encode(), "text/csv")).run()
    assert not app.exception and list(tmp_path.iterdir()) == []
    second = "\n".join([header, "2024-01-04,23.696,98.762,Battles,Second", "2024-01-08,23.9,97.9,Riots,Second"])
    app.file_uploader(key="events_upload").set_value(("second.csv", second.encode(), "text/csv")).run()
    assert not app.exception and list(tmp_path.iterdir()) == []
    assert [e.label for e in app.expander if e.label.startswith("Import report")] == [
        "Import report: second.csv: 2 accepted, 0 rejected"
    ]
    assert app.multiselect(key="actors").options == ["Second"]


def test_an_unreadable_fronts_file_is_named_as_uploaded() -> None:
    app = run_page()
    app.file_uploader(key="fronts_upload").set_value(("lines.geojson", b"not json", "application/geo+json")).run()
    assert not app.exception
    assert [e.value for e in app.sidebar.error] == ["The fronts file could not be loaded:"]
    (message,) = [t.value for t in app.sidebar.text]
    assert message == "lines.geojson: is not valid JSON (line 1, column 1: Expecting value)"


def test_weekly_chart_stacks_the_shown_events_in_the_map_colours(map_data: MapData) -> None:
    app = run_page()
    (chart,) = app.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    scale = spec["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        event_type: EVENT_TYPE_COLOURS[event_type] for event_type in set(map_data.events["event_type"])
    }
    rows = pa.ipc.open_stream(chart.proto.data.data).read_all().to_pandas()
    assert rows["events"].sum() == len(map_data.events)


def test_an_uploaded_file_name_is_not_read_as_markdown() -> None:
    content = b"event_date,latitude,longitude,event_type\n2024-01-04,23.9,97.9,Battles\n2024-01-05,23.9,97.9,Riots\n"
    app = run_page()
    app.file_uploader(key="events_upload").set_value(("[x](e.org)*b*.csv", content, "text/csv")).run()
    assert not app.exception
    (label,) = [e.label for e in app.expander if e.label.startswith("Import report")]
    assert label == r"Import report: \[x\](e.org)\*b\*.csv: 2 accepted, 0 rejected"


@pytest.fixture(autouse=True)
def own_control_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page test edits its own store (seeded from the shipped history), not the browser tests' one."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path_factory.mktemp("control-store")))


def fill_control_form(app: AppTest, place: str, **values: object) -> AppTest:
    """Pick ``place`` in the editor, then fill the form's fields (by key suffix) and press Save."""
    app.selectbox(key="edit_place").set_value(place).run()
    for key, value in values.items():
        widget = app.selectbox(key=f"edit_{key}") if key in {"controller", "status", "confidence", "corrects"} else None
        (widget or app.text_input(key=f"edit_{key}")).set_value(value)
    next(button for button in app.button if button.label == "Save").click()
    return app.run()


def test_editing_a_township_saves_it_and_shows_it_in_its_history(monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_page(asof="2024-01-31")
    place = next(option for option in app.selectbox(key="edit_place").options if option.startswith("Kutkai (township"))
    app = fill_control_form(
        app,
        place,
        controller="tnla",
        confidence="claimed",
        source_name="Page test <b>fixture</b>",
        source_url="https://example.org/page-test",
        editor="Page tester",
    )
    assert not app.exception
    assert [message.value for message in app.error] == []
    assert any("Saved: Kutkai TNLA" in message.value for message in app.success)
    history = app.dataframe[-1].value
    assert history.iloc[0]["control"] == "TNLA" and history.iloc[0]["by"] == "Page tester"
    assert "Page test <b>fixture</b>" in history.iloc[0]["sources"]
    assert any(re.fullmatch(r"On [-0-9]+: TNLA, claimed\.", caption.value) for caption in app.caption)
    # A later run leaves the confirmation until another place is opened.
    app.run()
    assert any("Saved: Kutkai TNLA" in message.value for message in app.success)
    other = next(option for option in app.selectbox(key="edit_place").options if option.startswith("Laukkaing"))
    app.selectbox(key="edit_place").set_value(other).run()
    assert not any("Saved: Kutkai" in message.value for message in app.success)


def test_a_stale_edit_on_the_page_is_refused_with_a_message() -> None:
    from geo.control import ControlRecord, Source
    from geo.store import open_store

    app = run_page(asof="2024-01-31")
    place = next(option for option in app.selectbox(key="edit_place").options if option.startswith("Namhsan (town"))
    app.selectbox(key="edit_place").set_value(place).run()
    other_editor = ControlRecord(
        "other-editor-edit", "town", "MMR015016701", "Namhsan", "tnla", "held", "assessed",
        date(2023, 12, 15), (Source("test fixture", "", None),), editor="Other editor",
    )  # fmt: skip
    open_store().add_record(other_editor, based_on=open_store().place_version(("town", "MMR015016701")))
    app = fill_control_form(app, place, controller="sac", source_name="fixture", editor="Page tester")
    assert any("changed by Other editor" in message.value for message in app.error)
    assert [r.editor for r in open_store().records() if r.place_pcode == "MMR015016701"][-1] == "Other editor"


def test_an_edit_without_a_web_address_or_name_is_refused_naming_the_field() -> None:
    app = run_page()
    place = next(option for option in app.selectbox(key="edit_place").options if option.startswith("Paletwa (town"))
    app = fill_control_form(app, place, source_name="x", source_url="javascript:alert(1)", editor="Tester")
    assert any("field source_url" in message.value for message in app.error)
    app = fill_control_form(app, place, source_name="x", source_url="", editor="")
    assert any("Your name" in message.value for message in app.error)


def test_changes_since_lists_a_change_made_on_the_page() -> None:
    app = run_page(asof="2024-01-20")
    place = next(option for option in app.selectbox(key="edit_place").options if option.startswith("Kunlong (town"))
    app = fill_control_form(app, place, controller="tnla", source_name="fixture", editor="Page tester")
    app.checkbox(key="since_on").check().run()
    app.date_input(key="since").set_value(date(2023, 10, 26)).run()
    assert not app.exception
    assert app.query_params["since"] == "2023-10-26"
    assert any(header.value.startswith("Changes of control, 2023-10-26 to") for header in app.subheader)
    changes = next(frame.value for frame in app.dataframe if "from" in frame.value.columns and "to" in frame.value)
    kunlong = changes[changes["place"] == "Kunlong"]
    assert set(kunlong["kind"]) == {"town", "township"}
    assert list(kunlong["to"].unique()) == ["TNLA"]


def query_value(app: AppTest, key: str) -> str:
    value = app.query_params[key]
    return value if isinstance(value, str) else value[0]


def test_go_to_place_tolerates_spelling_variants_and_puts_the_view_in_the_url() -> None:
    app = run_page()
    app.text_input(key="place_query").input("Laukkai").run()
    assert not app.exception
    lat, lon, zoom = (float(part) for part in query_value(app, "view").split(","))
    assert abs(lat - 23.69) < 0.05 and abs(lon - 98.76) < 0.05 and zoom >= 9


def test_burmese_search_finds_the_place() -> None:
    app = run_page()
    app.text_input(key="place_query").input("လားရှိုး").run()  # Lashio
    lat, lon, _ = (float(part) for part in query_value(app, "view").split(","))
    assert abs(lat - 22.94) < 0.1 and abs(lon - 97.75) < 0.15


def test_view_and_place_name_language_are_read_from_the_url() -> None:
    app = run_page(view="21.5,97.9,7", names="my")
    assert not app.exception
    assert app.radio(key="names").value == "my"
    assert query_value(app, "view") == "21.5000,97.9000,7"


def test_link_made_on_an_uploaded_file_says_so_without_it() -> None:
    app = run_page(upload="acled_myanmar_2024.csv")
    assert any("acled\\_myanmar\\_2024.csv" in warning.value for warning in app.warning)
    assert query_value(app, "upload") == "acled_myanmar_2024.csv"  # kept, so the link still says it
    assert not any("acled" in warning.value for warning in run_page().warning)


def test_dense_uploads_point_to_the_density_layers_and_the_link_names_the_file() -> None:
    rows = 2_100  # SYNTHETIC events over northern Shan: more than single markers stay readable at
    header = "event_date,latitude,longitude,event_type,actor1,notes"
    lines = [
        f"2024-01-{1 + i % 28:02d},{22.0 + (i % 50) * 0.04:.3f},{97.2 + (i // 50) * 0.03:.3f},Battles,"
        "Synthetic actor,SYNTHETIC test row"
        for i in range(rows)
    ]
    app = run_page()
    content = "\n".join([header, *lines]).encode()
    app.file_uploader(key="events_upload").set_value(("dense.csv", content, "text/csv")).run()
    assert not app.exception
    assert any("2,100 events" in caption.value and "heatmap" in caption.value for caption in app.caption)
    assert query_value(app, "upload") == "dense.csv"
    app.checkbox(key="layer_heatmap").check().run()
    assert not any("2,100 events" in caption.value for caption in app.caption)


def test_a_history_file_is_imported_into_the_store_with_bad_rows_reported() -> None:
    from geo.store import open_store

    header = (
        "record_id,place_kind,place_pcode,place_name,controller,status,confidence,valid_from,"
        "source_name,source_url,source_date,note\n"
    )
    content = (
        header + "imp-1,town,MMR015001701,Lashio,mndaa,held,claimed,2024-08-03,Test fixture,https://example.org,,\n"
        "imp-2,town,MMR015001701,Lashio,mndaa,held,maybe,2024-08-03,Test fixture,,,\n"
    )
    app = run_page()
    app.file_uploader(key="history_upload").set_value(("history.csv", content.encode(), "text/csv")).run()
    assert not app.exception
    report = next(text.value for text in app.text if text.value.startswith("history.csv"))
    assert "accepted 1 records, rejected 1 rows" in report and "line 3, field confidence" in report
    app.button(key="history_import").click().run()
    assert any("Imported 1 records; 0 were already" in message.value for message in app.success)
    assert [r.record_id for r in open_store().records()][-1] == "imp-1"


def test_a_group_name_typed_by_an_editor_is_shown_as_literal_text() -> None:
    app = run_page()
    place = next(option for option in app.selectbox(key="edit_place").options if option.startswith("Kutkai (town"))
    app = fill_control_form(
        app, place, controller="other", other="**Bold** [link](https://example.org)", source_name="x", editor="T"
    )
    assert not app.exception and [message.value for message in app.error] == []
    saved = next(message.value for message in app.success if message.value.startswith("Saved"))
    assert "\\*\\*Bold\\*\\* \\[link\\](https://example.org)" in saved
    assert app.dataframe[-1].value.iloc[0]["control"] == "**Bold** [link](https://example.org)"


def test_an_uploaded_files_territory_changes_say_they_are_drawn_as_control() -> None:
    app = run_page()
    content = SAMPLE_EVENTS.read_bytes()  # the cited sample: ACLED-style territory changes among its events
    app.file_uploader(key="events_upload").set_value(("territory.csv", content, "text/csv")).run()
    assert not app.exception
    said = [text.value for text in app.sidebar.caption if "derived from this file's territory changes" in text.value]
    assert len(said) == 1 and re.match(r"Control: \d+ records derived", said[0]), said
