"""Vector features embedded as ready JSON, with plain-text tooltips and popups.

folium.GeoJson converts and re-serialises its data on every render, and folium popups
are HTML. Here the boundaries, crossings, fronts and state choropleth are serialised
once per data set (see :class:`FeatureCache`) and inserted as is; tooltips and popups
are built from text nodes, so no name ever becomes markup.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import shapely
from jinja2 import Template

from layers.base import PANES, VerbatimScript, safe_json

Style = dict[str, object]


def features_json(
    frame: gpd.GeoDataFrame,
    labels: list[str],
    styles: list[Style],
    details: list[list[tuple[str, str]]] | None = None,
) -> str:
    """A FeatureCollection whose features carry a ``label``, a Leaflet ``style`` and
    optionally ``details``: (label, value) rows shown in a popup."""
    geometries = json.loads(frame.geometry.to_json(drop_id=True))["features"]
    features = [
        {"type": "Feature", "geometry": geometry["geometry"], "properties": properties}
        for geometry, properties in zip(geometries, _properties(labels, styles, details), strict=True)
    ]
    return safe_json({"type": "FeatureCollection", "features": features})


def properties_json(labels: list[str], styles: list[Style], details: list[list[tuple[str, str]]] | None = None) -> str:
    """New properties for the features of a :func:`features_json` string, in its order: for
    layers whose geometry stays while labels and styles follow the data."""
    return safe_json(_properties(labels, styles, details))


def _properties(
    labels: list[str], styles: list[Style], details: list[list[tuple[str, str]]] | None
) -> list[dict[str, object]]:
    rows = details if details is not None else [None] * len(labels)
    return [
        {"label": label, "style": style, "details": detail}
        for label, style, detail in zip(labels, styles, rows, strict=True)
    ]


class StaticGeoJson(VerbatimScript):
    """Styled features with sticky text tooltips, optional popups and an optional hover style.

    Tooltips and popups are built from text nodes, so no feature text is parsed as HTML.

    Parameters
    ----------
    data_json : output of :func:`features_json`.
    hover : Leaflet path style applied while the pointer is over a feature (None: no change).
    properties_json : output of :func:`properties_json`, replacing the features' properties
        (None: keep them), so cached geometry can carry labels and styles made per page run.
    pane : the Leaflet pane (one of :data:`layers.base.PANES`) that fixes where the
        features draw among the layers.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            const hover = {{ this.hover_json }};
            const data = {{ this.data_json }}, properties = {{ this.properties_json }};
            if (properties) { data.features.forEach((feature, i) => { feature.properties = properties[i]; }); }
            const pane = {{ this.pane_json }};
            L.geoJson(data, {
                pane: pane,
                style: (feature) => feature.properties.style,
                pointToLayer: (feature, latlng) => L.circleMarker(latlng, {...feature.properties.style, pane: pane}),
                onEachFeature: (feature, layer) => {
                    const label = feature.properties.label;
                    if (label) {
                        layer.bindTooltip(() => {
                            const text = document.createElement("span");
                            text.textContent = label;
                            return text;
                        }, {sticky: true});
                    }
                    const details = feature.properties.details;
                    if (details) {
                        layer.bindPopup(() => {
                            const table = document.createElement("table");
                            for (const [name, value] of details) {
                                if (!value) { continue; }
                                const row = table.insertRow(), head = document.createElement("th");
                                head.textContent = name;
                                head.style.cssText = "text-align:left;padding-right:6px;vertical-align:top";
                                row.appendChild(head);
                                row.insertCell().textContent = value;
                            }
                            return table;
                        }, {maxWidth: 360});
                    }
                    if (hover) {
                        layer.on("mouseover", () => layer.setStyle(hover));
                        layer.on("mouseout", () => layer.setStyle(feature.properties.style));
                    }
                },
            }).addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str, pane: str, hover: Style | None = None, properties_json: str = "null") -> None:
        super().__init__()
        if pane not in PANES:
            raise ValueError(f"unknown pane {pane!r}; known panes: {', '.join(PANES)}")
        self._name = "StaticGeoJson"
        self.data_json = data_json
        self.hover_json = safe_json(hover)
        self.properties_json = properties_json
        self.pane_json = safe_json(pane)


def fingerprint(frame: gpd.GeoDataFrame) -> bytes:
    """A digest of a frame's rows, attributes and geometry: equal frames built anew match."""
    digest = hashlib.blake2b(digest_size=16)
    attributes = frame.drop(columns=frame.geometry.name)
    digest.update(pd.util.hash_pandas_object(attributes, index=True).to_numpy().tobytes())
    digest.update(" ".join(map(str, attributes.columns)).encode())
    for wkb in shapely.to_wkb(frame.geometry.values):
        digest.update(wkb or b"")  # None: a missing geometry
    return digest.digest()


class FeatureCache:
    """The JSON of a layer's features, built once per frame content.

    Keyed by content, not only identity: the fronts valid on a date are a new frame on
    every page run, though most runs (a filter change) select the same fronts. The frame
    last seen is kept, so the boundaries (the same object every run) are not even hashed.
    """

    def __init__(self) -> None:
        self._built: tuple[gpd.GeoDataFrame, bytes, str] | None = None  # one data set at a time: the page's

    def get(self, frame: gpd.GeoDataFrame, build: Callable[[], str]) -> str:
        if self._built is not None and self._built[0] is frame:
            return self._built[2]
        key = fingerprint(frame)
        text = self._built[2] if self._built is not None and self._built[1] == key else build()
        self._built = (frame, key, text)
        return text
