"""Myanmar's international land borders, the China–Myanmar border emphasised."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from geo.boundaries import CHINA_BORDER_ISO3
from layers.base import LegendEntry, MapData, MapLayer
from layers.geojson import FeatureCache, StaticGeoJson, features_json

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CHINA_BORDER_COLOUR = "#c0142c"
OTHER_BORDER_COLOUR = "#3b3b3b"


class BordersLayer(MapLayer):
    """International borders as lines with name and length on hover.

    Options
    -------
    emphasised_iso3 : neighbour whose border is drawn heavier (default China).
    emphasis_colour, colour : line colours.
    """

    id = "borders"
    title = "International borders"
    z_order = 30
    legend = (
        LegendEntry("China–Myanmar border", CHINA_BORDER_COLOUR, "line"),
        LegendEntry("Other international borders", OTHER_BORDER_COLOUR, "line"),
    )
    attribution = "Borders: derived from the country outlines"

    def __init__(
        self,
        emphasised_iso3: str = CHINA_BORDER_ISO3,
        emphasis_colour: str = CHINA_BORDER_COLOUR,
        colour: str = OTHER_BORDER_COLOUR,
    ) -> None:
        self.emphasised_iso3 = emphasised_iso3
        self.emphasis_colour, self.colour = emphasis_colour, colour
        self._features = FeatureCache()

    def _style(self, iso3: str) -> dict[str, object]:
        if iso3 == self.emphasised_iso3:
            return {"color": self.emphasis_colour, "weight": 4, "opacity": 0.9}
        return {"color": self.colour, "weight": 2, "opacity": 0.8}

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        borders = data.boundaries.borders
        features = self._features.get(
            borders,
            lambda: features_json(
                borders,
                [
                    f"{name}: {length:,.0f} km"
                    for name, length in zip(borders["name"], borders["length_km"], strict=True)
                ],
                [self._style(iso3) for iso3 in borders["neighbour_iso3"]],
            ),
        )
        StaticGeoJson(features, "mcmLines").add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        borders = data.boundaries.borders
        emphasised = borders["neighbour_iso3"] == self.emphasised_iso3
        if (~emphasised).any():
            borders[~emphasised].plot(ax=ax, color=self.colour, linewidth=1.0, zorder=self.z_order)
        if emphasised.any():
            borders[emphasised].plot(ax=ax, color=self.emphasis_colour, linewidth=2.0, zorder=self.z_order + 1)


LAYER = BordersLayer()
