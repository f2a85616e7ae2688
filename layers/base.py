"""The common shape of a map layer, shared by the page, exports and tests."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

import folium
from branca.element import Element, Figure, MacroElement

if TYPE_CHECKING:
    from datetime import date

    import geopandas as gpd
    from matplotlib.axes import Axes

    from geo.boundaries import Boundaries
    from layers.events import EventChannel


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a swatch drawn as an area, a line or a point."""

    label: str
    color: str
    kind: Literal["area", "line", "point", "hollow"]
    """``hollow``: a ring in ``color`` (events placed approximately)."""


@dataclass(frozen=True)
class MapData:
    """Everything a layer may draw; layers pick what they need.

    ``events`` are already filtered to what the user asked for, ``fronts`` to those
    valid on ``as_of``; ``period`` is the (start, end) date range shown.
    ``event_channel`` (the page only) names the whole data set already published for the
    browser and the filter it applies there, so a page run sends no event columns.
    """

    boundaries: Boundaries
    events: gpd.GeoDataFrame | None = None
    fronts: gpd.GeoDataFrame | None = None
    period: tuple[date, date] | None = None
    as_of: date | None = None
    event_channel: EventChannel | None = None


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

    def to_folium(self, data: MapData) -> folium.FeatureGroup:
        """A feature group named after the layer, filled by :meth:`add_to_group`."""
        group = folium.FeatureGroup(name=self.title)
        self.add_to_group(group, data)
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
