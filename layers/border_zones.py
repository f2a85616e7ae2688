"""Bands 10, 25 and 50 km from the China–Myanmar border, on Myanmar's side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from layers.base import LegendEntry, MapData, MapLayer
from layers.geojson import FeatureCache, StaticGeoJson, features_json

if TYPE_CHECKING:
    from matplotlib.axes import Axes

ZONE_COLOURS = {10: "#67000d", 25: "#cb181d", 50: "#fc9272"}


class BorderZonesLayer(MapLayer):
    """Distance bands from the China border, nearest darkest.

    Options
    -------
    fill_opacity : opacity of the bands.
    """

    id = "border_zones"
    title = "China border zones (10/25/50 km)"
    default_visible = False
    z_order = 25
    legend = tuple(
        LegendEntry(f"Within {km} km of the China border", colour, "area") for km, colour in ZONE_COLOURS.items()
    )
    attribution = "Border zones: buffers of the derived China–Myanmar border"

    def __init__(self, fill_opacity: float = 0.25) -> None:
        self.fill_opacity = fill_opacity
        self._features = FeatureCache()

    def _colour(self, km: float) -> str:
        return ZONE_COLOURS.get(int(km), "#fcbba1")

    def legend_entries(self, data: MapData) -> tuple[LegendEntry, ...]:
        """One swatch per band the zones hold, nearest first."""
        zones = data.boundaries.china_border_zones
        return tuple(
            LegendEntry(f"Within {km:g} km of the China border", self._colour(km), "area")
            for km in sorted(zones.loc[~zones.geometry.is_empty, "distance_km"].unique())
        )

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        zones = data.boundaries.china_border_zones
        features = self._features.get(
            zones,
            lambda: features_json(
                zones,
                list(zones["name"]),
                [
                    {
                        "fillColor": self._colour(km),
                        "fillOpacity": self.fill_opacity,
                        "color": self._colour(km),
                        "weight": 0.8,
                    }
                    for km in zones["distance_km"]
                ],
            ),
        )
        StaticGeoJson(features, "mcmOverlays").add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        zones = data.boundaries.china_border_zones
        colours = [self._colour(km) for km in zones["distance_km"]]
        zones.plot(ax=ax, color=colours, alpha=self.fill_opacity, linewidth=0, zorder=self.z_order)


LAYER = BorderZonesLayer()
