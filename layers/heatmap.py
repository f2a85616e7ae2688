"""Event density as a heatmap, weighted by fatalities, for dense data sets."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import folium
import numpy as np
import pandas as pd
from folium.plugins import HeatMap
from jinja2 import Template

from layers.base import LegendEntry, MapData, MapLayer, VerbatimScript, safe_json
from layers.events import COLUMN_JS, quantised

if TYPE_CHECKING:
    from matplotlib.axes import Axes


HEAT_GRADIENT = {0.4: "#fcc5c0", 0.7: "#dd3497", 1.0: "#49006a"}
"""Leaflet.heat colour stops, pink to deep purple: apart from the orange conflict states and the red
battles, and a ramp a legend can show (Leaflet.heat's default blue-green-red is neither)."""


class PackedHeatmap(VerbatimScript):
    """Leaflet.heat density decoded in the browser from packed arrays.

    folium's HeatMap checks every point in Python and writes each as a JSON list, then
    branca lexes that JSON again: 0.6 s per page run at 100k events. Here latitude,
    longitude and weight travel as three uint16 columns.

    Parameters
    ----------
    lat, lon, weight : equal-length arrays: degrees, degrees and a weight above 0.
    radius, blur : Leaflet.heat radius and blur in pixels.
    min_opacity : opacity where the heat is weakest.
    """

    default_js: ClassVar[list[tuple[str, str]]] = list(HeatMap.default_js)  # layers.assets serves it locally
    column_js: ClassVar[str] = COLUMN_JS

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            const packed = {{ this.payload }};
            {{ this.column_js }}
            const lat = column(packed.lat), lon = column(packed.lon), weight = column(packed.weight);
            const points = new Array(packed.n);
            for (let i = 0; i < packed.n; i++) {
                points[i] = [
                    packed.lat0 + lat[i] * packed.latScale,
                    packed.lon0 + lon[i] * packed.lonScale,
                    packed.weight0 + weight[i] * packed.weightScale,
                ];
            }
            // Leaflet.heat puts its canvas in the overlay pane, under the area fills; it draws in
            // the density pane instead (and is handed back for Leaflet.heat's own removal).
            const heat = L.heatLayer(points, {{ this.options }});
            heat.onAdd = function (map) {
                L.HeatLayer.prototype.onAdd.call(this, map);
                map.getPane("mcmDensity").appendChild(this._canvas);
            };
            heat.onRemove = function (map) {
                map.getPane("overlayPane").appendChild(this._canvas);
                L.HeatLayer.prototype.onRemove.call(this, map);
            };
            heat.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, lat: np.ndarray, lon: np.ndarray, weight: np.ndarray, radius: int, blur: int, min_opacity: float = 0.5
    ) -> None:
        super().__init__()
        self._name = "PackedHeatmap"
        if not len(lat) == len(lon) == len(weight) > 0:
            raise ValueError("lat, lon and weight must be non-empty and of equal length")
        if (np.asarray(weight) <= 0).any():
            raise ValueError("heat weights must be above 0")
        packed: dict[str, object] = {"n": len(lat)}
        for key, values in (("lat", lat), ("lon", lon), ("weight", weight)):
            packed[key], packed[key + "0"], packed[key + "Scale"] = quantised(pd.Series(values))
        self.payload = safe_json(packed)
        self.options = safe_json(
            {"radius": radius, "blur": blur, "minOpacity": min_opacity, "maxZoom": 18, "gradient": HEAT_GRADIENT}
        )


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
    legend = (
        LegendEntry("Event density: low", HEAT_GRADIENT[0.4], "area"),
        LegendEntry("Event density: high", HEAT_GRADIENT[1.0], "area"),
    )
    attribution = "Heatmap: density of the shown events"
    asset_elements = (PackedHeatmap,)

    def __init__(self, radius: int = 18, blur: int = 15) -> None:
        self.radius, self.blur = radius, blur

    def legend_entries(self, data: MapData) -> tuple[LegendEntry, ...]:
        return self.legend if data.events is not None and not data.events.empty else ()

    @staticmethod
    def weights(data: MapData) -> np.ndarray:
        return 1.0 + np.log1p(data.events["fatalities"].to_numpy(dtype=float))

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        if data.events is None or data.events.empty:
            return
        events = data.events
        PackedHeatmap(
            events["latitude"].to_numpy(),
            events["longitude"].to_numpy(),
            self.weights(data),
            radius=self.radius,
            blur=self.blur,
        ).add_to(group)

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
