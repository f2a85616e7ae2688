"""Yunnan province, China's side of the northern Shan front."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from layers.base import LegendEntry, MapData, MapLayer
from layers.geojson import FeatureCache, StaticGeoJson, features_json

if TYPE_CHECKING:
    from matplotlib.axes import Axes

YUNNAN_FILL = "#7fa7c9"
YUNNAN_EDGE = "#2f5d86"


class YunnanLayer(MapLayer):
    """Yunnan province outline and a light fill.

    Options
    -------
    fill, edge : colours of the area and its outline.
    """

    id = "yunnan"
    title = "Yunnan (China)"
    z_order = 20
    legend = (LegendEntry("Yunnan province (China)", YUNNAN_FILL, "area"),)
    attribution = "Yunnan: GMT DCW via Debian gmt-dcw (LGPL-3+)"

    def __init__(self, fill: str = YUNNAN_FILL, edge: str = YUNNAN_EDGE) -> None:
        self.fill, self.edge = fill, edge
        self._features = FeatureCache()

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        yunnan = data.boundaries.yunnan
        style = {"fillColor": self.fill, "fillOpacity": 0.3, "color": self.edge, "weight": 1.5, "dashArray": "6 4"}
        features = self._features.get(
            yunnan, lambda: features_json(yunnan, ["Yunnan province (China)"] * len(yunnan), [style] * len(yunnan))
        )
        StaticGeoJson(features, "mcmAreas").add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        yunnan = data.boundaries.yunnan
        yunnan.plot(ax=ax, color=self.fill, alpha=0.35, linewidth=0, zorder=self.z_order)
        yunnan.boundary.plot(ax=ax, color=self.edge, linewidth=0.8, linestyle="--", zorder=self.z_order + 1)


LAYER = YunnanLayer()
