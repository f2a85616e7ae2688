"""Conflict events: drawn on one canvas in the browser from packed arrays.

One folium marker per event costs ~800 HTML bytes and seconds of build time; here
every column travels once as a little-endian typed array (base64) or as an index into
a table of distinct strings, and the browser draws all events on one canvas without
creating an object per event. Popups are built on click with DOM text nodes, so event
text never becomes markup.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import folium
import numpy as np
import pandas as pd
from folium.plugins import MarkerCluster
from jinja2 import Template
from matplotlib.colors import to_rgba_array

from geo.cache import SCHEMA_VERSION
from geo.events import EVENT_TYPES
from geo.filters import EventFilter
from layers.assets import REPO_ROOT
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
APPROXIMATE_LABEL = "Approximate position (hollow: precision 2 or 3)"


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
"""JavaScript that turns a packed column ({data: base64, type}) back into a typed array
(the heatmap's inline decoder; the events layer decodes in layers/js/events.js)."""

EVENTS_JS = ("mcm-events", "https://local.invalid/mcm/events.js")
"""The events script as an asset name; layers.assets maps it to the local copy of layers/js/events.js."""

CODED_COLUMNS: dict[str, str] = {
    "subType": "sub_event_type",
    "actor1": "actor1",
    "actor2": "actor2",
    "assoc1": "assoc_actor_1",
    "assoc2": "assoc_actor_2",
    "location": "location",
    "admin3": "admin3",
    "admin2": "admin2",
    "admin1": "admin1",
    "state": "state",
    "placement": "geo_placement",
    "source": "source",
    "interaction": "interaction",
    "admin1Raw": "admin1_raw",
}
"""Packed key -> event column sent as codes into a table of distinct strings. Optional
columns (associated actors; ``state`` before enrichment; ``geo_placement`` for geocoded
rows; ACLED's ``interaction`` and the file's own ``admin1_raw``) are sent empty when
absent; ``state`` falls back to ``admin1`` as the filters do."""

DETAIL_COLUMNS = ("event_id_cnty", "notes", "source_url")
"""Text that is mostly distinct per event: fetched in chunks when a popup opens, not with the columns."""
DETAIL_CHUNK = 5_000


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


def _coded_source(events: pd.DataFrame, column: str) -> pd.Series:
    if column in events.columns:
        return events[column]
    if column == "state":
        return events["admin1"]
    return pd.Series("", index=events.index)


def pack_events(events: pd.DataFrame) -> dict[str, object]:
    """The events as columnar arrays and string tables, ready for JSON (no per-event text)."""
    if events.empty:
        return {"n": 0}
    lat, lat0, lat_scale = quantised(events["latitude"])
    lon, lon0, lon_scale = quantised(events["longitude"])
    days = (events["event_date"].to_numpy(dtype="datetime64[D]") - EPOCH).astype(np.uint16)
    fatalities = np.clip(events["fatalities"].to_numpy(dtype=np.int64), 0, 0xFFFF)
    fatality_type = np.uint8 if fatalities.max() <= 0xFF else np.uint16  # most events report few deaths
    precision = np.clip(events["geo_precision"].to_numpy(dtype=np.int64), 1, 3).astype(np.uint8)
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
        "eventType": {"data": b64(event_type_codes(events)), "type": "uint8"},
        "precision": {"data": b64(precision), "type": "uint8"},
        "types": [*EVENT_TYPES, "Other"],
        "colours": [*(EVENT_TYPE_COLOURS[t] for t in EVENT_TYPES), OTHER_COLOUR],
    }
    for key, column in CODED_COLUMNS.items():
        packed[key], packed[key + "Table"] = _codes(_coded_source(events, column))
    return packed


def event_details(events: pd.DataFrame) -> list[list[str]]:
    """[id, notes, source URL] per event, in row order."""
    frame = pd.DataFrame({c: events[c] if c in events.columns else "" for c in DETAIL_COLUMNS}).fillna("")
    return frame.astype(str).to_numpy().tolist()


def filter_spec(event_filter: EventFilter) -> dict[str, object]:
    """The filter as events.js applies it, every field of it: whole days since 1970-01-01 and
    name lists (None: all). A field left out here would be drawn unfiltered on the map while
    the counts and the table honour it."""

    def day(value: date | None) -> int | None:
        return None if value is None else (np.datetime64(value, "D") - EPOCH).astype(int).item()

    def names(values: frozenset[str] | None) -> list[str] | None:
        return None if values is None else sorted(values)

    return {
        "start": day(event_filter.start),
        "end": day(event_filter.end),
        "types": names(event_filter.event_types),
        "actors": names(event_filter.actors),
        "states": names(event_filter.states),
        "minFatalities": event_filter.min_fatalities,
        "subTypes": names(event_filter.sub_event_types),
        "interactions": names(event_filter.interactions),
        "admin1Raw": names(event_filter.admin1_raw),
        "actorText": event_filter.actor_text,
    }


@dataclass(frozen=True)
class EventChannel:
    """Where the page's browser finds a published data set, what its legend lists, and the
    filter to show it with.

    ``types`` are the event types present in the whole data set (the legend's switches stay
    while a filter hides some); ``map_change`` is the newest filter change made on the map
    that the page has taken in (see ``setFilter`` in layers/js/events.js).
    """

    key: str
    url: str
    details_url: str
    types: tuple[str, ...] = ()
    approximate: bool = False
    filter: dict[str, object] = field(default_factory=dict)
    map_change: float = 0

    def with_filter(self, event_filter: EventFilter, map_change: float = 0) -> EventChannel:
        return replace(self, filter=filter_spec(event_filter), map_change=map_change)

    def source(self) -> dict[str, object]:
        return {"key": self.key, "url": self.url, "detailsUrl": self.details_url, "detailChunk": DETAIL_CHUNK}

    def filter_script(self) -> str:
        """A function of the map drawing its events with this filter, run on every page run
        before the layers are synced: the events layer itself is kept, and only redraws."""
        return f"(map) => McmEvents.setFilter(map, {safe_json(self.filter)}, {safe_json(self.map_change)})"


def type_names(events: pd.DataFrame) -> tuple[str, ...]:
    """The event types present, in legend order ("Other" for any type outside EVENT_TYPES)."""
    present = pd.Index(events["event_type"].unique())  # types, not a code per event
    codes = np.unique(event_type_codes(pd.DataFrame({"event_type": present})))
    return tuple([*EVENT_TYPES, OTHER_TYPE][code] for code in codes)


OTHER_TYPE = "Other"


PUBLISHED_DIR = REPO_ROOT / "static" / "events"
PUBLISHED_URL = "/app/static/events"
KEEP_PUBLISHED = 8
"""Data sets kept on disk; older ones are removed when a new one is published."""
PACK_FORMAT = 4
"""Bump when :func:`pack_events` or :func:`event_details` change: published folders carry it."""
COLUMNS_FILE = "columns.json.gz"
"""Compressed once when published. Streamlit gzips every other file it serves from ``static/``
again on each request, at level 9: for a million events that cost the server about 1.5 s per
session; a ``.gz`` file is served as it is and the browser inflates it (events.js)."""


def _json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _write_json(path: Path, value: object) -> None:
    path.write_text(_json_text(value), encoding="utf-8")


def publish_events(
    events: pd.DataFrame, key: str, directory: Path = PUBLISHED_DIR, base_url: str = PUBLISHED_URL
) -> EventChannel:
    """Write the packed columns of ``events`` and their detail chunks once under ``key``.

    Streamlit serves ``static/`` at ``/app/static/``, files added after start included;
    the browser fetches the columns once per key and keeps them. ``key`` must name the
    content (e.g. a hash of the imported file), so a cached copy is never stale. The folder
    is written under a temporary name and renamed, so a reader never sees half of it.
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,128}", key):
        raise ValueError(f"data set key must be letters, digits, '-' or '_', not {key!r}")
    folder = f"v{PACK_FORMAT}.{SCHEMA_VERSION}-{key}"
    target = directory / folder
    if not target.is_dir():
        directory.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=directory, prefix=".partial-"))
        try:
            packed = _json_text(pack_events(events)).encode("utf-8")
            (partial / COLUMNS_FILE).write_bytes(gzip.compress(packed, compresslevel=1, mtime=0))
            details = event_details(events)
            for chunk, first in enumerate(range(0, len(details), DETAIL_CHUNK)):
                _write_json(partial / f"details-{chunk}.json", details[first : first + DETAIL_CHUNK])
            partial.chmod(0o755)
            partial.rename(target)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)
            if not target.is_dir():  # another process may have published the same key meanwhile
                raise
    target.touch()
    channel = EventChannel(
        folder,
        f"{base_url}/{folder}/{COLUMNS_FILE}",
        f"{base_url}/{folder}/details-{{chunk}}.json",
        types=type_names(events) if len(events) else (),
        approximate=bool((events["geo_precision"] > 1).any()),
    )
    for stale in sorted((p for p in directory.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)[
        :-KEEP_PUBLISHED
    ]:
        shutil.rmtree(stale, ignore_errors=True)
    return channel


class PackedEventMarkers(VerbatimScript):
    """Many events on one canvas, drawn by layers/js/events.js from packed columns.

    The browser keeps no object per event: it draws every shown event after each pan or
    zoom, finds the event under a click by distance and builds popups from text nodes.
    With a ``channel`` (the page) the columns are fetched once per data set and only the
    filter is sent; without (exports) they are embedded with every event's details.

    Parameters
    ----------
    events : DataFrame in the event schema (``geo.events.EVENT_COLUMNS``), already
        filtered; ignored when ``channel`` is given (the browser filters).
    channel : a data set published with :func:`publish_events` and the filter to apply.
    opacity : fill opacity of the markers.
    cluster : group nearby events into Leaflet.markercluster clusters (DOM markers,
        added in chunks) instead of drawing every event on the canvas.
    """

    default_js: ClassVar[list[tuple[str, str]]] = [EVENTS_JS]
    default_css: ClassVar[list[tuple[str, str]]] = []

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        McmEvents.attach(L, {{ this._parent.get_name() }}, {{ this.options }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        events: pd.DataFrame | None = None,
        channel: EventChannel | None = None,
        opacity: float = 0.8,
        cluster: bool = False,
    ) -> None:
        super().__init__()
        self._name = "PackedEventMarkers"
        if not 0 <= opacity <= 1:
            raise ValueError(f"opacity must be between 0 and 1, not {opacity}")
        if (events is None) == (channel is None):
            raise ValueError("give either the events or a channel to a published data set")
        self.opacity = opacity
        self.cluster = cluster
        self.default_js = [EVENTS_JS]
        if cluster:
            self.default_js += list(MarkerCluster.default_js)
            self.default_css = list(MarkerCluster.default_css)
        if channel is not None:
            source, spec = channel.source(), None  # the map's filter, sent apart (filter_script)
        else:
            packed = pack_events(events)
            if packed["n"]:
                packed["details"] = {"rows": event_details(events)}
            source, spec = {"inline": packed}, {}
        self.options = safe_json({"source": source, "filter": spec, "opacity": opacity, "cluster": cluster})


EVENTS_ATTRIBUTION = "Events: see each event's source"
"""The events' credit when the data does not say where they come from."""


def event_credits(data: MapData) -> tuple[str, ...]:
    """The credit of the events ``data`` shows, for every layer drawn from them."""
    return (data.events_credit or EVENTS_ATTRIBUTION,)


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
    asset_elements = (PackedEventMarkers,)

    def __init__(self, opacity: float = 0.8, cluster: bool = False) -> None:
        self.opacity = opacity
        self.cluster = cluster

    def legend_entries(self, data: MapData) -> tuple[LegendEntry, ...]:
        """The event types present, then a hollow "approximate position" row when any is drawn.

        On the page (a published data set) these are the whole data set's types, each a switch
        of the map's type filter, so a type hidden by a click can be clicked back; an export
        lists the types of the events it draws.
        """
        channel = data.event_channel
        if channel is not None:
            names, approximate, toggle = channel.types, channel.approximate, "types"
        elif data.events is None or data.events.empty:
            return ()
        else:
            names, approximate, toggle = type_names(data.events), bool((data.events["geo_precision"] > 1).any()), None
        entries = [
            LegendEntry(name, EVENT_TYPE_COLOURS.get(name, OTHER_COLOUR), "point", toggle, fixed=name == OTHER_TYPE)
            for name in names
        ]
        if approximate:
            entries.append(LegendEntry(APPROXIMATE_LABEL, "#222222", "hollow-point"))
        return tuple(entries)

    def credits(self, data: MapData) -> tuple[str, ...]:
        return event_credits(data)

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        if data.event_channel is not None:
            PackedEventMarkers(channel=data.event_channel, opacity=self.opacity, cluster=self.cluster).add_to(group)
        elif data.events is not None and not data.events.empty:
            PackedEventMarkers(data.events, opacity=self.opacity, cluster=self.cluster).add_to(group)

    def draw_static(self, ax: Axes, data: MapData) -> None:
        events = data.events
        if events is None or events.empty:
            return
        colours = TYPE_RGBA[event_type_codes(events)]
        sizes = marker_radius(events["fatalities"]) ** 2
        approximate = (events["geo_precision"] > 1).to_numpy()
        # SVG and PDF keep a few markers as shapes; thousands become one image at the export's dpi
        rasterized = len(events) > RASTERIZE_ABOVE
        for hollow in (False, True):
            chosen = approximate == hollow
            if not chosen.any():
                continue
            ax.scatter(
                events["longitude"].to_numpy()[chosen],
                events["latitude"].to_numpy()[chosen],
                s=sizes[chosen],
                c="none" if hollow else colours[chosen],
                edgecolors=colours[chosen] if hollow else "#222222",
                linewidths=1.4 if hollow else 0.4,
                alpha=self.opacity,
                zorder=self.z_order,
                rasterized=rasterized,
            )


LAYER = EventsLayer()
