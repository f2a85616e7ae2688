"""Events per state as a choropleth: the zoomed-out view of dense data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium
import numpy as np
import pandas as pd

from geo.stats import per_state
from layers.base import LegendEntry, MapData, MapLayer
from layers.events import event_credits
from layers.geojson import FeatureCache, StaticGeoJson, features_json, properties_json

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

# Upper bounds of the classes (events per state) and their colours, light to dark.
CLASS_BOUNDS = (0, 10, 100, 1_000, 10_000)
CLASS_COLOURS = ("#f7f7f7", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000")
CLASS_LABELS = ("No events", "1–10 events", "11–100 events", "101–1,000 events", "More than 1,000 events")


def event_class(count: int) -> int:
    """Index of the class a state's event count falls in."""
    return min(int(np.searchsorted(CLASS_BOUNDS, count, side="left")), len(CLASS_BOUNDS) - 1)


class StateChoroplethLayer(MapLayer):
    """States shaded by the number of (filtered) events in them.

    Options
    -------
    fill_opacity : opacity of the shading.
    """

    id = "state_choropleth"
    title = "Events per state"
    default_visible = False
    z_order = 15
    legend = tuple(
        LegendEntry(label, colour, "area") for label, colour in zip(CLASS_LABELS, CLASS_COLOURS, strict=True)
    )
    attribution = "Events per state: spatial join of the shown events"

    def __init__(self, fill_opacity: float = 0.7) -> None:
        self.fill_opacity = fill_opacity
        self._features = FeatureCache()

    def counted_states(self, data: MapData) -> gpd.GeoDataFrame:
        states = data.boundaries.states[["name", "geometry"]].copy()
        if data.state_counts is not None:
            counts = data.state_counts  # the store's counts for the whole filter, not only the view
        elif data.events is None:
            counts = pd.DataFrame({"events": 0, "fatalities": 0}, index=states["name"])
        else:
            counts = per_state(data.events, states["name"])  # the same table as beside the map
        states = states.join(counts, on="name").fillna({"events": 0, "fatalities": 0})
        states["colour"] = [CLASS_COLOURS[event_class(int(n))] for n in states["events"]]
        return states

    def legend_entries(self, data: MapData) -> tuple[LegendEntry, ...]:
        """The classes some state falls in, lightest first."""
        shown = set(self.counted_states(data)["colour"])
        return tuple(entry for entry in self.legend if entry.color in shown)

    def credits(self, data: MapData) -> tuple[str, ...]:
        return (self.attribution, *event_credits(data))

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        states = self.counted_states(data)
        labels = [
            f"{name}: {int(n):,} events, {int(f):,} fatalities"
            for name, n, f in zip(states["name"], states["events"], states["fatalities"], strict=True)
        ]
        styles = [
            {"fillColor": colour, "fillOpacity": self.fill_opacity, "color": "#555555", "weight": 0.8}
            for colour in states["colour"]
        ]
        outlines = data.boundaries.states
        geometry = self._features.get(
            outlines, lambda: features_json(outlines, [""] * len(outlines), [{}] * len(outlines))
        )
        # The outlines' JSON is made once; only the labels and colours follow the filters.
        StaticGeoJson(geometry, "mcmOverlays", properties_json=properties_json(labels, styles)).add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        states = self.counted_states(data)
        states.plot(
            ax=ax,
            color=list(states["colour"]),
            alpha=self.fill_opacity,
            edgecolor="#555555",
            linewidth=0.4,
            zorder=self.z_order,
        )


LAYER = StateChoroplethLayer()
