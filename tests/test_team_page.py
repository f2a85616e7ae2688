"""The page on a shared store (both backends): events and filters from the database, the editors'
ACLED sync button, and editing gated by sign-in when [auth] is configured (AppTest)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.store import DATA_ENV, ControlStore, open_store
from layers.base import MapData
from tests.acled_server import PASSWORD, USERNAME, AcledServer
from tests.test_dashboard import TIMEOUT_S, metric

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a test cookie secret",
    "client_id": "dashboard",
    "client_secret": "test secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def page_store(store_location: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ControlStore]:
    """The page's store, empty: $DATABASE_URL (PostGIS) or the data directory (SQLite); caches cleared."""
    if store_location.startswith("postgresql"):
        monkeypatch.setenv("DATABASE_URL", store_location)
        store = open_store(store_location)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
        store = open_store()
    st.cache_resource.clear()
    yield store
    st.cache_resource.clear()


def page(**secrets: dict) -> AppTest:
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S)
    for name, section in secrets.items():
        app.secrets[name] = section
    return app.run()


def test_the_page_shows_and_filters_the_stores_events_in_the_database(
    page_store: ControlStore, map_data: MapData
) -> None:
    page_store.upsert_events(map_data.events)
    app = page()
    assert not app.exception
    assert any(f"team store's {len(map_data.events)} events" in info.value for info in app.info)
    assert metric(app, "Events") == f"{len(map_data.events):,}"
    app.multiselect(key="types").set_value(["Battles"]).run()
    battles = map_data.events[map_data.events["event_type"] == "Battles"]
    assert metric(app, "Events") == f"{len(battles):,}"
    assert metric(app, "Fatalities") == f"{int(battles['fatalities'].sum()):,}"
    actors = app.multiselect(key="actors").options
    assert set(actors) == set(map_data.events["actor1"]) | set(map_data.events["actor2"]) - {""}


def test_the_map_gets_the_events_in_its_view_while_the_counts_cover_the_whole_filter(
    page_store: ControlStore, map_data: MapData
) -> None:
    page_store.upsert_events(map_data.events)
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S)
    # What st_folium leaves in the session after the user panned: the view 96-98 E, 21-23 N.
    app.session_state["map"] = {"bounds": {"_southWest": {"lat": 21, "lng": 96}, "_northEast": {"lat": 23, "lng": 98}}}
    app.run()
    assert not app.exception
    events = map_data.events
    # The query reaches half a view beyond each edge: 95-99 E, 20-24 N.
    in_view = events[events["longitude"].between(95, 99) & events["latitude"].between(20, 24)]
    assert 0 < len(in_view) < len(events)
    assert any(
        f"show the {len(in_view)} events in and around the map's view" in c.value
        and f"count all {len(events)} events" in c.value
        for c in app.caption
    )
    app.toggle(key="event_table").set_value(True).run()
    table = next(frame.value for frame in app.dataframe if "notes" in frame.value.columns)
    assert sorted(table["notes"]) == sorted(in_view["notes"])
    assert metric(app, "Events") == f"{len(events):,}"
    assert metric(app, "Fatalities") == f"{int(events['fatalities'].sum()):,}"
    per_state = next(frame.value for frame in app.dataframe if list(frame.value.columns) == ["events", "fatalities"])
    assert per_state["events"].sum() == len(events)
    (chart,) = app.get("vega_lite_chart")
    assert pa.ipc.open_stream(chart.proto.data.data).read_all().to_pandas()["events"].sum() == len(events)
    # The "Events per state" layer shades each state by the store's count for the whole filter.
    app.checkbox(key="layer_state_choropleth").check().run()
    (folium_map,) = [e for e in app.main if getattr(e, "type", "") == "component_instance"]
    drawn = json.loads(folium_map.proto.json_args)["feature_group"]
    for state, count in events["state"].value_counts().items():
        assert f"{state}: {count:,} events" in drawn


def test_an_editor_syncs_acled_from_the_page(
    page_store: ControlStore, monkeypatch: pytest.MonkeyPatch, map_data: MapData
) -> None:
    with AcledServer() as server:
        monkeypatch.setenv("ACLED_BASE_URL", server.url)
        app = page(acled={"username": USERNAME, "password": PASSWORD})
        assert any("do not redistribute the raw ACLED data" in c.value for c in app.caption)
        next(b for b in app.button if b.key == "acled_sync").click()
        app = app.run()
    assert not app.exception
    synced = f"Synced: {len(map_data.events)} added, 0 changed, 0 deleted."
    assert [s.value for s in app.success if "Synced" in s.value] == [synced]
    assert page_store.syncs()[0].editor == "page"
    app = app.run()
    assert any(f"team store's {len(map_data.events)} events" in info.value for info in app.info)


def test_with_sign_in_configured_anonymous_users_view_but_do_not_edit() -> None:
    app = page(auth=AUTH)
    assert not app.exception
    assert not [box for box in app.selectbox if box.key == "edit_place"]
    assert [b.label for b in app.button if b.key == "sign_in"] == ["Sign in to edit"]
    assert metric(app, "Events") != ""


def test_the_operator_can_close_the_page_to_anonymous_users() -> None:
    app = page(auth=AUTH, team={"anonymous_viewers": False})
    assert not app.exception
    assert [b.label for b in app.button] == ["Sign in"]
    assert not app.metric


def test_an_editor_adds_an_uploaded_file_to_the_team_store_with_its_report(page_store: ControlStore) -> None:
    header = "event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,admin1,admin2,admin3,location,"
    header += "latitude,longitude,geo_precision,fatalities,source,notes"
    good = "TEST1,2023-11-02,Battles,Armed clash,A,B,Shan,,,Place,23.0,98.0,1,2,Fixture,Test row (not real)"
    bad = "TEST2,2023-11-03,Battles,Armed clash,A,B,Shan,,,Place,north,98.0,1,0,Fixture,Test row (not real)"
    content = f"{header}\n{good}\n{bad}\n".encode()
    app = page()
    app.file_uploader(key="events_upload").set_value(("fixture.csv", content, "text/csv")).run()
    next(b for b in app.button if b.key == "share_upload").click()
    app = app.run()
    assert not app.exception
    assert any("1 added" in s.value for s in app.success)
    assert list(page_store.events()["event_id_cnty"]) == ["TEST1"]
    [logged] = page_store.imports()
    assert (logged.name, logged.accepted, logged.rejected) == ("fixture.csv", 1, 1)
    assert "line 3" in logged.report and "north" in logged.report
    # Another session opened now shows the store's events: the write cleared the cached facets,
    # which the first page run had found empty.
    assert any("team store's 1 events" in info.value for info in page().info)


def test_the_stores_facets_are_found_once_per_page_process_not_per_run(
    page_store: ControlStore, map_data: MapData
) -> None:
    page_store.upsert_events(map_data.events)
    scans = []
    original = type(page_store).event_facets

    def counted(self: ControlStore) -> object:  # the scan the cache saves
        scans.append(1)
        return original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(page_store), "event_facets", counted)
        app = page()
        app.multiselect(key="types").set_value(["Battles"]).run()
        page()
    assert not app.exception
    assert len(scans) == 1
