"""Place names: countries, Yunnan, states and regions, towns (more as the map zooms in), crossings.

Towns come from the gazetteer (MIMU place codes, see geo/data/SOURCES.md) with its rank:
state and region capitals first, then district seats, township seats and other towns.
Names show in English or in Burmese where the source has a Burmese name. The browser
(layers/js/labels.js) and the static renderer both keep names from colliding, most
important first.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, ClassVar, Literal

import folium
import shapely
from jinja2 import Template
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patheffects import withStroke
from matplotlib.text import Annotation
from shapely.ops import polylabel

from geo.boundaries import CONFLICT_STATES
from geo.gazetteer import load_towns
from geo.placenames import load_state_names
from layers.base import LegendEntry, MapData, MapLayer, safe_json
from layers.geojson import PublishableJson
from layers.mapview import DEFAULT_BOUNDS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.transforms import Bbox

    from geo.boundaries import Boundaries

INK = "#222222"
LabelKind = Literal["country", "province", "state", "town", "crossing"]

FIGHTING_TOWNS = (
    "Lashio",
    "Muse",
    "Laukkaing",
    "Chinshwehaw",
    "Kunlong",
    "Hseni",
    "Kutkai",
    "Namhkan",
    "Sittwe",
    "Kyauktaw",
    "Mrauk-U",
    "Paletwa",
    "Hakha",
    "Falam",
    "Tamu",
)
"""Towns of the fighting named in issue 9, as MIMU spells them (Hseni is Hsenwi, Namhkan Namhkam);
shown at every zoom like the state and region capitals."""

COUNTRY_PRIORITY, CONFLICT_STATE_PRIORITY, STATE_PRIORITY = 0, 1, 2
TOWN_PRIORITY = {1: 3, 2: 6, 3: 7, 4: 8}
"""Gazetteer rank -> label priority (lower wins a collision); fighting towns get 4, crossings 5."""
TOWN_MIN_ZOOM = {1: 0.0, 2: 6.5, 3: 8.0, 4: 9.5}
"""Gazetteer rank -> the zoom from which the town's name may show."""
FIGHTING_PRIORITY, CROSSING_PRIORITY, CROSSING_MIN_ZOOM = 4, 5, 6.5


@dataclass(frozen=True)
class Label:
    """One name at one place, with the zoom it may show from and its rank among names."""

    text: str
    kind: LabelKind
    lat: float
    lon: float
    priority: int
    min_zoom: float
    lang: str = "en"


def _anchor(geometry: shapely.Geometry) -> shapely.Point:
    """Where an area's name goes: the pole of inaccessibility of its largest part."""
    parts = list(getattr(geometry, "geoms", [geometry]))
    largest = max(parts, key=lambda part: part.area)
    return polylabel(largest, tolerance=0.02)


def _town_name(row: pd.Series, language: str) -> tuple[str, str]:
    if language == "my" and isinstance(row["name_my"], str) and row["name_my"]:
        return row["name_my"], "my"
    return row["name_en"], "en"


def area_labels(boundaries: Boundaries, language: str) -> tuple[Label, ...]:
    """Countries (their part in the default view), Yunnan, states and regions, crossings.

    In Burmese only the states and regions change: the shipped sources have no Burmese or
    Chinese names for the countries, Yunnan or the crossings."""
    burmese = load_state_names() if language == "my" else {}
    west, south, east, north = DEFAULT_BOUNDS
    view = shapely.box(west, south, east, north)
    yunnan = boundaries.yunnan.union_all()
    labels = []
    for name, iso3, geometry in zip(
        boundaries.countries["name"], boundaries.countries["iso3"], boundaries.countries.geometry, strict=True
    ):
        if iso3 == "MMR":
            continue  # its states are named instead
        shown = geometry.intersection(view)
        if iso3 == "CHN":
            shown = shown.difference(yunnan)  # Yunnan has its own name
        if not shown.is_empty:
            point = _anchor(shown)
            labels.append(Label(name, "country", point.y, point.x, COUNTRY_PRIORITY, 0.0))
    point = _anchor(yunnan)
    labels.append(Label("Yunnan (China)", "province", point.y, point.x, COUNTRY_PRIORITY, 0.0))
    for name, geometry in zip(boundaries.states["name"], boundaries.states.geometry, strict=True):
        point = _anchor(geometry)
        priority = CONFLICT_STATE_PRIORITY if name in CONFLICT_STATES else STATE_PRIORITY
        if name in burmese:
            labels.append(Label(burmese[name], "state", point.y, point.x, priority, 0.0, "my"))
        else:
            labels.append(Label(name, "state", point.y, point.x, priority, 0.0))
    for name, point in zip(boundaries.crossings["name"], boundaries.crossings.geometry, strict=True):
        labels.append(Label(name, "crossing", point.y, point.x, CROSSING_PRIORITY, CROSSING_MIN_ZOOM))
    return tuple(labels)


@cache
def town_labels(language: str) -> tuple[Label, ...]:
    """Every gazetteer town as a label; the fighting towns rank with the capitals."""
    towns = load_towns()
    missing = set(FIGHTING_TOWNS) - set(towns["name_en"])
    if missing:
        raise KeyError(f"fighting towns not in the gazetteer: {sorted(missing)}")
    labels = []
    for _, town in towns.iterrows():
        rank = int(town["rank"])
        fighting = town["name_en"] in FIGHTING_TOWNS
        text, lang = _town_name(town, language)
        labels.append(
            Label(
                text,
                "town",
                float(town["latitude"]),
                float(town["longitude"]),
                min(TOWN_PRIORITY[rank], FIGHTING_PRIORITY) if fighting else TOWN_PRIORITY[rank],
                0.0 if fighting else TOWN_MIN_ZOOM[rank],
                lang,
            )
        )
    return tuple(labels)


class PlaceLabels(PublishableJson):
    """Names laid out in the browser by layers/js/labels.js; on the page the names travel once
    per content (:func:`layers.geojson.publish_features`)."""

    default_js: ClassVar[list[tuple[str, str]]] = [("mcm_labels", "mcm/labels.js")]
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (attach) {
            {% if this.data_url %}
            McmFeatures.load({{ this.data_url }}, attach);
            {% else %}
            attach({{ this.data_json }});
            {% endif %}
        })((labels) => McmLabels.attach({{ this._parent.get_name() }}, labels));
        {% endmacro %}
        """
    )

    def __init__(self, labels: tuple[Label, ...]) -> None:
        super().__init__(safe_json([{**asdict(label), "minZoom": label.min_zoom} for label in labels]))
        self._name = "PlaceLabels"


def zoom_of(ax: Axes) -> float:
    """The web-map zoom whose scale matches the axes' horizontal extent, for the same name ranks."""
    west, east = ax.get_xlim()
    width_px = ax.get_window_extent().width / ax.figure.dpi * 96
    return math.log2(360 * width_px / (256 * max(east - west, 1e-6)))


class LabelsLayer(MapLayer):
    """Place names above every other layer; more towns at higher zoom; no overlaps."""

    id = "labels"
    title = "Place names"
    z_order = 90
    legend = (LegendEntry("Town (more appear as you zoom in)", INK, "point"),)
    attribution = "Place names: MIMU place codes via mm-geo-coder; boundaries and crossings as their layers"
    asset_elements = (PlaceLabels,)

    def __init__(self) -> None:
        self._areas: dict[str, tuple[Boundaries, tuple[Label, ...]]] = {}  # per language: the page's boundaries

    def all_labels(self, data: MapData) -> tuple[Label, ...]:
        """The names the layer may show, most important first."""
        built = self._areas.get(data.language)
        if built is None or built[0] is not data.boundaries:
            built = self._areas[data.language] = (data.boundaries, area_labels(data.boundaries, data.language))
        labels = (*built[1], *town_labels(data.language))
        return tuple(sorted(labels, key=lambda label: label.priority))

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        PlaceLabels(self.all_labels(data)).add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        ax.add_artist(StaticLabels(self.all_labels(data), self.z_order))


class StaticLabels(Artist):
    """Names laid out when the figure is drawn, once the axes' extent and size are final:
    the browser's rule (rank by zoom, then greedy, most important first, no overlaps)."""

    def __init__(self, labels: tuple[Label, ...], zorder: float) -> None:
        super().__init__()
        self.labels = labels
        self.set_zorder(zorder)

    def placed(self, renderer: RendererBase) -> list[tuple[Annotation, LabelKind]]:
        """The names that show, as texts not yet drawn, with their kind."""
        ax = self.axes
        west, east = ax.get_xlim()
        south, north = ax.get_ylim()
        zoom = zoom_of(ax)
        kept: list[tuple[Annotation, LabelKind, Bbox]] = []
        for label in self.labels:
            if label.min_zoom > zoom or not (west <= label.lon <= east and south <= label.lat <= north):
                continue
            text = Annotation(
                label.text,
                (label.lon, label.lat),
                xytext=STATIC_OFFSET.get(label.kind, (0, 0)),
                textcoords="offset points",
                path_effects=[withStroke(linewidth=1.8, foreground="white")],
                **STATIC_STYLE[label.kind],
            )
            text.axes = ax
            text.set_figure(ax.figure)
            box = text.get_window_extent(renderer).expanded(1.05, 1.15)
            if not any(box.overlaps(other) for _, _, other in kept):
                kept.append((text, label.kind, box))
        return [(text, kind) for text, kind, _ in kept]

    def draw(self, renderer: RendererBase) -> None:
        ax = self.axes
        for text, kind in self.placed(renderer):
            if kind == "town":  # its dot first, under the name's halo
                lon, lat = text.xy
                dot = Line2D([lon], [lat], marker="o", markersize=2.5, color=INK, mec="white", mew=0.6, ls="none")
                dot.axes = ax
                dot.set_figure(ax.figure)
                dot.set_transform(ax.transData)
                dot.draw(renderer)
            text.draw(renderer)


STATIC_OFFSET = {"town": (3.5, 0), "crossing": (0, -3.5)}
"""Points from the place: a town's name right of its dot, a crossing's below its marker."""
STATIC_STYLE: dict[str, dict[str, object]] = {
    "country": {"fontsize": 8, "color": "#55554f", "ha": "center", "va": "center"},
    "province": {"fontsize": 7.5, "color": "#2f5d86", "style": "italic", "ha": "center", "va": "center"},
    "state": {"fontsize": 7.5, "color": "#5a2a10", "weight": "bold", "ha": "center", "va": "center"},
    "town": {"fontsize": 6, "color": INK, "ha": "left", "va": "center"},
    "crossing": {"fontsize": 5.5, "color": "#444444", "style": "italic", "ha": "center", "va": "top"},
}


LAYER = LabelsLayer()
