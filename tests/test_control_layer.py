"""The control layer: colours per controller, hatching, claimed paler, changes outlined, legend of groups shown."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import matplotlib.pyplot as plt
from matplotlib.colors import to_rgb

from geo.control import control_map
from geo.controllers import BY_ID
from geo.derive_control import DERIVED_EDITOR
from layers.base import MapData
from layers.control import LAYER
from layers.export_html import standalone_html
from layers.mapview import standalone_map
from layers.snapshot import render_snapshot
from tests.helpers import control_gazetteer, control_history


def features(data: MapData) -> list[dict]:
    """The control layer's features as sent to the browser."""
    data_json, _, _ = LAYER._timeline_json(data.control)
    return json.loads(data_json)["features"]


def pcode(feature: dict) -> str:
    """The P-code named in a feature's tooltip: 'Town A (town T-A): ...'."""
    match = re.match(r".*? \((?:town|township) ([^)]+)\): ", feature["properties"]["label"])
    assert match, feature["properties"]["label"]
    return match.group(1)


def lightness(colour: str) -> float:
    return sum(to_rgb(colour))


def view(map_data: MapData, as_of: str, since: str | None = None) -> MapData:
    day = date.fromisoformat(as_of)
    control = control_map(
        control_history(), day, control_gazetteer(), since=date.fromisoformat(since) if since else None
    )
    return replace(map_data, control=control, as_of=day)


def test_legend_names_only_the_groups_shown_and_the_styles_used(map_data: MapData) -> None:
    before = LAYER.legend_entries(view(map_data, "2023-10-01"))
    assert [entry.label for entry in before] == ["Myanmar military (SAC)"]
    after = LAYER.legend_entries(view(map_data, "2024-01-31", since="2023-10-26"))
    labels = [entry.label for entry in after]
    assert labels[:3] == ["Myanmar military (SAC)", "MNDAA", "KIA"]
    assert {"Contested: hatched", "Claimed, not assessed: paler", "Changed since 2023-10-26"} <= set(labels)
    assert LAYER.legend_entries(replace(map_data, control=None)) == ()


def test_places_are_drawn_in_their_controllers_colour_and_style(map_data: MapData) -> None:
    data = view(map_data, "2024-01-31", since="2023-10-26")
    html = standalone_map(data, ["control"]).get_root().render()
    drawn = {pcode(feature): feature["properties"]["style"] for feature in features(data)}
    assert drawn["T-A"]["fillColor"] == BY_ID["mndaa"].colour and drawn["T-A"]["color"] == "#000000"
    assert drawn["T-B"]["fillColor"] == BY_ID["sac"].colour and drawn["T-B"]["color"] != "#000000"
    assert drawn["TS-A"]["fillColor"] == BY_ID["mndaa"].colour and drawn["TS-A"]["weight"] > 3  # follows Town A
    assert drawn["TS-B"]["fillColor"] == "url(#mcm-hatch-kia)"
    assert "mcm-hatch-kia" in html and BY_ID["kia"].colour in html


def test_claimed_control_is_paler_than_assessed(map_data: MapData) -> None:
    claimed = replace(control_history()[2], confidence="claimed")
    control = control_map([*control_history()[:2], claimed], date(2024, 1, 31), control_gazetteer())
    fill = {pcode(f): f["properties"]["style"]["fillColor"] for f in features(replace(map_data, control=control))}
    assert fill["TS-A"] == fill["T-A"] != BY_ID["mndaa"].colour
    assert lightness(fill["T-A"]) > lightness(BY_ID["mndaa"].colour)
    assert fill["T-B"] == BY_ID["sac"].colour


def test_place_names_and_sources_reach_the_page_as_text(map_data: MapData) -> None:
    hostile = replace(control_history()[2], controller="<img src=x onerror=alert(1)>")
    control = control_map([hostile], date(2024, 1, 31), control_gazetteer())
    html = standalone_map(replace(map_data, control=control), ["control"]).get_root().render()
    assert "<img src=x" not in html and "\\u003cimg src=x" in html


def test_the_browser_gets_each_places_timeline_for_playback(map_data: MapData) -> None:
    data = view(map_data, "2023-10-01", since="2023-10-26")
    _, styles_json, since = LAYER._timeline_json(data.control)
    styles = json.loads(styles_json)
    town_a = next(f for f in features(data) if f["properties"]["entries"][-1][2].startswith("Town A (town T-A)"))
    days = [entry[0] for entry in town_a["properties"]["entries"]]
    assert days == [(date(2023, 1, 1) - date(1970, 1, 1)).days, (date(2023, 11, 5) - date(1970, 1, 1)).days]
    assert [styles[entry[1]]["fillColor"] for entry in town_a["properties"]["entries"]] == [
        BY_ID["sac"].colour,
        BY_ID["mndaa"].colour,
    ]
    township_b = next(
        f for f in features(data) if f["properties"]["entries"][0][2].startswith("Township B (township TS-B)")
    )
    assert township_b["properties"]["style"] == {"opacity": 0, "fillOpacity": 0}  # no control yet on 2023-10-01
    assert int(since) == (date(2023, 10, 26) - date(1970, 1, 1)).days
    html = standalone_map(data, ["control"]).get_root().render()
    assert "McmControl.show(L, " in html and "/app/static/vendor/mcm/control.js" in html


def test_static_export_draws_hatching_outlines_and_the_legend(map_data: MapData) -> None:
    data = view(map_data, "2024-01-31", since="2023-10-26")
    fig, ax = plt.subplots()
    try:
        LAYER.draw_static(ax, data)
        assert any(patch.get_hatch() == "////" for patch in ax.collections)
        assert len(ax.collections) >= 4  # two townships, one changed outline, the towns
    finally:
        plt.close(fig)
    svg = render_snapshot(data, ["states", "control"], (96.0, 22.0, 99.0, 25.0), "Control", "svg").decode()
    for label in ("MNDAA", "KIA", "Contested: hatched", "Changed since 2023-10-26"):
        assert label in svg
    assert "UWSA" not in svg


def test_the_html_export_carries_the_control_script_inline(map_data: MapData) -> None:
    html = standalone_html(view(map_data, "2024-01-31", since="2023-10-26"), ["states", "control"], title="Control")
    assert "root.McmControl = api" in html and "McmControl.show(L, " in html
    assert "/app/static/vendor/mcm/control.js" not in html


def test_exports_credit_the_events_file_when_control_comes_from_its_territory_changes(map_data: MapData) -> None:
    history = control_history()
    cited = view(map_data, "2024-01-31")
    assert LAYER.credits(cited) == (LAYER.attribution,)
    derived = [replace(record, editor=DERIVED_EDITOR) for record in history]
    control = control_map(derived, date(2024, 1, 31), control_gazetteer())
    (credit,) = LAYER.credits(replace(map_data, control=control))
    assert credit.startswith(LAYER.attribution) and "territory changes in the loaded events file" in credit
