"""Event density as a heatmap, weighted by fatalities, for dense data sets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium
import numpy as np
from folium.plugins import HeatMap

from layers.base import LegendEntry, MapData, MapLayer

if TYPE_CHECKING:
    from matplotlib.axes import Axes


class HeatmapLayer(MapLayer):
    """Leaflet.heat density of the shown events; each event weighs 1 + log(1 + fatalities).

    Options
    -------
    radius : heat radius in pixels.
    blur : blur in pixels.
    """

    id = "heatmap"
    title = "Event density (heatmap)"
    default_visible = False
    z_order = 55
    legend = (LegendEntry("Event density", "#ff4500", "area"),)
    attribution = "Heatmap: density of the shown events"

    def __init__(self, radius: int = 18, blur: int = 15) -> None:
        self.radius, self.blur = radius, blur

    @staticmethod
    def weights(data: MapData) -> np.ndarray:
        return 1.0 + np.log1p(data.events["fatalities"].to_numpy(dtype=float))

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        if data.events is None or data.events.empty:
            return
        points = np.column_stack(
            [data.events["latitude"].round(4), data.events["longitude"].round(4), self.weights(data).round(2)]
        )
        HeatMap(points.tolist(), radius=self.radius, blur=self.blur).add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        if data.events is None or data.events.empty:
            return
        ax.hexbin(
            data.events["longitude"],
            data.events["latitude"],
            C=self.weights(data),
            reduce_C_function=np.sum,
            gridsize=60,
            cmap="OrRd",
            mincnt=1,
            alpha=0.6,
            zorder=self.z_order,
        )


LAYER = HeatmapLayer()
