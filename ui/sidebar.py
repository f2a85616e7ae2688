"""The sidebar: data uploads, filters, layer toggles and basemap, all mirrored in the URL."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.boundaries import Boundaries
from geo.dataset import import_events
from geo.eventfile import EventFileError
from geo.events import EVENT_TYPES, FORMATS, ImportResult
from geo.filters import EventFilter, from_query, parse_date, to_query
from geo.fronts import FrontsFileError, FrontsImport, derive_control_areas, read_fronts_geojson
from layers import registry
from layers.mapview import BASEMAPS
from ui.panels import literal_markdown

T = TypeVar("T")
MAX_MIN_FATALITIES = 2**53 - 1
"""The number widget's own limit (a browser-safe integer); a hand-edited link may carry more."""


def read_upload(upload: st.runtime.uploaded_file_manager.UploadedFile, read: Callable[[Path], T]) -> T:
    """``read`` run on the upload written to disk under its own name (so messages name the
    user's file), in a folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        return read(path)


def remember(prefix: str, key: str, make: Callable[[], object]) -> object:
    """``make()`` kept in the session under ``prefix + key``; the value of an earlier upload
    under the same prefix is dropped, so a session holds one import, not every file tried."""
    full_key = prefix + key
    if full_key not in st.session_state:
        for stale in [k for k in st.session_state if str(k).startswith(prefix)]:
            del st.session_state[stale]
        st.session_state[full_key] = make()
    return st.session_state[full_key]


@st.cache_resource(max_entries=2, show_spinner=False)
def shared_import(
    digest: str, name: str, fmt: str, _content: bytes, _boundaries: Boundaries
) -> ImportResult | EventFileError:
    """The import of an uploaded file, one per content in the server process: every session
    that opens the same file shares it (sessions keep a reference, not a copy)."""
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(_content)
        try:
            return import_events(path, _boundaries, None if fmt == "detect" else fmt)
        except EventFileError as error:
            return error


EVENTS_KEY = "events-key"
"""Session entry naming the shown upload's content (see :func:`user_events`)."""


def user_events(boundaries: Boundaries) -> ImportResult | None:
    """The events file the user uploaded, imported once per content; None when none.

    The content's key (a hash of the file, its name and the format asked for) is left in
    ``st.session_state[EVENTS_KEY]`` for the page to publish the events under.
    """
    st.sidebar.subheader("Data")
    upload = st.sidebar.file_uploader(
        "Load events (ACLED or UCDP GED CSV, GeoJSON points, CSV with latitude/longitude)",
        type=["csv", "geojson", "json"],
        key="events_upload",
    )
    fmt = st.sidebar.selectbox("Format", ["detect", *FORMATS], key="events_format")
    if upload is None:
        return None

    def load() -> tuple[str, ImportResult | EventFileError]:
        with st.spinner(f"Validating {literal_markdown(upload.name)}…"):
            content = upload.getvalue()
            digest = hashlib.sha256(b"\x1f".join([content, upload.name.encode(), fmt.encode()])).hexdigest()
            return digest, shared_import(digest, upload.name, fmt, content, boundaries)

    digest, result = remember("events-upload:", f"{upload.file_id}:{fmt}", load)
    if isinstance(result, EventFileError):
        st.sidebar.error("The events file could not be loaded:")
        st.sidebar.text(f"{upload.name}: {result.message}")  # text, not markdown: both come from the user
        return None
    st.session_state[EVENTS_KEY] = digest
    return result


def derived_fronts(result: ImportResult) -> gpd.GeoDataFrame:
    """Fronts derived from an upload once per import, not on every rerun (the import lives in session state)."""
    derived = st.session_state.get("derived-fronts")
    if derived is None or derived[0] is not result:
        derived = st.session_state["derived-fronts"] = (result, derive_control_areas(result.events))
    return derived[1]


def user_fronts() -> FrontsImport | None:
    """The fronts file the user uploaded, read once per upload; None when none."""
    upload = st.sidebar.file_uploader(
        "Load fronts (GeoJSON lines or areas)", type=["geojson", "json"], key="fronts_upload"
    )
    if upload is None:
        return None

    def load() -> FrontsImport | FrontsFileError:
        try:
            return read_upload(upload, read_fronts_geojson)
        except FrontsFileError as error:
            return error

    result = remember("fronts-upload:", upload.file_id, load)
    if isinstance(result, FrontsFileError):
        st.sidebar.error("The fronts file could not be loaded:")
        st.sidebar.text(f"{upload.name}: {result.message}")  # text, not markdown: both come from the user
        return None
    return result


def query_lists() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _known(wanted: frozenset[str] | None, options: Iterable[str]) -> list[str]:
    return sorted(set(wanted or ()) & set(options))


def filter_widgets(events: pd.DataFrame, state_names: list[str]) -> tuple[EventFilter, date]:
    """Sidebar filters, started from the URL and bounded by the data's own range."""
    st.sidebar.subheader("Filters")
    wanted = from_query(query_lists())
    first = events["event_date"].min().date() if len(events) else date(2023, 10, 27)
    last = events["event_date"].max().date() if len(events) else date(2024, 1, 31)
    start = min(max(wanted.start or first, first), last)
    end = max(min(wanted.end or last, last), start)
    if first == last:  # a slider needs two different ends
        st.sidebar.caption(f"Every event is dated {first.isoformat()}.")
        period, as_of = (first, last), first
    else:
        period = st.sidebar.slider("Date range", min_value=first, max_value=last, value=(start, end), key="period")
        as_of_default = parse_date(st.query_params.get_all("asof")) or period[1]
        as_of = st.sidebar.slider(
            "Fronts as of", min_value=first, max_value=last, value=min(max(as_of_default, first), last), key="as_of"
        )
    # A shared link may name what this data set does not have: unknown values are left out, not fatal.
    types = st.sidebar.multiselect(
        "Event types", EVENT_TYPES, default=_known(wanted.event_types, EVENT_TYPES), key="types"
    )
    actors_known = sorted(set(pd.concat([events["actor1"], events["actor2"]]).dropna().unique()) - {""})
    actors = st.sidebar.multiselect(
        "Actors (either side)",
        actors_known,
        default=_known(wanted.actors, actors_known),
        key="actors",
        placeholder="All actors: type to search",
    )
    states = st.sidebar.multiselect(
        "States and regions",
        sorted(state_names),
        default=_known(wanted.states, state_names),
        key="states",
    )
    min_fatalities = st.sidebar.number_input(
        "Minimum fatalities",
        min_value=0,
        max_value=MAX_MIN_FATALITIES,
        value=min(wanted.min_fatalities, MAX_MIN_FATALITIES),
        step=1,
        key="min_fatalities",
    )
    chosen = EventFilter(
        start=period[0] if period[0] > first else None,
        end=period[1] if period[1] < last else None,
        event_types=types or None,
        actors=actors or None,
        states=states or None,
        min_fatalities=int(min_fatalities),
    )
    return chosen, as_of


def layer_toggles() -> list[str]:
    """One checkbox per registered layer."""
    in_url = st.query_params.get("layers")
    wanted = set(in_url.split(",")) if in_url is not None else None
    st.sidebar.subheader("Layers")
    return [
        layer.id
        for layer in registry()
        if st.sidebar.checkbox(
            layer.title,
            value=layer.default_visible if wanted is None else layer.id in wanted,
            key=f"layer_{layer.id}",
        )
    ]


def basemap_choice() -> str:
    ids = list(BASEMAPS)
    in_url = st.query_params.get("basemap", ids[0])
    return st.sidebar.radio(
        "Basemap",
        ids,
        index=ids.index(in_url) if in_url in ids else 0,
        format_func=lambda basemap_id: BASEMAPS[basemap_id].title,
        key="basemap",
    )


def mirror_in_url(event_filter: EventFilter, as_of: date, visible: list[str], basemap_id: str) -> None:
    query: dict[str, list[str] | str] = dict(to_query(event_filter))
    query.update(asof=as_of.isoformat(), layers=",".join(visible), basemap=basemap_id)
    st.query_params.from_dict(query)
