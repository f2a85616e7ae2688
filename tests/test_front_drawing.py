"""Fronts drawn on the map (Leaflet.draw, served locally) are described in a form and kept in the store."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.store import SqliteStore
from layers.assets import LOCAL_ASSETS, VENDOR_FILES, localize_assets
from layers.mapview import base_map
from ui.control import front_draw_tool

LINE = {
    "type": "Feature",
    "properties": {},
    "geometry": {"type": "LineString", "coordinates": [[97.7, 22.9], [98, 23]]},
}


def form_page(store_path: str, drawings: list) -> None:
    """The front form as the page shows it after the map returned ``drawings``."""
    from datetime import date
    from pathlib import Path

    from geo.store import SqliteStore
    from ui.control import front_form

    front_form(SqliteStore(Path(store_path)), {"all_drawings": drawings}, date(2024, 1, 10))


def run_form(tmp_path: Path, drawings: list, **fields: str) -> AppTest:
    app = AppTest.from_function(form_page, args=(str(tmp_path / "s.sqlite"), drawings), default_timeout=30).run()
    for key, value in fields.items():
        app.text_input(key=f"front_{key}").set_value(value)
    if app.button:
        app.button[0].click()
    return app.run()


def test_a_drawn_line_is_saved_as_a_front_with_its_dates_and_source(tmp_path: Path) -> None:
    app = run_form(
        tmp_path, [LINE], name="Lashio approach", actor="MNDAA", source="Test fixture", url="https://example.org",
        editor="Tester",
    )  # fmt: skip
    assert not app.exception and [m.value for m in app.error] == []
    assert "Saved front Lashio approach (1 shape(s)) from 2024-01-10." in app.success[0].value
    fronts = SqliteStore(tmp_path / "s.sqlite").fronts()
    assert list(fronts["front"]) == ["Lashio approach"] and list(fronts["source"]) == [
        "Test fixture https://example.org"
    ]
    assert fronts["valid_from"].iloc[0].date().isoformat() == "2024-01-10" and fronts["valid_to"].isna().all()
    assert fronts.geometry.iloc[0].geom_type == "LineString"


def test_a_front_without_source_or_with_a_bad_address_is_refused(tmp_path: Path) -> None:
    app = run_form(tmp_path, [LINE], name="X", actor="Y", url="javascript:alert(1)", editor="Tester")
    message = app.error[0].value
    assert "field 'Source name' is required" in message and "field source\\_url" in message
    assert SqliteStore(tmp_path / "s.sqlite").fronts().empty


def test_nothing_drawn_asks_for_a_drawing(tmp_path: Path) -> None:
    app = run_form(tmp_path, [])
    assert "Draw a line or an area" in app.caption[0].value and not app.button


def test_the_drawing_tools_are_served_locally() -> None:
    fmap = base_map()
    front_draw_tool().add_to(fmap)
    localize_assets(fmap)
    html = fmap.get_root().render()
    assert "/app/static/vendor/leaflet-draw/leaflet.draw.js" in html and "cdnjs" not in html
    assert LOCAL_ASSETS["leaflet_draw_js"] in VENDOR_FILES.values()


def pick_page(latitude: float, longitude: float) -> None:
    """The editor's place list after a map click at the given point."""
    import streamlit as st

    from geo.control import Gazetteer
    from ui.control import pick_from_click

    pick_from_click({"last_clicked": {"lat": latitude, "lng": longitude}}, Gazetteer.load())
    st.write(st.session_state.get("edit_place", "nothing picked"))


def picked(latitude: float, longitude: float) -> AppTest:
    return AppTest.from_function(pick_page, args=(latitude, longitude), default_timeout=30).run()


def test_a_map_click_picks_the_town_near_it_or_else_the_township_under_it() -> None:
    town = picked(23.462, 97.932)  # Kutkai town (towns.csv MMR015011701: 23.4595, 97.92873), 0.4 km off
    assert town.markdown[0].value == "Kutkai (town, Kutkai) ကွတ်ခိုင်"
    township = picked(23.75, 97.75)  # open country, more than 3 km from any listed town
    assert "(township, Shan" in township.markdown[0].value
    sea = picked(15.0, 92.0)  # the Andaman Sea
    assert sea.markdown[0].value == "nothing picked" and "No town or township" in sea.warning[0].value
