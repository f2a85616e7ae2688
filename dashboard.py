"""Myanmar border-wars conflict map: the Streamlit page (widgets only).

Loading, validation and geoprocessing live in ``geo/``; drawing lives in ``layers/``.
Every filter, date and layer choice is mirrored in the URL so a view can be shared.
"""

from __future__ import annotations

import tempfile
from datetime import date
from functools import partial
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.boundaries import Boundaries, BoundaryDataError
from geo.dataset import SAMPLE_EVENTS, fronts_for, import_events, sample_fronts
from geo.events import EVENT_TYPES, FORMATS, EventFileError, ImportResult
from geo.export import events_to_csv, events_to_geojson, fronts_to_geojson, snapshot_filename
from geo.filters import EventFilter, from_query, to_query
from geo.fronts import FrontsFileError, FrontsImport, fronts_as_of, read_fronts_geojson
from geo.stats import NEAR_BORDER_KM, per_state, summarise, weekly_timeline
from layers import registry
from layers.assets import localize_assets
from layers.base import MapData
from layers.mapview import BASEMAPS, DEFAULT_BOUNDS, base_map, basemap_group, layer_groups
from layers.screenshot import browser_screenshot, missing_piece
from layers.snapshot import SnapshotRequest, check_bbox, export_map

st.set_page_config(page_title="Myanmar border conflict map", layout="wide")

TABLE_COLUMNS = [
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "state",
    "fatalities",
    "km_to_china_border",
    "source",
    "notes",
    "source_url",
]


@st.cache_resource(show_spinner="Loading boundaries…")
def load_boundaries() -> Boundaries:
    return Boundaries.load()


@st.cache_resource(show_spinner="Loading the sample events…")
def load_sample(_boundaries: Boundaries) -> tuple[ImportResult, gpd.GeoDataFrame]:
    return import_events(SAMPLE_EVENTS, _boundaries), sample_fronts()


def saved_upload(upload: st.runtime.uploaded_file_manager.UploadedFile) -> Path:
    """The upload on disk under its own name, so error messages name the user's file."""
    folder = Path(tempfile.mkdtemp(prefix="upload-"))
    path = folder / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    return path


def user_events(boundaries: Boundaries) -> ImportResult | None:
    """The events file the user uploaded, imported once per upload; None when none."""
    st.sidebar.subheader("Data")
    upload = st.sidebar.file_uploader(
        "Load events (ACLED or UCDP GED CSV, GeoJSON points, CSV with latitude/longitude)",
        type=["csv", "geojson", "json"],
        key="events_upload",
    )
    fmt = st.sidebar.selectbox("Format", ["detect", *FORMATS], key="events_format")
    if upload is None:
        return None
    cache_key = f"import:{upload.file_id}:{fmt}"
    if cache_key not in st.session_state:
        with st.spinner(f"Validating {upload.name}…"):
            try:
                st.session_state[cache_key] = import_events(
                    saved_upload(upload), boundaries, None if fmt == "detect" else fmt
                )
            except EventFileError as error:
                st.session_state[cache_key] = error
    result = st.session_state[cache_key]
    if isinstance(result, EventFileError):
        st.sidebar.error(f"{upload.name} could not be loaded: {result.message}")
        return None
    return result


def derived_fronts(result: ImportResult) -> gpd.GeoDataFrame:
    """Fronts derived from an upload once per import, not on every rerun (the import lives in session state)."""
    key = f"fronts:{id(result)}"
    if key not in st.session_state:
        st.session_state[key] = fronts_for(result.events)
    return st.session_state[key]


def user_fronts() -> FrontsImport | None:
    upload = st.sidebar.file_uploader("Load fronts (GeoJSON lines or areas)", type=["geojson", "json"])
    if upload is None:
        return None
    try:
        return read_fronts_geojson(saved_upload(upload))
    except FrontsFileError as error:
        st.sidebar.error(str(error))
        return None


def query_lists() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def filter_widgets(events: pd.DataFrame) -> tuple[EventFilter, date]:
    """Sidebar filters, started from the URL and bounded by the data's own range."""
    st.sidebar.subheader("Filters")
    wanted = from_query(query_lists())
    first = events["event_date"].min().date() if len(events) else date(2023, 10, 27)
    last = events["event_date"].max().date() if len(events) else date(2024, 1, 31)
    start = min(max(wanted.start or first, first), last)
    end = max(min(wanted.end or last, last), start)
    period = st.sidebar.slider("Date range", min_value=first, max_value=last, value=(start, end), key="period")
    as_of_url = st.query_params.get("asof")
    as_of_default = date.fromisoformat(as_of_url) if as_of_url and as_of_url[:4].isdigit() else period[1]
    as_of = st.sidebar.slider(
        "Fronts as of", min_value=first, max_value=last, value=min(max(as_of_default, first), last), key="as_of"
    )
    types = st.sidebar.multiselect("Event types", EVENT_TYPES, default=sorted(wanted.event_types or []), key="types")
    actors_known = sorted(set(events["actor1"]) | set(events["actor2"]) - {""})
    actors = st.sidebar.multiselect(
        "Actors (either side)",
        actors_known,
        default=[a for a in sorted(wanted.actors or []) if a in actors_known],
        key="actors",
        placeholder="All actors: type to search",
    )
    states = st.sidebar.multiselect(
        "States and regions",
        sorted(load_boundaries().states["name"]),
        default=sorted(wanted.states or []),
        key="states",
    )
    min_fatalities = st.sidebar.number_input(
        "Minimum fatalities", min_value=0, value=wanted.min_fatalities, step=1, key="min_fatalities"
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


TABLE_ROWS = 1_000
MAP_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html"}


def view_bbox(returned: dict | None) -> tuple[float, float, float, float]:
    """The map's current extent (west, south, east, north), or the default before any pan."""
    bounds = (returned or {}).get("bounds") or {}
    try:
        south_west, north_east = bounds["_southWest"], bounds["_northEast"]
        return check_bbox(
            (
                max(south_west["lng"], -180.0),
                max(south_west["lat"], -90.0),
                min(north_east["lng"], 180.0),
                min(north_east["lat"], 90.0),
            )
        )
    except (KeyError, TypeError, ValueError):
        return DEFAULT_BOUNDS


def screenshot_png(request: SnapshotRequest, data: MapData) -> bytes:
    return browser_screenshot(export_map(request, data, "html").decode("utf-8"))


def export_panel(data: MapData, visible: list[str], bbox: tuple[float, float, float, float]) -> None:
    """Snapshot and data downloads for the current layers, filters, dates and extent.

    Every file is made when its button is clicked (Streamlit runs the callable and shows
    the button busy meanwhile), so a filter change or a pan never pays for rendering.
    """
    request = SnapshotRequest(tuple(visible), data.period[0], data.period[1], data.as_of, bbox)

    def name(kind: str, ext: str) -> str:
        return snapshot_filename(kind, data.period, visible, ext)

    st.subheader("Export this view")
    st.caption("Files are made on click for the layers, filters, dates and map extent shown (PNG/PDF take seconds).")
    columns = st.columns(len(MAP_FORMATS) + 1)
    for column, (fmt, mime) in zip(columns, MAP_FORMATS.items(), strict=False):
        column.download_button(
            f"Map ({fmt.upper()})",
            partial(export_map, request, data, fmt),
            name("map", fmt),
            mime,
            key=f"download_{fmt}",
            on_click="ignore",
        )
    unavailable = missing_piece()
    columns[-1].download_button(
        "Browser screenshot (PNG)",
        partial(screenshot_png, request, data),
        name("screenshot", "png"),
        "image/png",
        key="download_screenshot",
        on_click="ignore",
        disabled=unavailable is not None,
        help=unavailable or "The live map as headless Chromium draws it",
    )
    if unavailable:
        st.caption(f"Browser screenshot unavailable: {unavailable}")
    columns = st.columns(3)
    columns[0].download_button(
        "Events (CSV, ACLED columns)",
        partial(events_to_csv, data.events),  # built on click: a filter change must not pay for it
        name("events", "csv"),
        "text/csv",
        key="download_events_csv",
    )
    columns[1].download_button(
        "Events (GeoJSON)",
        partial(events_to_geojson, data.events),
        name("events", "geojson"),
        "application/geo+json",
        key="download_events_geojson",
    )
    columns[2].download_button(
        "Fronts (GeoJSON)",
        partial(fronts_to_geojson, data.fronts),
        name("fronts", "geojson"),
        "application/geo+json",
        key="download_fronts_geojson",
    )


def import_report(result: ImportResult) -> None:
    label = f"Import report: {result.path.name}: {result.accepted} accepted, {result.rejected_rows} rejected"
    with st.expander(label, expanded=bool(result.rejected)):
        st.text(result.report(max_problems=200))
        if result.rejected:
            st.dataframe(pd.DataFrame([error.as_dict() for error in result.rejected]), hide_index=True)


def statistics(events: pd.DataFrame) -> None:
    summary = summarise(events)
    cols = st.columns(4)
    cols[0].metric("Events", f"{summary.events:,}")
    cols[1].metric("Fatalities", f"{summary.fatalities:,}")
    cols[2].metric("States and regions affected", summary.states_affected)
    cols[3].metric(f"Within {NEAR_BORDER_KM} km of the China border", f"{summary.near_china_border:,}")


def side_panels(events: pd.DataFrame, boundaries: Boundaries) -> None:
    st.subheader("Events per week")
    timeline = weekly_timeline(events)
    if timeline.empty:
        st.caption("No events match the filters.")
    else:
        st.bar_chart(timeline, height=220)
    st.subheader("Per state")
    st.dataframe(per_state(events, boundaries.states["name"]), height=300)


st.title("Myanmar border conflict map")
st.caption(
    "Fighting in Shan, Rakhine and Chin states and along the Yunnan (China) border. "
    "Sources and licences: geo/data/SOURCES.md."
)
try:
    boundaries = load_boundaries()
    sample, shipped_fronts = load_sample(boundaries)
except (BoundaryDataError, EventFileError, FrontsFileError) as error:
    st.error(f"Shipped data could not be loaded: {error}")
    st.stop()

uploaded = user_events(boundaries)
uploaded_fronts = user_fronts()
dataset = uploaded or sample
if uploaded is None:
    st.info(
        "Showing the small cited sample shipped with the dashboard (27 Oct 2023 – 31 Jan 2024). "
        "Load a full ACLED or UCDP export in the sidebar for analysis."
    )
else:
    import_report(uploaded)
fronts = shipped_fronts if uploaded is None else derived_fronts(uploaded)
if uploaded_fronts is not None:
    fronts = pd.concat([fronts, uploaded_fronts.fronts], ignore_index=True)
    if uploaded_fronts.rejected:
        st.warning(uploaded_fronts.report())

event_filter, as_of = filter_widgets(dataset.events)
visible_ids = layer_toggles()
basemap_id = basemap_choice()
mirror_in_url(event_filter, as_of, visible_ids, basemap_id)

shown = event_filter.apply(dataset.events)
shown_fronts = fronts_as_of(fronts, as_of)
statistics(shown)

map_column, stats_column = st.columns([3, 1])
with map_column:
    data = MapData(
        boundaries,
        events=shown,
        fronts=shown_fronts,
        period=(
            event_filter.start or dataset.events["event_date"].min().date(),
            event_filter.end or dataset.events["event_date"].max().date(),
        ),
        as_of=as_of,
    )
    groups = layer_groups(data, visible_ids)
    tiles = basemap_group(basemap_id)
    if tiles is not None:
        groups.insert(0, tiles)
    fmap = base_map()
    localize_assets(fmap, extra=tuple(groups))
    returned = st_folium(
        fmap, key="map", feature_group_to_add=groups, returned_objects=["bounds"], use_container_width=True, height=640
    )
with stats_column:
    side_panels(shown, boundaries)

export_panel(data, visible_ids, view_bbox(returned))

with st.expander(f"Event table ({len(shown):,} events, with notes and sources)"):
    latest = shown.nlargest(TABLE_ROWS, "event_date") if len(shown) > TABLE_ROWS else shown
    if len(latest) < len(shown):
        st.caption(f"The {TABLE_ROWS:,} most recent of {len(shown):,} events; the CSV export above has them all.")
    st.dataframe(
        latest[[c for c in TABLE_COLUMNS if c in latest.columns]],
        hide_index=True,
        column_config={"source_url": st.column_config.LinkColumn("source_url")},
    )
