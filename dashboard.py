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
from geo.control import ControlRecordError, Gazetteer
from geo.dataset import SAMPLE_EVENTS, events_credit, import_events, release_unused_memory
from geo.eventfile import EventFileError
from geo.events import ImportResult
from geo.fronts import FrontsFileError, fronts_as_of
from geo.guard import log_incident
from geo.store import ControlStore, StoreError, open_store, store_location
from layers.assets import localize_assets
from layers.base import MapData
from layers.events import EventChannel, publish_events
from layers.geojson import publish_features
from layers.mapview import KeptLayers, base_map, basemap_group, layer_groups, preloaded_assets
from layers.playback import playback_group
from ui.control import (
    changes_table,
    current_control,
    drawing_on,
    front_draw_tool,
    front_form,
    history_files,
    pick_from_click,
    picking_on,
    place_editor,
    since_widget,
    undrawn_places,
)
from ui.maplink import map_change, map_filter_relay, view_exports
from ui.panels import (
    EventCounts,
    counted,
    event_table,
    export_panel,
    import_report,
    padded_bbox,
    side_panels,
    statistics,
    view_bbox,
)
from ui.sidebar import (
    EVENTS_KEY,
    basemap_choice,
    derived_control,
    filter_choices,
    filter_widgets,
    layer_toggles,
    mirror_in_url,
    user_events,
    user_fronts,
)
from ui.team import acled_sync_panel, facets_frame, identity, share_upload, store_has_events
from ui.view import (
    UPLOAD_PARAM,
    keep_page_query,
    language_choice,
    missing_upload_notice,
    place_search,
    remember_linked_view,
    requested_view,
    returned_view,
    show_view_in_link,
    view_request_script,
)

# Above this many events, single markers merge into blobs where fighting is dense.
DENSE_EVENTS = 2_000
DENSITY_LAYERS = {"heatmap", "event_clusters", "state_choropleth"}

st.set_page_config(page_title="Myanmar border conflict map", layout="wide")


@st.cache_resource(show_spinner="Loading boundaries…")
def load_boundaries() -> Boundaries:
    return Boundaries.load()


@st.cache_resource(show_spinner="Loading the sample events…")
def load_sample(_boundaries: Boundaries) -> ImportResult:
    return import_events(SAMPLE_EVENTS, _boundaries)


@st.cache_resource(show_spinner="Loading towns, townships and the control store…")
def load_control(location: str) -> tuple[Gazetteer, ControlStore]:
    """Keyed by the store's location, so a changed $DATABASE_URL or $MYANMAR_CONFLICT_MAP_DATA opens that store."""
    return Gazetteer.load(), open_store(location)


@st.cache_resource(max_entries=4, show_spinner="Preparing the events for the map…")
def published_events(key: str, _events: gpd.GeoDataFrame) -> EventChannel:
    """The events written once per content for the browser, which keeps them: later page
    runs send only the filter."""
    channel = publish_events(_events, key)
    release_unused_memory()
    return channel


SAMPLE_KEY = hashlib.sha256(SAMPLE_EVENTS.read_bytes()).hexdigest()[:32]


def page() -> None:
    """The whole page; :func:`main` is its edge."""
    # The map must start in the first screen: a compact title and less padding above it.
    st.markdown(
        "<style>.block-container { padding-top: 2.2rem; } h1 { font-size: 1.55rem !important; padding: 0 !important; }"
        "</style>",
        unsafe_allow_html=True,
    )
    st.title("Myanmar border conflict map")
    try:
        boundaries = load_boundaries()
        sample = load_sample(boundaries)
        places, store = load_control(store_location())
    except (BoundaryDataError, EventFileError, FrontsFileError, ControlRecordError, StoreError, OSError) as error:
        st.error(f"Shipped data could not be loaded: {error}")
        st.stop()
    who = identity()

    remember_linked_view()
    # Layers, basemap, names and "go to place" first: reachable without scrolling the sidebar.
    visible_ids = layer_toggles()
    basemap_id = basemap_choice()
    language = language_choice()
    place_search()
    uploaded = user_events(boundaries)
    uploaded_fronts = user_fronts()
    dataset = uploaded or sample
    stored = store_has_events(store) if uploaded is None else None
    link_upload = missing_upload_notice(None if uploaded is None else uploaded.path.name)
    if uploaded is not None:
        import_report(uploaded)
        share_upload(store, uploaded, who)
    widget_events = facets_frame(stored) if stored is not None else dataset.events
    fronts = store.fronts()
    records = store.records() + (derived_control(uploaded, places) if uploaded is not None else [])
    if uploaded_fronts is not None:
        fronts = (
            pd.concat([fronts, uploaded_fronts.fronts], ignore_index=True) if len(fronts) else uploaded_fronts.fronts
        )
        if uploaded_fronts.rejected:
            st.warning("Some fronts were rejected:")
            st.text(uploaded_fronts.report(full_path=False))

    record_dates = (min(r.valid_from for r in records), max(r.valid_from for r in records)) if records else None
    state_names = list(boundaries.states["name"])
    event_filter, as_of = filter_widgets(widget_events, state_names, record_dates)
    drawing = drawing_on()
    picking = picking_on()
    choices = filter_choices(widget_events)
    since = since_widget(as_of, choices.first)
    mirror_in_url(event_filter, as_of, visible_ids, basemap_id, since)

    if stored is not None:
        # The database sends the events in and around the map's last reported view (its bounds are in the
        # session before this run) and counts the whole filter itself.
        shown = store.events(event_filter, padded_bbox(view_bbox(st.session_state.get("map"))))
        counts = EventCounts.in_store(store, event_filter, state_names)
    else:
        shown = event_filter.apply(dataset.events)
        counts = None  # counted once the map is on its way: the map is what a filter change waits for
    data_key = st.session_state[EVENTS_KEY] if uploaded else f"sample-{SAMPLE_KEY}"
    shown_fronts = fronts_as_of(fronts, as_of)

    map_column, stats_column = st.columns([4, 1])
    with map_column:
        data = MapData(
            boundaries,
            events=shown,
            fronts=shown_fronts,
            period=(
                event_filter.start or choices.first,
                event_filter.end or choices.last,
            ),
            as_of=as_of,
            control=current_control(records, as_of, since, places) if "control" in visible_ids else None,
            language=language,
            events_credit=events_credit(dataset),
            state_counts=counts.per_state if stored is not None else None,
            # The team store's events come filtered from the database; a file's travel once, filtered in the browser.
            event_channel=None
            if stored is not None
            else published_events(data_key, dataset.events).with_filter(event_filter, map_change()),
        )
        groups = layer_groups(data, visible_ids)
        tiles = basemap_group(basemap_id)
        if tiles is not None:
            groups.insert(0, tiles)
        playback = playback_group(data)
        if playback is not None:
            groups.append(playback)
        publish_features(groups)  # outlines travel once, not with every run
        fmap = base_map()
        if drawing:
            front_draw_tool().add_to(fmap)
        # The browser rebuilds only the groups that changed; a new filter redraws the kept events. A file's
        # map tells the page its view itself (ui/maplink.py): a pan or zoom reruns only the exports.
        live = [data.event_channel.filter_script(), "(map) => McmKeep.reportView(map)"] if data.event_channel else []
        move = view_request_script()  # a shared link's view, a "go to place"
        kept = KeptLayers(groups, live=([move] if move else []) + live)
        localize_assets(fmap, extra=(*groups, kept), preload=preloaded_assets())
        view = requested_view()
        returned = st_folium(
            fmap,
            key="map",
            feature_group_to_add=kept,
            # The team store fetches the view's events: there a pan reruns the page.
            returned_objects=(["bounds", "center", "zoom"] if stored is not None else [])
            + (["all_drawings"] if drawing else [])
            + (["last_clicked"] if picking else []),
            use_container_width=True,
            height=640,
        )
        if stored is not None:
            st.caption(
                f"The map, its exports and the event table show the {len(shown):,} events in and around the map's "
                f"view; the figures and charts count all {counts.summary.events:,} events the filters match."
            )
        if len(shown) > DENSE_EVENTS and not DENSITY_LAYERS & set(visible_ids):
            st.caption(
                f"{len(shown):,} events: where they crowd together, turn on “Event density (heatmap)”, "
                "“Event clusters” or “Events per state” in the sidebar to read them."
            )
        st.query_params.update({"names": language} | ({UPLOAD_PARAM: link_upload} if link_upload else {}))
        keep_page_query()
    with stats_column:
        if counts is None:
            counts = counted(data_key, event_filter, shown, state_names)
        side_panels(counts)

    if stored is not None:
        st.info(f"Showing the team store's {stored.count:,} events ({store.location}); filters run in the database.")
    elif uploaded is None:
        st.info(
            f"Showing the small cited sample shipped with the dashboard ({len(sample.events)} events, "
            f"{sample.events['event_date'].min():%-d %b %Y} – {sample.events['event_date'].max():%-d %b %Y}). "
            "Load a full ACLED or UCDP export in the sidebar for analysis."
        )
    statistics(counts.summary)

    if data.control is not None:
        undrawn_places(data.control)
        changes_table(data.control)
    if who.can_edit:
        if drawing:
            front_form(store, returned, as_of)
        if picking:
            pick_from_click(returned, places)
        place_editor(store, places, records, as_of, signed_in=who.editor)
        history_files(store, places)
    else:
        st.caption("Sign in (sidebar) to record control.")
    acled_sync_panel(store, boundaries, who)

    def exports(reported: dict | None) -> None:
        shown = reported or returned
        shown_view = returned_view(shown) or view
        if shown_view:
            show_view_in_link(shown_view)
        export_panel(data, visible_ids, view_bbox(shown))

    view_exports(exports, follow_view=stored is None)

    event_table(shown)
    map_filter_relay()


def main() -> None:
    """Run the page; an unforeseen error shows one message (no traceback, no server path) and
    goes to the operator's log and console."""
    try:
        page()
    except Exception as error:  # the page's edge; st.stop() and reruns are not Exceptions
        incident = log_incident(error, server_console=True)
        st.error(
            f"Something went wrong drawing this view ({incident}, logged for the operator). "
            "Try another filter or file, or reload the page."
        )


main()
