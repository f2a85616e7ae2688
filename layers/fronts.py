"""Fronts valid on the "as of" date: reported-control areas and front lines."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import folium

from layers.base import LegendEntry, MapData, MapLayer
from layers.geojson import FeatureCache, StaticGeoJson, features_json

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

ACTOR_PALETTE = ("#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4", "#b15928")
LINE_COLOUR = "#000000"


def actor_colour(actor: str) -> str:
    """A stable colour per actor, the same on the map and in static exports."""
    digest = hashlib.sha1(actor.encode("utf-8")).digest()
    return ACTOR_PALETTE[digest[0] % len(ACTOR_PALETTE)]


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)  # None and NaN show as nothing


def _period(row: object) -> str:
    start = row.valid_from.date().isoformat()
    end = "ongoing" if row.valid_to is None or row.valid_to != row.valid_to else row.valid_to.date().isoformat()
    return f"{start} – {end}"


class FrontsLayer(MapLayer):
    """Control areas filled in the controlling actor's colour; front lines dashed.

    Options
    -------
    fill_opacity : opacity of control areas.
    line_weight : width of front lines in pixels.
    """

    id = "fronts"
    title = "Fronts (as of date)"
    z_order = 50
    legend = (
        LegendEntry("Reported control area (colour per actor)", ACTOR_PALETTE[0], "area"),
        LegendEntry("Front line", LINE_COLOUR, "line"),
    )
    attribution = "Fronts: derived from cited events' territory changes, or user-supplied"

    def __init__(self, fill_opacity: float = 0.35, line_weight: int = 3) -> None:
        self.fill_opacity, self.line_weight = fill_opacity, line_weight
        self._features = FeatureCache()

    def legend_entries(self, data: MapData) -> tuple[LegendEntry, ...]:
        """One row per actor whose control areas are shown, and front lines if any are."""
        fronts = data.fronts
        if fronts is None or fronts.empty:
            return ()
        is_line = fronts.geom_type.str.contains("LineString")
        # Coloured as drawn: by the actor's text as the areas are.
        actors = sorted({(_text(actor) or "Unnamed actor", str(actor)) for actor in fronts.loc[~is_line, "actor"]})
        entries = [LegendEntry(f"Control: {name}", actor_colour(key), "area") for name, key in actors]
        if is_line.any():
            entries.append(LegendEntry("Front line", LINE_COLOUR, "line"))
        return tuple(entries)

    def credits(self, data: MapData) -> tuple[str, ...]:
        """Credited only when some front is shown."""
        return () if data.fronts is None or data.fronts.empty else super().credits(data)

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        if data.fronts is None or data.fronts.empty:
            return
        # One layer for all fronts: hundreds of derived areas change with the "as of" date.
        features = self._features.get(data.fronts, lambda: self._features_json(data.fronts))
        StaticGeoJson(features, "mcmOverlays").add_to(group)

    def _features_json(self, fronts: gpd.GeoDataFrame) -> str:
        rows = list(fronts.itertuples())
        is_line = fronts.geom_type.str.contains("LineString").to_numpy()
        return features_json(
            fronts,
            [f"{row.actor} ({row.front})" for row in rows],
            [self._style(str(row.actor), line) for row, line in zip(rows, is_line, strict=True)],
            [
                [
                    ("Front", _text(row.front)),
                    ("Actor", _text(row.actor)),
                    ("Status", _text(row.status)),
                    ("Valid", _period(row)),
                    ("Source", _text(row.source)),
                    ("Notes", _text(row.notes)),
                ]
                for row in rows
            ],
        )

    def _style(self, actor: str, is_line: bool) -> dict[str, object]:
        if is_line:
            return {"color": LINE_COLOUR, "weight": self.line_weight, "dashArray": "8 6"}
        colour = actor_colour(actor)
        return {"color": colour, "weight": 1.5, "fillColor": colour, "fillOpacity": self.fill_opacity}

    def draw_static(self, ax: Axes, data: MapData) -> None:
        fronts = data.fronts
        if fronts is None or fronts.empty:
            return
        is_line = fronts.geom_type.str.contains("LineString")
        areas = fronts[~is_line]
        if not areas.empty:
            colours = [actor_colour(str(actor)) for actor in areas["actor"]]
            areas.plot(ax=ax, color=colours, alpha=self.fill_opacity, edgecolor=colours, zorder=self.z_order)
        if is_line.any():
            fronts[is_line].plot(ax=ax, color=LINE_COLOUR, linewidth=1.5, linestyle="--", zorder=self.z_order + 1)


LAYER = FrontsLayer()
