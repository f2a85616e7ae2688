"""Neighbouring countries: the land/sea backdrop of the offline basemap."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from layers.base import LegendEntry, MapData, MapLayer
from layers.geojson import FeatureCache, StaticGeoJson, features_json

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MYANMAR_FILL = "#f4efe4"
NEIGHBOUR_FILL = "#e6e6e1"
OUTLINE = "#9a9a92"


class CountriesLayer(MapLayer):
    """National outlines of Myanmar, China, India, Bangladesh, Laos and Thailand.

    Options
    -------
    myanmar_fill, neighbour_fill, outline : colours of Myanmar, the other countries
        and the coastlines.
    """

    id = "countries"
    title = "Countries (backdrop)"
    z_order = 0
    legend = (
        LegendEntry("Myanmar", MYANMAR_FILL, "area"),
        LegendEntry("Neighbouring countries", NEIGHBOUR_FILL, "area"),
    )
    attribution = "Countries: GMT DCW via Debian gmt-dcw (LGPL-3+)"

    def __init__(
        self, myanmar_fill: str = MYANMAR_FILL, neighbour_fill: str = NEIGHBOUR_FILL, outline: str = OUTLINE
    ) -> None:
        self.myanmar_fill = myanmar_fill
        self.neighbour_fill = neighbour_fill
        self.outline = outline
        self._features = FeatureCache()

    def _fill(self, iso3: str) -> str:
        return self.myanmar_fill if iso3 == "MMR" else self.neighbour_fill

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        countries = data.boundaries.display_countries
        features = self._features.get(
            countries,
            lambda: features_json(
                countries,
                list(countries["name"]),
                [
                    {"fillColor": self._fill(iso3), "fillOpacity": 1.0, "color": self.outline, "weight": 0.6}
                    for iso3 in countries["iso3"]
                ],
            ),
        )
        StaticGeoJson(features, "mcmBackdrop").add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        countries = data.boundaries.countries
        colours = [self._fill(iso3) for iso3 in countries["iso3"]]
        countries.plot(ax=ax, color=colours, edgecolor=self.outline, linewidth=0.4, zorder=self.z_order)


LAYER = CountriesLayer()
