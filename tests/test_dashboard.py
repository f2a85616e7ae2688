"""The page, run headless through Streamlit's AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from layers import registry

TIMEOUT_S = 60


def run_page(**query: str) -> AppTest:
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def test_page_has_one_toggle_per_registered_layer() -> None:
    app = run_page()
    assert not app.exception
    assert [box.label for box in app.checkbox] == [layer.title for layer in registry()]
    assert [box.value for box in app.checkbox] == [layer.default_visible for layer in registry()]
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
    ticked = {box.key.removeprefix("layer_") for box in app.checkbox if box.value}
    assert ticked == {"states", "borders"}
    assert app.radio(key="basemap").value == "osm"


def test_unknown_basemap_in_url_falls_back_to_offline() -> None:
    app = run_page(basemap="satellite")
    assert app.radio(key="basemap").value == "offline"
