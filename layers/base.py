"""The common shape of a map layer, shared by the page, exports and tests."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

if TYPE_CHECKING:
    from datetime import date

    import geopandas as gpd
    import pandas as pd
    from matplotlib.axes import Axes

    from geo.boundaries import Boundaries
    from geo.control import ControlMap
    from layers.events import EventChannel


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a swatch drawn as an area, a line, a point or a hollow point
    (a position known only approximately)."""

    label: str
    color: str
    kind: Literal["area", "line", "point", "hollow-point"]
    """``hollow-point``: a ring in ``color`` (crossings; events placed approximately)."""
    toggle: str | None = None
    """The filter field (events.js) this row switches on the live map: a click shows or hides
    the events whose value is ``label``."""
    fixed: bool = False
    """A toggle row the map cannot switch itself (a kind the page's filter has no name for),
    drawn off while that field is filtered."""


PANES: dict[str, int] = {
    "mcmBackdrop": 380,
    "mcmAreas": 400,
    "mcmOverlays": 410,
    "mcmLines": 420,
    "mcmDensity": 440,
    "mcmPoints": 460,
    "mcmLabels": 470,
}
"""Leaflet panes by z-index: the backdrop and state areas at the bottom (faded under tiles),
then data areas (fronts, zones, choropleth), lines, density, the events canvas
(its own pane at 450), points and names. A pane keeps its place however often the page
re-adds its layers; Leaflet's own panes put tooltips (650) and popups (700) above all."""


@dataclass(frozen=True)
class MapData:
    """Everything a layer may draw; layers pick what they need.

    ``events`` are already filtered to what the user asked for, ``fronts`` to those
    valid on ``as_of``; ``period`` is the (start, end) date range shown; ``control`` is
    who held each town and township on ``as_of`` (:class:`geo.control.ControlMap`).
    ``event_channel`` (the page only) names the whole data set already published for the
    browser and the filter it applies there, so a page run sends no event columns.
    """

    boundaries: Boundaries
    events: gpd.GeoDataFrame | None = None
    fronts: gpd.GeoDataFrame | None = None
    period: tuple[date, date] | None = None
    as_of: date | None = None
    control: ControlMap | None = None
    language: Literal["en", "my"] = "en"
    """Place names in English or Burmese (where the source has them)."""
    events_credit: str | None = None
    """Who the events come from, printed in exports' sources (see :func:`geo.dataset.events_credit`)."""
    event_channel: EventChannel | None = None
    state_counts: pd.DataFrame | None = None
    """Events and fatalities per state for the whole filter (as :func:`geo.stats.per_state`), when
    ``events`` are only those in the map's view (the team store); None: counted from ``events``."""


class MapLayer(ABC):
    """A toggleable map layer.

    Subclasses set ``id`` (stable, used in URLs and the CLI), ``title`` (shown in the
    sidebar and legend), ``default_visible``, ``z_order`` (higher draws on top) and
    ``legend``, ``attribution`` (source and licence, printed on exports) and render
    the same content to folium and to a static matplotlib axes. A layer drawn with
    elements that need browser files lists their classes in ``asset_elements``.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    default_visible: ClassVar[bool] = True
    z_order: ClassVar[int]
    legend: ClassVar[tuple[LegendEntry, ...]]
    attribution: ClassVar[str]
    asset_elements: ClassVar[tuple[type[Element], ...]] = ()
    """Element classes whose scripts and styles (``default_js``/``default_css``) the page
    loads up front: streamlit-folium loads assets only when the map first renders, so a
    layer turned on later could not fetch its own."""

    def legend_entries(self, data: MapData) -> tuple[LegendEntry, ...]:
        """The legend rows for what this layer draws from ``data`` (default: its fixed legend)."""
        return self.legend

    def credits(self, data: MapData) -> tuple[str, ...]:
        """The source lines exports print for this layer (default: its fixed attribution)."""
        return (self.attribution,) if self.attribution else ()

    def to_folium(self, data: MapData) -> folium.FeatureGroup:
        """A feature group named after the layer, filled by :meth:`add_to_group`, carrying
        its legend section (shown on the live map while the group is on it)."""
        group = folium.FeatureGroup(name=self.title)
        self.add_to_group(group, data)
        LegendSection(self, self.legend_entries(data)).add_to(group)
        return group

    @abstractmethod
    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        """Add the layer's folium elements to ``group``."""

    @abstractmethod
    def draw_static(self, ax: Axes, data: MapData) -> None:
        """Draw the layer on a matplotlib axes in EPSG:4326 coordinates."""


def safe_json(value: object) -> str:
    """JSON that cannot close a <script> element or open markup when embedded in HTML."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Verbatim(Element):
    """Finished HTML or script text, rendered as is (a plain Element is parsed again as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


class VerbatimScript(MacroElement):
    """A MacroElement with only a ``script`` macro, whose output reaches the page unchanged.

    branca wraps each rendered script in a new Jinja template. That lexes megabytes of
    payload a second time on every page run, and would evaluate any "{{" in user text
    (a front's name, an event's actor) as template code.
    """

    def render(self, **kwargs: object) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} must be added to a map before it is rendered")
        figure.script.add_child(Verbatim(self._template.module.script(self, kwargs)), name=self.get_name())


class LegendSection(VerbatimScript):
    """A layer's rows in the live map's legend control (layers/js/legend.js), shown while
    the layer's group is on the map."""

    default_js: ClassVar[list[tuple[str, str]]] = [("mcm_legend", "mcm/legend.js")]
    default_css: ClassVar[list[tuple[str, str]]] = [
        ("mcm_fonts_css", "fonts/fonts.css"),
        ("mcm_map_css", "mcm/map.css"),
    ]
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        McmLegend.attach({{ this._parent.get_name() }}, {{ this.section }});
        {% endmacro %}
        """
    )

    def __init__(self, layer: MapLayer, entries: tuple[LegendEntry, ...]) -> None:
        super().__init__()
        self._name = "LegendSection"
        self.section = safe_json(
            {
                "id": layer.id,
                "title": layer.title,
                "order": layer.z_order,
                "entries": [_entry_json(e) for e in entries],
            }
            | ({"hint": TOGGLE_HINT} if any(e.toggle and not e.fixed for e in entries) else {})
        )


TOGGLE_HINT = "Click a type to hide or show it"


def _entry_json(entry: LegendEntry) -> dict[str, object]:
    row: dict[str, object] = {"label": entry.label, "color": entry.color, "kind": entry.kind}
    if entry.toggle:
        row |= {"toggle": entry.toggle, "fixed": entry.fixed}
    return row
