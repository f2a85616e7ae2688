"""Vector features embedded as ready JSON, with plain-text tooltips and popups.

folium.GeoJson converts and re-serialises its data on every render, and folium popups
are HTML. Here the boundaries, crossings, fronts and state choropleth are serialised
once per data set (see :class:`FeatureCache`) and inserted as is; tooltips and popups
are built from text nodes, so no name ever becomes markup. On the page the large ones
travel once: :func:`publish_features` writes them under ``static/`` and the browser
fetches each file once (layers/js/features.js), so a page run sends only their address.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element
from jinja2 import Template

from layers.assets import REPO_ROOT
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


class PublishableJson(VerbatimScript):
    """A script element whose ``data_json`` the page may publish as a file (:func:`publish_features`):
    its template then reads ``data_url`` (a JSON string) through ``McmFeatures.load`` instead."""

    default_js: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, data_json: str) -> None:
        super().__init__()
        self.data_json = data_json
        self.data_url: str | None = None


class StaticGeoJson(PublishableJson):
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

    ``data_url`` (set by :func:`publish_features`): the address the browser fetches
    ``data_json`` from, once per page, instead of reading it from the script.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (draw) {
            {% if this.data_url %}
            McmFeatures.load({{ this.data_url }}, draw);
            {% else %}
            draw({{ this.data_json }});
            {% endif %}
        })((data) => {
            const hover = {{ this.hover_json }}, properties = {{ this.properties_json }};
            const features = properties
                ? {...data, features: data.features.map((feature, i) => ({...feature, properties: properties[i]}))}
                : data;  // new features: a fetched collection is shared by every page run
            const pane = {{ this.pane_json }};
            L.geoJson(features, {
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
        });
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str, pane: str, hover: Style | None = None, properties_json: str = "null") -> None:
        super().__init__(data_json)
        if pane not in PANES:
            raise ValueError(f"unknown pane {pane!r}; known panes: {', '.join(PANES)}")
        self._name = "StaticGeoJson"
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


FEATURES_JS = ("mcm-features", "https://local.invalid/mcm/features.js")
"""The loader of published features as an asset name (layers/js/features.js, served locally)."""
PUBLISHED_FEATURES_DIR = REPO_ROOT / "static" / "features"
PUBLISHED_FEATURES_URL = "/app/static/features"
PUBLISH_ABOVE = 16_000
"""Features smaller than this (characters of JSON) stay in the page run's script: a fetch costs more."""
KEEP_PUBLISHED_FEATURES = 64
"""Files kept on disk (fronts valid on other dates make new ones); the oldest go first."""


class FeatureLoader(Element):
    """Stands for layers/js/features.js among the page's preloaded assets (the script that
    fetches published features), so it is there before any such layer is turned on."""

    default_js: ClassVar[list[tuple[str, str]]] = [FEATURES_JS]


@lru_cache(maxsize=32)
def _content_name(data_json: str) -> str:
    """A file name made from the content, cached on the text itself: layers hand back the
    same string object every run (:class:`FeatureCache`), whose hash Python keeps, so a
    repeated run costs a lookup, not a digest of megabytes."""
    return f"{hashlib.blake2b(data_json.encode(), digest_size=16).hexdigest()}.json"


def _published(data_json: str, directory: Path, base_url: str) -> str:
    """Write ``data_json`` once under its content's name (kept fresh while in use); its address."""
    target = directory / _content_name(data_json)
    if target.is_file():
        target.touch()  # in use: the last to be removed
    else:
        directory.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=directory, prefix=".partial-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(data_json)
        os.chmod(partial, 0o644)
        os.replace(partial, target)  # readers never see half a file
        kept = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for stale in kept[:-KEEP_PUBLISHED_FEATURES]:
            stale.unlink(missing_ok=True)
    return f"{base_url}/{target.name}"


def publish_features(
    groups: Iterable[Element], directory: Path = PUBLISHED_FEATURES_DIR, base_url: str = PUBLISHED_FEATURES_URL
) -> None:
    """Let every large :class:`PublishableJson` in ``groups`` (outlines, control) be fetched from a file written once
    per content instead of travelling in each page run's script.

    For the page only: Streamlit serves ``static/`` at ``/app/static/``; exports keep their
    features inline so they open offline as one file.
    """
    for group in groups:
        for element in _descendants(group):
            if isinstance(element, PublishableJson) and len(element.data_json) > PUBLISH_ABOVE:
                element.data_url = safe_json(_published(element.data_json, directory, base_url))
                element.default_js = [*element.default_js, FEATURES_JS]


def _descendants(element: Element) -> Iterable[Element]:
    for child in element._children.values():
        yield child
        yield from _descendants(child)
