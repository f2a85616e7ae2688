"""Conflict events: drawn on one canvas in the browser from packed arrays.

One folium marker per event costs ~800 HTML bytes and seconds of build time; here
every column travels once as a little-endian typed array (base64) or as an index into
a table of distinct strings, and the browser draws all events on one canvas without
creating an object per event. Popups are built on click with DOM text nodes, so event
text never becomes markup.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, ClassVar

import folium
import numpy as np
import pandas as pd
from folium.plugins import MarkerCluster
from jinja2 import Template
from matplotlib.colors import to_rgba_array

from geo.events import EVENT_TYPES
from layers.base import LegendEntry, MapData, MapLayer, VerbatimScript, safe_json

if TYPE_CHECKING:
    from matplotlib.axes import Axes

EVENT_TYPE_COLOURS: dict[str, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Strategic developments": "#2ca02c",
    "Protests": "#1f77b4",
    "Riots": "#8c564b",
}
OTHER_COLOUR = "#7f7f7f"
TYPE_RGBA = to_rgba_array([*(EVENT_TYPE_COLOURS[t] for t in EVENT_TYPES), OTHER_COLOUR])
"""Marker colours in the order of :func:`event_type_codes`."""
RASTERIZE_ABOVE = 2_000
"""Vector exports draw at most this many event markers as shapes: 100k would make a 75 MB SVG."""
EPOCH = np.datetime64("1970-01-01", "D")


def marker_radius(fatalities: np.ndarray | pd.Series) -> np.ndarray:
    """Pixel radius growing with the square root of fatalities, capped for readability."""
    return np.minimum(4.0 + 1.5 * np.sqrt(np.asarray(fatalities, dtype=float)), 20.0)


COLUMN_JS = """
const column = (c) => {
    const kinds = {uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array};
    const raw = atob(c.data);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return new kinds[c.type](bytes.buffer);
};
"""
"""JavaScript that turns a packed column ({data: base64, type}) back into a typed array."""


def b64(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values).astype(values.dtype.newbyteorder("<")).tobytes()).decode()


def _codes(values: pd.Series) -> tuple[dict[str, str], list[str]]:
    """Index array (smallest unsigned type) and the table of distinct strings."""
    codes, table = pd.factorize(values.fillna(""), sort=False)  # no astype(str): Arrow strings convert row by row
    dtype = np.uint8 if len(table) <= 0xFF else np.uint16 if len(table) <= 0xFFFF else np.uint32
    return {"data": b64(codes.astype(dtype)), "type": np.dtype(dtype).name}, [str(v) for v in table]


def quantised(values: pd.Series) -> tuple[dict[str, object], float, float]:
    """``values`` as uint16 steps between their minimum and maximum: (column, minimum, step).
    Over Myanmar's 19° of latitude a step is about 30 m."""
    low, high = float(values.min()), float(values.max())
    scale = (high - low) / 0xFFFF or 1.0
    steps = np.round((values.to_numpy(dtype=float) - low) / scale).astype(np.uint16)
    return {"data": b64(steps), "type": "uint16"}, low, scale


def event_type_codes(events: pd.DataFrame) -> np.ndarray:
    """Position of each event's type in EVENT_TYPES; len(EVENT_TYPES) for any other type."""
    codes = pd.Index(EVENT_TYPES).get_indexer(events["event_type"])
    return np.where(codes < 0, len(EVENT_TYPES), codes).astype(np.uint8)


def pack_events(events: pd.DataFrame) -> dict[str, object]:
    """The events as columnar arrays and string tables, ready for JSON."""
    if events.empty:
        return {"n": 0}
    lat, lat0, lat_scale = quantised(events["latitude"])
    lon, lon0, lon_scale = quantised(events["longitude"])
    days = (events["event_date"].to_numpy(dtype="datetime64[D]") - EPOCH).astype(np.uint16)
    fatalities = np.clip(events["fatalities"].to_numpy(dtype=np.int64), 0, 0xFFFF)
    fatality_type = np.uint8 if fatalities.max() <= 0xFF else np.uint16  # most events report few deaths
    type_codes = event_type_codes(events)
    packed: dict[str, object] = {
        "n": len(events),
        "lat": lat,
        "lon": lon,
        "lat0": lat0,
        "latScale": lat_scale,
        "lon0": lon0,
        "lonScale": lon_scale,
        "day": {"data": b64(days), "type": "uint16"},
        "fatalities": {"data": b64(fatalities.astype(fatality_type)), "type": np.dtype(fatality_type).name},
        "eventType": {"data": b64(type_codes), "type": "uint8"},
        "types": [*EVENT_TYPES, "Other"],
        "colours": [*(EVENT_TYPE_COLOURS[t] for t in EVENT_TYPES), OTHER_COLOUR],
    }
    place = events["location"].fillna("").astype(str) + ", " + events["admin1"].fillna("").astype(str)
    for key, values in (
        ("subType", events["sub_event_type"]),
        ("actor1", events["actor1"]),
        ("actor2", events["actor2"]),
        ("place", place.str.strip(", ")),
        ("source", events["source"]),
    ):
        packed[key], packed[key + "Table"] = _codes(values)
    return packed


class PackedEventMarkers(VerbatimScript):
    """Many events on one canvas, decoded from packed arrays in the browser.

    The browser keeps no object per event: it projects and draws every event after each
    pan or zoom and finds the event under a click by distance.

    Parameters
    ----------
    events : DataFrame in the event schema (``geo.events.EVENT_COLUMNS``).
    opacity : fill opacity of the markers.
    cluster : group nearby events into Leaflet.markercluster clusters (DOM markers,
        added in chunks) instead of drawing every event on the canvas.
    """

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []
    column_js: ClassVar[str] = COLUMN_JS

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            const packed = {{ this.payload }};
            const group = {{ this._parent.get_name() }};
            if (!packed.n) { return; }
            const opacity = {{ this.opacity }};
            {{ this.column_js }}
            const lat = column(packed.lat), lon = column(packed.lon), day = column(packed.day);
            const fatalities = column(packed.fatalities), eventType = column(packed.eventType);
            const coded = {};
            for (const key of ["subType", "actor1", "actor2", "place", "source"]) { coded[key] = column(packed[key]); }
            const text = (key, i) => packed[key + "Table"][coded[key][i]];
            const latlngOf = (i) => L.latLng(
                packed.lat0 + lat[i] * packed.latScale, packed.lon0 + lon[i] * packed.lonScale
            );
            const radiusOf = (i) => Math.round(Math.min(4 + 1.5 * Math.sqrt(fatalities[i]), 20));

            const row = (table, label, value) => {
                if (value === "" || value === undefined) { return; }
                const tr = table.insertRow();
                const th = document.createElement("th");
                th.textContent = label;
                th.style.cssText = "text-align:left;padding-right:6px;vertical-align:top";
                tr.appendChild(th);
                tr.insertCell().textContent = value;
            };
            // Popups are built from text nodes, so event text never becomes markup.
            const MAX_LISTED = 10;
            const openPopup = (map, indices) => {
                const box = document.createElement("div");
                box.className = "event-popup";
                box.style.cssText = "max-height:320px;overflow-y:auto";
                if (indices.length > 1) {
                    const heading = document.createElement("b");
                    heading.textContent = indices.length + " events at this point";
                    box.appendChild(heading);
                }
                for (const i of indices.slice(0, MAX_LISTED)) {
                    const table = document.createElement("table");
                    table.style.marginBottom = "6px";
                    row(table, "Date", new Date(day[i] * 86400000).toISOString().slice(0, 10));
                    const sub = text("subType", i);
                    row(table, "Type", packed.types[eventType[i]] + (sub ? " (" + sub + ")" : ""));
                    const actor2 = text("actor2", i);
                    row(table, "Actors", text("actor1", i) + (actor2 ? " vs " + actor2 : ""));
                    row(table, "Fatalities", String(fatalities[i]));
                    row(table, "Place", text("place", i));
                    row(table, "Source", text("source", i));
                    box.appendChild(table);
                }
                if (indices.length > MAX_LISTED) {
                    const more = document.createElement("i");
                    more.textContent = "… and " + (indices.length - MAX_LISTED) + " more: zoom in or see the table";
                    box.appendChild(more);
                }
                L.popup({maxWidth: 380}).setLatLng(latlngOf(indices[0])).setContent(box).openOn(map);
            };

            if ({{ this.cluster|tojson }}) {
                // Clustered events are DOM markers; one icon per type and size is shared.
                const icons = {};
                const dot = (type, radius) => {
                    const key = type + ":" + radius;
                    if (!icons[key]) {
                        const size = 2 * radius;
                        icons[key] = L.divIcon({className: "", iconSize: [size, size], html:
                            '<div style="width:' + size + 'px;height:' + size + 'px;border-radius:50%;' +
                            'border:1px solid #222;box-sizing:border-box;opacity:' + opacity + ';' +
                            'background:' + packed.colours[type] + '"></div>'});
                    }
                    return icons[key];
                };
                const markers = L.markerClusterGroup({chunkedLoading: true});
                const batch = [];
                for (let i = 0; i < packed.n; i++) {
                    const marker = L.marker(latlngOf(i), {icon: dot(eventType[i], radiusOf(i))});
                    marker.eventIndex = i;
                    batch.push(marker);
                }
                markers.addLayers(batch);
                markers.on("click", (e) => openPopup(group._map, [e.layer.eventIndex]));
                markers.packedCount = packed.n;
                group.addLayer(markers);
                return;
            }

            // Every event on one canvas, redrawn after each pan or zoom: no object per event.
            const latitudes = new Float64Array(packed.n), longitudes = new Float64Array(packed.n);
            const radii = new Uint8Array(packed.n);
            const byType = packed.colours.map(() => []);
            for (let i = 0; i < packed.n; i++) {
                latitudes[i] = packed.lat0 + lat[i] * packed.latScale;
                longitudes[i] = packed.lon0 + lon[i] * packed.lonScale;
                radii[i] = radiusOf(i);
                byType[eventType[i]].push(i);
            }
            const PAD = 0.5;  // draw half a view beyond each edge so a pan reveals drawn events
            const EventCanvas = L.Layer.extend({
                onAdd: function (map) {
                    this._canvas = L.DomUtil.create("canvas", "packed-events");
                    // Its own pane above the vector layers (whose SVG Leaflet may re-insert on a
                    // rerun), and no pointer events, so tooltips and clicks reach what lies below.
                    this._canvas.style.cssText = "position:absolute;pointer-events:none";
                    const pane = map.getPane("packedEvents") || map.createPane("packedEvents");
                    pane.style.zIndex = 450;
                    pane.appendChild(this._canvas);
                    map.on("moveend zoomend resize viewreset", this.redraw, this);
                    map.on("zoomstart", this._hide, this);
                    map.on("click", this._click, this);
                    this.redraw();
                },
                onRemove: function (map) {
                    L.DomUtil.remove(this._canvas);
                    map.off("moveend zoomend resize viewreset", this.redraw, this);
                    map.off("zoomstart", this._hide, this);
                    map.off("click", this._click, this);
                },
                _hide: function () { this._canvas.style.visibility = "hidden"; },
                redraw: function () {
                    const map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
                    const pad = size.multiplyBy(PAD), full = size.add(pad.multiplyBy(2));
                    const canvas = this._canvas;
                    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint(pad.multiplyBy(-1)));
                    canvas.width = full.x * ratio;
                    canvas.height = full.y * ratio;
                    canvas.style.width = full.x + "px";
                    canvas.style.height = full.y + "px";
                    const ctx = canvas.getContext("2d");
                    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
                    ctx.lineWidth = 0.6;
                    ctx.strokeStyle = "#222";
                    ctx.globalAlpha = opacity;
                    let drawn = 0;
                    byType.forEach((indices, type) => {
                        ctx.beginPath();
                        for (const i of indices) {
                            const point = map.latLngToContainerPoint([latitudes[i], longitudes[i]]);
                            const x = point.x + pad.x, y = point.y + pad.y, r = radii[i];
                            if (x < -r || y < -r || x > full.x + r || y > full.y + r) { continue; }
                            ctx.moveTo(x + r, y);
                            ctx.arc(x, y, r, 0, 2 * Math.PI);
                            drawn++;
                        }
                        ctx.fillStyle = packed.colours[type];
                        ctx.fill();
                        ctx.stroke();
                    });
                    this.drawnCount = drawn;
                    canvas.style.visibility = "visible";
                },
                // The events under a click: those whose centre lies within a pixel of the
                // nearest circle containing the point (events often share a town's point).
                eventsAt: function (x, y) {
                    const hits = [];
                    for (let i = 0; i < packed.n; i++) {
                        const point = this._map.latLngToContainerPoint([latitudes[i], longitudes[i]]);
                        const distance = Math.hypot(point.x - x, point.y - y);
                        if (distance <= radii[i] + 2) { hits.push([distance, i]); }
                    }
                    if (!hits.length) { return []; }
                    const nearest = hits.reduce((low, hit) => Math.min(low, hit[0]), Infinity);
                    const under = hits.filter((hit) => hit[0] <= nearest + 1).map((hit) => hit[1]);
                    return under.sort((a, b) => day[b] - day[a]);  // newest first
                },
                _click: function (e) {
                    const indices = this.eventsAt(e.containerPoint.x, e.containerPoint.y);
                    if (indices.length) { openPopup(this._map, indices); }
                },
                eventPoint: function (i) { return this._map.latLngToContainerPoint(latlngOf(i)); },
            });
            const layer = new EventCanvas();
            layer.packedCount = packed.n;
            group.addLayer(layer);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, events: pd.DataFrame, opacity: float = 0.8, cluster: bool = False) -> None:
        super().__init__()
        self._name = "PackedEventMarkers"
        if not 0 <= opacity <= 1:
            raise ValueError(f"opacity must be between 0 and 1, not {opacity}")
        self.opacity = opacity
        self.cluster = cluster
        if cluster:
            self.default_js = list(MarkerCluster.default_js)
            self.default_css = list(MarkerCluster.default_css)
        self.payload = safe_json(pack_events(events))


EVENTS_ATTRIBUTION = "Events: see each event's source"
"""The events' credit when the data does not say where they come from."""


def event_credits(data: MapData) -> tuple[str, ...]:
    """The credit of the events ``data`` shows, for every layer drawn from them."""
    return (data.events_credit or EVENTS_ATTRIBUTION,)


def event_type_entries(events: pd.DataFrame | None) -> tuple[LegendEntry, ...]:
    """One point swatch per event type present in ``events``, in ACLED's order."""
    if events is None or events.empty:
        return ()
    present = set(events["event_type"].unique())
    return tuple(
        LegendEntry(event_type, colour, "point")
        for event_type, colour in EVENT_TYPE_COLOURS.items()
        if event_type in present
    )


class EventsLayer(MapLayer):
    """Conflict events coloured by ACLED event type and sized by fatalities.

    Options
    -------
    opacity : marker fill opacity.
    cluster : group nearby events into clusters (see :class:`PackedEventMarkers`).
    """

    id = "events"
    title = "Conflict events"
    z_order = 60
    legend = tuple(LegendEntry(event_type, colour, "point") for event_type, colour in EVENT_TYPE_COLOURS.items())
    attribution = EVENTS_ATTRIBUTION

    def __init__(self, opacity: float = 0.8, cluster: bool = False) -> None:
        self.opacity = opacity
        self.cluster = cluster

    def legend_entries(self, data: MapData) -> tuple[LegendEntry, ...]:
        return event_type_entries(data.events)

    def credits(self, data: MapData) -> tuple[str, ...]:
        return event_credits(data)

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        if data.events is not None and not data.events.empty:
            PackedEventMarkers(data.events, opacity=self.opacity, cluster=self.cluster).add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        events = data.events
        if events is None or events.empty:
            return
        ax.scatter(
            events["longitude"],
            events["latitude"],
            s=marker_radius(events["fatalities"]) ** 2,
            c=TYPE_RGBA[event_type_codes(events)],
            edgecolors="#222222",
            linewidths=0.4,
            alpha=self.opacity,
            zorder=self.z_order,
            # SVG and PDF keep a few markers as shapes; thousands become one image at the export's dpi
            rasterized=len(events) > RASTERIZE_ABOVE,
        )


LAYER = EventsLayer()
