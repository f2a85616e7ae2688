"""Event density as a heatmap, weighted by fatalities, for dense data sets."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import folium
import numpy as np
import pandas as pd
from folium.plugins import HeatMap
from jinja2 import Template
from matplotlib.colors import LinearSegmentedColormap, ListedColormap, to_hex
from scipy.ndimage import gaussian_filter

from layers.base import LegendEntry, MapData, MapLayer, VerbatimScript, safe_json
from layers.events import COLUMN_JS, event_credits, quantised

if TYPE_CHECKING:
    from matplotlib.axes import Axes


HEAT_GRADIENT = {0.4: "#fcc5c0", 0.7: "#dd3497", 1.0: "#49006a"}
"""Leaflet.heat colour stops, pink to deep purple: apart from the orange conflict states and the red
battles, and a ramp a legend can show (Leaflet.heat's default blue-green-red is neither)."""
BANDWIDTH_SHARE = 1 / 60
"""Gaussian kernel's standard deviation as a share of the view's width: about 30 km for
the whole country, 7 km for northern Shan, so density reads at every extent."""
CELLS_PER_BANDWIDTH = 4
FAINTEST = 0.005
"""Densities below this share of the peak are not drawn at all, so the map shows through."""


def _fading_ramp() -> ListedColormap:
    """The live map's colour stops, fading to transparent at the faint end: no hard edge around a blob."""
    low = min(HEAT_GRADIENT)
    stops = LinearSegmentedColormap.from_list(
        "heat", [((level - low) / (1 - low), colour) for level, colour in HEAT_GRADIENT.items()]
    )
    colours = stops(np.linspace(0.0, 1.0, 256))
    colours[:, 3] = 0.85 * np.sqrt(np.linspace(0.0, 1.0, 256))
    return ListedColormap(colours, name="density")


DENSITY_RAMP = _fading_ramp()
RAMP_LEGEND = (("Density: low", 0.1), ("Density: medium", 0.55), ("Density: highest in view", 1.0))
"""Legend swatches: label and level on the ramp (share of the peak)."""


def density_grid(
    lon: np.ndarray, lat: np.ndarray, weights: np.ndarray, view: tuple[float, float, float, float]
) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """Weighted Gaussian kernel density on a regular grid over ``view`` (west, east, south,
    north), scaled to peak 1.

    Returns the grid (rows south to north) and its extent (west, east, south, north): the
    events' extent padded by four bandwidths, so kernels fade out inside it, cut to the view.
    """
    view_west, view_east, view_south, view_north = view
    bandwidth = (view_east - view_west) * BANDWIDTH_SHARE
    pad = 4 * bandwidth
    west, east = max(float(lon.min()) - pad, view_west - pad), min(float(lon.max()) + pad, view_east + pad)
    south, north = max(float(lat.min()) - pad, view_south - pad), min(float(lat.max()) + pad, view_north + pad)
    if west >= east or south >= north:
        return np.zeros((1, 1)), view
    cell = bandwidth / CELLS_PER_BANDWIDTH
    columns, rows = max(int(np.ceil((east - west) / cell)), 1), max(int(np.ceil((north - south) / cell)), 1)
    counts, _, _ = np.histogram2d(lat, lon, bins=(rows, columns), range=((south, north), (west, east)), weights=weights)
    density = gaussian_filter(counts, sigma=CELLS_PER_BANDWIDTH, mode="constant")
    peak = density.max()
    return (density / peak if peak > 0 else density), (west, east, south, north)


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
    legend = tuple(LegendEntry(label, to_hex(DENSITY_RAMP(level)), "area") for label, level in RAMP_LEGEND)
    attribution = "Heatmap: density of the shown events"
    asset_elements = (PackedHeatmap,)

    def __init__(self, radius: int = 18, blur: int = 15) -> None:
        self.radius, self.blur = radius, blur

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

    def legend_entries(self, data: MapData) -> tuple[LegendEntry, ...]:
        return () if data.events is None or data.events.empty else self.legend

    def credits(self, data: MapData) -> tuple[str, ...]:
        return (self.attribution, *event_credits(data))

    def draw_static(self, ax: Axes, data: MapData) -> None:
        """A smooth density whose faint edge fades into the map instead of ending in pale cells.

        The kernel follows the axes' extent, which the snapshot sets before layers draw;
        on axes without one, the events' extent.
        """
        if data.events is None or data.events.empty:
            return
        lon, lat = data.events["longitude"].to_numpy(dtype=float), data.events["latitude"].to_numpy(dtype=float)
        if ax.get_autoscalex_on() or ax.get_autoscaley_on():  # no extent set: the events' own
            view = (lon.min() - 0.5, lon.max() + 0.5, lat.min() - 0.5, lat.max() + 0.5)
        else:
            view = (*ax.get_xlim(), *ax.get_ylim())
        density, extent = density_grid(lon, lat, self.weights(data), view)
        if not density.any():  # every event far outside the view
            return
        ax.imshow(
            np.ma.masked_less(density, FAINTEST),
            extent=extent,
            origin="lower",
            cmap=DENSITY_RAMP,
            vmin=0,
            vmax=1,
            interpolation="bilinear",
            zorder=self.z_order,
        )


LAYER = HeatmapLayer()
