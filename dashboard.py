"""Myanmar border-wars conflict map: the Streamlit page.

Loading, validation and geoprocessing live in ``geo/``; drawing lives in ``layers/``;
the widgets live in ``ui/``. Every filter, date and layer choice is mirrored in the URL
so a view can be shared.
"""

from __future__ import annotations

import hashlib

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.boundaries import Boundaries, BoundaryDataError
from geo.dataset import SAMPLE_EVENTS, import_events, sample_fronts
from geo.eventfile import EventFileError
from geo.events import ImportResult
from geo.fronts import FrontsFileError, fronts_as_of
from layers.assets import localize_assets
from layers.base import MapData
from layers.events import EventChannel, publish_events
from layers.mapview import base_map, basemap_group, layer_groups, preloaded_assets
from layers.playback import playback_group
from ui.panels import event_table, export_panel, import_report, side_panels, statistics, view_bbox
from ui.sidebar import (
    EVENTS_KEY,
    basemap_choice,
    derived_fronts,
    filter_widgets,
    layer_toggles,
    mirror_in_url,
    user_events,
    user_fronts,
)

st.set_page_config(page_title="Myanmar border conflict map", layout="wide")


@st.cache_resource(show_spinner="Loading boundaries…")
def load_boundaries() -> Boundaries:
    return Boundaries.load()


@st.cache_resource(show_spinner="Loading the sample events…")
def load_sample(_boundaries: Boundaries) -> tuple[ImportResult, gpd.GeoDataFrame]:
    return import_events(SAMPLE_EVENTS, _boundaries), sample_fronts()


@st.cache_resource(max_entries=4, show_spinner="Preparing the events for the map…")
def published_events(key: str, _events: gpd.GeoDataFrame) -> EventChannel:
    """The events written once per content for the browser, which keeps them: later page
    runs send only the filter."""
    return publish_events(_events, key)


SAMPLE_KEY = hashlib.sha256(SAMPLE_EVENTS.read_bytes()).hexdigest()[:32]

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
        st.warning("Some fronts were rejected:")
        st.text(uploaded_fronts.report(full_path=False))

event_filter, as_of = filter_widgets(dataset.events, list(boundaries.states["name"]))
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
        event_channel=published_events(
            st.session_state[EVENTS_KEY] if uploaded else f"sample-{SAMPLE_KEY}", dataset.events
        ).with_filter(event_filter),
    )
    groups = layer_groups(data, visible_ids)
    tiles = basemap_group(basemap_id)
    if tiles is not None:
        groups.insert(0, tiles)
    playback = playback_group(data)
    if playback is not None:
        groups.append(playback)
    fmap = base_map()
    localize_assets(fmap, extra=tuple(groups), preload=preloaded_assets())
    returned = st_folium(
        fmap, key="map", feature_group_to_add=groups, returned_objects=["bounds"], use_container_width=True, height=640
    )
with stats_column:
    side_panels(shown, boundaries)

export_panel(data, visible_ids, view_bbox(returned))

event_table(shown)
