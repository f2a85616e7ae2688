"""Assemble layers into a folium map for the page and for HTML exports."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from layers import registry
from layers.assets import PAGE_BASE_URL, localize_assets
from layers.base import PANES, LegendSection, MapData, safe_json
from layers.geojson import FeatureLoader
from layers.playback import PlaybackControl, playback_group

# West, south, east, north: Myanmar with Yunnan and the Indian and Bangladeshi borderlands,
# inside the box the shipped country outlines are clipped to (lon 86–106, lat 5–32).
DEFAULT_BOUNDS = (88.0, 9.0, 106.0, 29.5)
SEA_COLOUR = "#cfe0ea"


@dataclass(frozen=True)
class Basemap:
    """A background choice: the shipped vectors alone, or a tile layer over them."""

    id: str
    title: str
    tiles_url: str | None = None
    attribution: str = ""
    needs_internet: bool = False


BASEMAPS: dict[str, Basemap] = {
    basemap.id: basemap
    for basemap in (
        Basemap("offline", "Offline: shipped boundaries on a plain background"),
        Basemap(
            "osm",
            "OpenStreetMap tiles (needs internet)",
            tiles_url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            attribution="&copy; OpenStreetMap contributors (ODbL)",
            needs_internet=True,
        ),
    )
}


class FocusWithoutScroll(MacroElement):
    """Leaflet focuses the map on the first mouse press (for keyboard panning) and then
    restores only its own window's scroll. In a frame that sticks out of the page, as in
    Streamlit, that focus scrolls the page itself between press and release, and the
    click lands on another point of the map. The map is focused without scrolling instead,
    marked as focused by the pointer (map.css then draws no focus box) until a key is pressed.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (keyboard) {
            if (!keyboard) { return; }
            keyboard.removeHooks();
            const container = keyboard._map.getContainer();
            keyboard._onMouseDown = function () {
                container.classList.add("mcm-pointer-focus");
                if (!this._focused) { container.focus({preventScroll: true}); }
            };
            keyboard.addHooks();
            container.addEventListener("keydown", () => container.classList.remove("mcm-pointer-focus"));
        })({{ this._parent.get_name() }}.keyboard);
        {% endmacro %}
        """
    )


class Panes(MacroElement):
    """The map's fixed drawing order (:data:`layers.base.PANES`), made once with the map, so
    every layer the page adds or re-adds lands at its own depth."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, panes) {
            for (const [name, zIndex] of Object.entries(panes)) {
                const pane = map.getPane(name) || map.createPane(name);
                pane.style.zIndex = zIndex;
            }
            map.getPane("mcmLabels").style.pointerEvents = "none";
        })({{ this._parent.get_name() }}, {{ this.panes }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Panes"
        self.panes = safe_json(PANES)


class TileNotice(MacroElement):
    """Marks the map as tiled while the tiles are on (map.css then clears the backdrop fills
    so the tiles show) and says so on the map when tiles fail to load, e.g. offline."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (group) {
            let notice = null;
            const container = () => group._map.getContainer();
            group.on("add", () => container().classList.add("mcm-tiles"));
            group.on("remove", () => {
                container().classList.remove("mcm-tiles");
                if (notice) { notice.remove(); notice = null; }
            });
            if (group._map) { container().classList.add("mcm-tiles"); }
            group.eachLayer((tiles) => tiles.on("tileerror", () => {
                if (notice || !group._map) { return; }
                notice = L.control({position: "topright"});
                notice.onAdd = () => {
                    const box = L.DomUtil.create("div", "mcm-notice mcm-tile-notice");
                    box.textContent = {{ this.message }};
                    return box;
                };
                notice.addTo(group._map);
            }));
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, basemap: Basemap) -> None:
        super().__init__()
        self._name = "TileNotice"
        self.message = safe_json(
            f"{basemap.title}: some tiles could not be loaded (no internet?). "
            "The shipped boundaries are still drawn; choose the offline basemap in the sidebar."
        )


def base_map(bounds: tuple[float, float, float, float] = DEFAULT_BOUNDS) -> folium.Map:
    """An empty map fitted to ``bounds`` (west, south, east, north), sea-coloured, no tiles."""
    west, south, east, north = bounds
    fmap = folium.Map(
        location=((south + north) / 2, (west + east) / 2),
        zoom_start=5,
        tiles=None,
        zoom_snap=0.25,
        zoom_delta=0.5,
        control_scale=True,
        prefer_canvas=False,
    )
    # folium passes min/max zoom only to tile layers; without tiles the map needs its own
    # (Leaflet.markercluster refuses a map without maxZoom).
    fmap.options.update(minZoom=3, maxZoom=18)
    fmap.fit_bounds([(south, west), (north, east)])
    FocusWithoutScroll().add_to(fmap)
    Panes().add_to(fmap)
    fmap.get_root().header.add_child(
        # !important: leaflet.css, loaded after this style, sets its own grey.
        Element(f"<style>.leaflet-container {{ background: {SEA_COLOUR} !important; }}</style>"),
        name="sea_background",
    )
    return fmap


def basemap_group(basemap_id: str) -> folium.FeatureGroup | None:
    """Tiles for an online basemap as a group, so switching keeps the view; None offline."""
    basemap = BASEMAPS[basemap_id]
    if basemap.tiles_url is None:
        return None
    group = folium.FeatureGroup(name=basemap.title)
    folium.TileLayer(tiles=basemap.tiles_url, attr=basemap.attribution, name=basemap.title).add_to(group)
    TileNotice(basemap).add_to(group)
    return group


def layer_groups(data: MapData, visible_ids: Iterable[str]) -> list[folium.FeatureGroup]:
    """One feature group per visible layer, bottom first.

    Built anew on every call: streamlit-folium renames a group's elements when it renders
    them, so a group cannot be reused across page runs.
    """
    visible = set(visible_ids)
    return [layer.to_folium(data) for layer in registry() if layer.id in visible]


class KeptLayers(folium.FeatureGroup):
    """The page's layer groups handed to streamlit-folium as one, each built in the browser
    only when its script differs from what the map shows (layers/js/keep.js).

    streamlit-folium removes and re-runs every group on each page run; a filter change would
    rebuild the outlines, names and control areas (and Leaflet redraw their SVG) for nothing.
    Each group's script is rendered here with names fixed by its place, so the same layer
    gives the same script, and its digest is the key the browser keeps it under.

    Parameters
    ----------
    groups : the layer groups, bottom first (as :func:`layer_groups` makes them).
    live : scripts run on every page run before the groups are synced, each a JavaScript
        function of the map (e.g. :meth:`layers.events.EventChannel.filter_script`): what
        changes with every run without rebuilding a group.
    """

    default_js: ClassVar[list[tuple[str, str]]] = [("mcm-keep", "https://local.invalid/mcm/keep.js")]
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup({});
        {%- for script in this.live %}
        ({{ script }})({{ this._parent.get_name() }});
        {%- endfor %}
        McmKeep.sync({{ this._parent.get_name() }}, [
        {%- for key, script, name in this.parts() %}
            [{{ key }}, () => {
        {{ script }}
                return {{ name }};
            }],
        {%- endfor %}
        ]);
        {% endmacro %}
        """
    )

    def __init__(self, groups: Iterable[folium.FeatureGroup], live: Iterable[str] = ()) -> None:
        super().__init__(name="Map layers", control=False)
        self._name = "KeptLayers"
        self.groups = list(groups)
        self.live = list(live)
        self._parts: list[tuple[str, str, str]] | None = None

    def parts(self) -> list[tuple[str, str, str]]:
        """(key, script, group variable) per group; the key ignores the map's random name.
        Made once: streamlit-folium renders the group twice."""
        if self._parts is None:
            self._parts = [self._part(index, group) for index, group in enumerate(self.groups)]
        return self._parts

    def _part(self, index: int, group: folium.FeatureGroup) -> tuple[str, str, str]:
        fmap = self._parent
        group._parent = fmap
        _fix_names(group, f"kept_{index}")  # each runs in its own function: no clash
        group.render()  # folium adds each layer's addTo() here
        script = "\n".join(_scripts(group))
        digest = hashlib.blake2b(script.replace(fmap.get_name(), "map").encode(), digest_size=12).hexdigest()
        return safe_json(digest), script, group.get_name()


def _fix_names(element: Element, path: str) -> None:
    """Element names from their place in the group, not from random ids."""
    element._id = path
    for index, child in enumerate(element._children.values()):
        _fix_names(child, f"{path}_{index}")


def _scripts(element: Element) -> Iterator[str]:
    """The scripts of ``element`` and its descendants in document order, as folium orders them."""
    script = getattr(element._template.module, "script", None)
    if script is not None:
        yield script(element, {})
    for child in element._children.values():
        yield from _scripts(child)


def preloaded_assets() -> tuple[type[Element], ...]:
    """The asset-carrying element classes of every registered layer, the legend, the play
    control and the loader of published features, for the page to load before any of those
    layers is turned on."""
    return tuple(
        dict.fromkeys(
            [
                LegendSection,
                FeatureLoader,
                KeptLayers,
                *(element for layer in registry() for element in layer.asset_elements),
                PlaybackControl,
            ]
        )
    )


def standalone_map(
    data: MapData,
    visible_ids: Iterable[str],
    basemap_id: str = "offline",
    asset_base_url: str = PAGE_BASE_URL,
    bounds: tuple[float, float, float, float] = DEFAULT_BOUNDS,
) -> folium.Map:
    """A complete map with the layers attached, for HTML export and tests."""
    fmap = base_map(bounds)
    tiles = basemap_group(basemap_id)
    if tiles is not None:
        tiles.add_to(fmap)
    for group in layer_groups(data, visible_ids):
        group.add_to(fmap)
    playback = playback_group(data)
    if playback is not None:
        playback.add_to(fmap)
    localize_assets(fmap, asset_base_url)
    return fmap
