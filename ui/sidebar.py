"""The sidebar: data uploads, filters, layer toggles and basemap, all mirrored in the URL."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from geo.acled import shan_parts
from geo.boundaries import Boundaries
from geo.control import ControlRecord, Gazetteer
from geo.dataset import import_events
from geo.derive_control import derive_records
from geo.eventfile import EventFileError
from geo.events import EVENT_TYPES, FORMATS, ImportResult
from geo.filters import EventFilter, from_query, parse_date, to_query
from geo.fronts import FrontsFileError, FrontsImport, read_fronts_geojson
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

    def load() -> ImportResult | EventFileError:
        with st.spinner(f"Validating {literal_markdown(upload.name)}…"):
            try:
                return read_upload(
                    upload, lambda path: import_events(path, boundaries, None if fmt == "detect" else fmt)
                )
            except EventFileError as error:
                return error

    result = remember("events-upload:", f"{upload.file_id}:{fmt}", load)
    if isinstance(result, EventFileError):
        st.sidebar.error("The events file could not be loaded:")
        st.sidebar.text(f"{upload.name}: {result.message}")  # text, not markdown: both come from the user
        return None
    return result


def derived_control(result: ImportResult, places: Gazetteer) -> list[ControlRecord]:
    """Control records derived from an upload's territory changes, once per import (the import lives in
    session state); the events that could not be used are listed."""
    derived = st.session_state.get("derived-control")
    if derived is None or derived[0] is not result:
        derived = st.session_state["derived-control"] = (result, derive_records(result.events, places.towns))
    found = derived[1]
    if found.skipped:
        with st.sidebar.expander(f"{len(found.skipped)} territory changes not used for control"):
            st.text("\n".join(found.skipped))  # text, not markdown: it quotes the user's file
    return found.records


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


def _distinct(values: pd.Series) -> list[str]:
    """The non-empty values of a text column, sorted without regard to case."""
    return sorted(set(values.dropna().unique()) - {""}, key=str.casefold)


def _period_from_dates() -> None:
    """The slider follows the exact-dates box once both ends are picked (one end alone waits)."""
    picked = st.session_state["period_dates"]
    if len(picked) == 2:
        st.session_state["period"] = (min(picked), max(picked))


def _dates_from_period() -> None:
    st.session_state["period_dates"] = st.session_state["period"]


def period_widgets(first: date, last: date, wanted: EventFilter) -> tuple[date, date]:
    """A date-range slider and, under it, an exact-dates box that moves it (and follows it).

    Both keep their values in the session; the URL's dates start them, clamped to the data.
    """
    stored = st.session_state.get("period")
    if stored is None or not (first <= stored[0] <= stored[1] <= last):
        start = min(max(wanted.start or first, first), last)
        st.session_state["period"] = (start, max(min(wanted.end or last, last), start))
        _dates_from_period()
    st.sidebar.slider("Date range", min_value=first, max_value=last, key="period", on_change=_dates_from_period)
    st.sidebar.date_input(
        "Exact dates (from – to)",
        min_value=first,
        max_value=last,
        format="YYYY-MM-DD",
        key="period_dates",
        on_change=_period_from_dates,
    )
    return st.session_state["period"]


def filter_widgets(
    events: pd.DataFrame, state_names: list[str], record_dates: tuple[date, date] | None = None
) -> tuple[EventFilter, date]:
    """Sidebar filters, started from the URL and bounded by the data's own range; the "as of"
    date also reaches the control records' dates (``record_dates``: first and last)."""
    st.sidebar.subheader("Filters")
    wanted = from_query(query_lists())
    first = events["event_date"].min().date() if len(events) else date(2023, 10, 27)
    last = events["event_date"].max().date() if len(events) else date(2024, 1, 31)
    if first == last:  # a slider needs two different ends
        st.sidebar.caption(f"Every event is dated {first.isoformat()}.")
        period, as_of = (first, last), first
    else:
        period = period_widgets(first, last, wanted)
        as_of_default = parse_date(st.query_params.get_all("asof")) or period[1]
        earliest, latest = min(first, (record_dates or (first, last))[0]), max(last, (record_dates or (first, last))[1])
        as_of = st.sidebar.slider(
            "Control and fronts as of",
            min_value=earliest,
            max_value=latest,
            value=min(max(as_of_default, earliest), latest),
            key="as_of",
        )
    # A shared link may name what this data set does not have: unknown values are left out, not fatal.
    types = st.sidebar.multiselect(
        "Event types", EVENT_TYPES, default=_known(wanted.event_types, EVENT_TYPES), key="types"
    )
    sub_types_known = _distinct(events["sub_event_type"])
    sub_types = st.sidebar.multiselect(
        "Sub-event type",
        sub_types_known,
        default=_known(wanted.sub_event_types, sub_types_known),
        key="sub_types",
        placeholder="All sub-event types",
    )
    interactions_known = _distinct(events["interaction"]) if "interaction" in events.columns else []
    interactions = st.sidebar.multiselect(
        "Interaction (ACLED actor types)",
        interactions_known,
        default=_known(wanted.interactions, interactions_known),
        key="interactions",
        placeholder="All interactions" if interactions_known else "Only in ACLED files",
        disabled=not interactions_known,
    )
    actor_text = st.sidebar.text_input(
        "Actor name contains",
        value=wanted.actor_text,
        key="actor_text",
        placeholder="e.g. MNDAA: Enter filters by this text",
    )
    actors_known = _distinct(pd.concat([events["actor1"], events["actor2"]]))
    actors = st.sidebar.multiselect(
        "Actors (either side)",
        actors_known,
        default=_known(wanted.actors, actors_known),
        key="actors",
        placeholder="All actors: pick one by one",
    )
    states = st.sidebar.multiselect(
        "States and regions",
        sorted(state_names),
        default=_known(wanted.states, state_names),
        key="states",
    )
    parts = shan_parts(events["admin1_raw"]) if "admin1_raw" in events.columns else []
    chosen_parts: list[str] = []
    if parts:
        chosen_parts = st.sidebar.multiselect(
            "Shan as ACLED splits it",
            parts,
            default=_known(wanted.admin1_raw, parts),
            key="shan_parts",
            placeholder="All of Shan",
            help="ACLED files name Shan-North, Shan-South and Shan-East; the map draws one Shan State.",
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
        sub_event_types=sub_types or None,
        interactions=interactions or None,
        admin1_raw=chosen_parts or None,
        actor_text=actor_text,
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


def mirror_in_url(
    event_filter: EventFilter, as_of: date, visible: list[str], basemap_id: str, since: date | None = None
) -> None:
    query: dict[str, list[str] | str] = dict(to_query(event_filter))
    query.update(asof=as_of.isoformat(), layers=",".join(visible), basemap=basemap_id)
    if since is not None:
        query["since"] = since.isoformat()
    st.query_params.from_dict(query)
