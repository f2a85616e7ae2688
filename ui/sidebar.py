"""The sidebar: data uploads, filters, layer toggles and basemap, all mirrored in the URL."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo import urlparams
from geo.acled import shan_parts
from geo.boundaries import Boundaries
from geo.control import ControlRecord, Gazetteer
from geo.dataset import import_events
from geo.derive_control import DEFAULT_MAX_KM, derive_records
from geo.eventfile import EventFileError
from geo.events import EVENT_TYPES, FORMATS, ImportResult
from geo.filters import MAX_MIN_FATALITIES, EventFilter, from_query, to_query
from geo.fronts import FrontsFileError, FrontsImport, read_fronts_geojson
from geo.guard import log_incident
from geo.limits import safe_file_name
from layers import registry
from layers.mapview import BASEMAPS
from ui.maplink import TYPES_KEY
from ui.panels import literal_markdown

T = TypeVar("T")


def read_upload(name: str, content: bytes, read: Callable[[Path], T]) -> T:
    """``read`` run on an upload written to disk in a fresh folder, removed afterwards, under a
    name made from the user's by :func:`geo.limits.safe_file_name` (no folders, control
    characters or over-long names reach the file system; messages still name the file)."""
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / safe_file_name(name)
        path.write_bytes(content)
        return read(path)


def guarded_read(name: str, content: bytes, read: Callable[[Path], T]) -> T | ValueError:
    """``read_upload``, with a file it cannot load returned as the error to show: the foreseen
    ones (EventFileError, FrontsFileError) with their message, anything else as a generic one,
    its traceback logged for the operator, never shown."""
    try:
        return read_upload(name, content, read)
    except (EventFileError, FrontsFileError) as error:
        return error
    except Exception as error:  # the page's edge: an unforeseen failure must not show a traceback
        incident = log_incident(error, server_console=True)
        return EventFileError(safe_file_name(name), f"could not be read (an unexpected error, logged as {incident})")


def show_link_notices(group: str, notices: list[str], where: DeltaGenerator | None = None) -> None:
    """What a hand-edited link asked for that the page left out, so nothing is dropped unseen.

    Kept for the session: the page rewrites its URL on the first run, so later runs no longer
    see the link's bad values.
    """
    key = f"link-notices:{group}"
    if notices:
        st.session_state[key] = notices
    kept = st.session_state.get(key, [])
    if kept:
        items = "\n".join(f"- {literal_markdown(text.removeprefix('Link parameter '))}" for text in kept)
        (where or st.sidebar).warning(f"Left out of this page's link:\n\n{items}")


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
) -> ImportResult | ValueError:
    """The import of an uploaded file, one per content in the server process: every session
    that opens the same file shares it (sessions keep a reference, not a copy)."""
    return guarded_read(name, _content, lambda path: import_events(path, _boundaries, None if fmt == "detect" else fmt))


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

    def load() -> tuple[str, ImportResult | ValueError]:
        with st.spinner(f"Validating {literal_markdown(safe_file_name(upload.name))}…"):
            content = upload.getvalue()
            digest = hashlib.sha256(b"\x1f".join([content, upload.name.encode(), fmt.encode()])).hexdigest()
            return digest, shared_import(digest, upload.name, fmt, content, boundaries)

    digest, result = remember("events-upload:", f"{upload.file_id}:{fmt}", load)
    if isinstance(result, ValueError):
        st.sidebar.error("The events file could not be loaded:")
        st.sidebar.text(f"{safe_file_name(upload.name)}: {result.message}")  # text: both come from the user
        return None
    st.session_state[EVENTS_KEY] = digest
    return result


def derived_control(result: ImportResult, places: Gazetteer) -> list[ControlRecord]:
    """Control records derived from an upload's territory changes, once per import (the import lives in
    session state); the events that could not be used are listed."""
    derived = st.session_state.get("derived-control")
    if derived is None or derived[0] is not result:
        derived = st.session_state["derived-control"] = (result, derive_records(result.events, places.towns))
    found = derived[1]
    if found.records:
        st.sidebar.caption(
            f"Control: {len(found.records):,} records derived from this file's territory changes (each at the "
            f"nearest town within {DEFAULT_MAX_KM:g} km) are drawn with the cited history; exports credit the file."
        )
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

    result = remember(
        "fronts-upload:", upload.file_id, lambda: guarded_read(upload.name, upload.getvalue(), read_fronts_geojson)
    )
    if isinstance(result, ValueError):
        st.sidebar.error("The fronts file could not be loaded:")
        st.sidebar.text(f"{safe_file_name(upload.name)}: {result.message}")  # text: both come from the user
        return None
    return result


def query_lists() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _known(wanted: frozenset[str] | None, options: Iterable[str], key: str, notices: list[str]) -> list[str]:
    """The values a link asks for that this data set has; the others get a notice."""
    known, problems = urlparams.parse_known(key, sorted(wanted or ()), options)
    notices += problems
    return known or []


def _distinct(values: pd.Series) -> list[str]:
    """The non-empty values of a text column, sorted without regard to case."""
    return sorted(set(values.dropna().unique()) - {""}, key=str.casefold)


@dataclass(frozen=True)
class FilterChoices:
    """What the filter widgets offer for one data set: its dates and distinct names."""

    first: date
    last: date
    sub_types: list[str]
    interactions: list[str]
    actors: list[str]
    shan_parts: list[str]


def filter_choices(events: pd.DataFrame) -> FilterChoices:
    """The widgets' choices, found once per data set (kept in the session): at a million events
    the distinct actors alone took a noticeable part of every page run."""
    kept = st.session_state.get("filter-choices")
    if kept is not None and kept[0] is events:
        return kept[1]
    choices = FilterChoices(
        first=events["event_date"].min().date() if len(events) else date(2023, 10, 27),
        last=events["event_date"].max().date() if len(events) else date(2024, 1, 31),
        sub_types=_distinct(events["sub_event_type"]),
        interactions=_distinct(events["interaction"]) if "interaction" in events.columns else [],
        actors=_distinct(pd.concat([events["actor1"], events["actor2"]])),
        shan_parts=shan_parts(events["admin1_raw"]) if "admin1_raw" in events.columns else [],
    )
    st.session_state["filter-choices"] = (events, choices)
    return choices


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
    period = st.sidebar.slider(
        "Date range", min_value=first, max_value=last, key="period", on_change=_dates_from_period
    )
    picked = st.session_state.get("period_dates")
    if picked is not None and len(picked) == 2 and tuple(picked) != tuple(period):
        # Streamlit starts the slider anew when its ends change (another file): the box follows it.
        st.session_state["period_dates"] = period
    st.sidebar.date_input(
        "Exact dates (from – to)",
        min_value=first,
        max_value=last,
        format="YYYY-MM-DD",
        key="period_dates",
        on_change=_period_from_dates,
    )
    return period


def filter_widgets(
    events: pd.DataFrame, state_names: list[str], record_dates: tuple[date, date] | None = None
) -> tuple[EventFilter, date]:
    """Sidebar filters, started from the URL and bounded by the data's own range; the "as of"
    date also reaches the control records' dates (``record_dates``: first and last)."""
    st.sidebar.subheader("Filters")
    notice_area = st.sidebar.container()  # filled last, shown first: under the heading
    notices: list[str] = []
    wanted = from_query(query_lists(), notices)
    choices = filter_choices(events)
    first, last = choices.first, choices.last
    if first == last:  # a slider needs two different ends
        st.sidebar.caption(f"Every event is dated {first.isoformat()}.")
        period, as_of = (first, last), first
    else:
        period = period_widgets(first, last, wanted)
        as_of_asked, problem = urlparams.parse_date("asof", st.query_params.get_all("asof"))
        notices += [problem] if problem else []
        as_of_default = as_of_asked or period[1]
        earliest, latest = min(first, (record_dates or (first, last))[0]), max(last, (record_dates or (first, last))[1])
        as_of = st.sidebar.slider(
            "Control and fronts as of",
            min_value=earliest,
            max_value=latest,
            value=min(max(as_of_default, earliest), latest),
            key="as_of",
        )
    # A shared link may name what this data set does not have: unknown values are left out, not fatal.
    linked_types = _known(wanted.event_types, EVENT_TYPES, "type", notices)
    types = st.sidebar.multiselect(
        "Event types",
        EVENT_TYPES,
        # Once the box has a value (or the map's legend set one, ui/maplink.py), the link's is only its start.
        default=None if TYPES_KEY in st.session_state else linked_types,
        key=TYPES_KEY,
    )
    sub_types_known = choices.sub_types
    sub_types = st.sidebar.multiselect(
        "Sub-event type",
        sub_types_known,
        default=_known(wanted.sub_event_types, sub_types_known, "subtype", notices),
        key="sub_types",
        placeholder="All sub-event types",
    )
    interactions_known = choices.interactions
    interactions = st.sidebar.multiselect(
        "Interaction (ACLED actor types)",
        interactions_known,
        default=_known(wanted.interactions, interactions_known, "interaction", notices),
        key="interactions",
        placeholder="All interactions" if interactions_known else "None in this file",
        disabled=not interactions_known,
    )
    actor_text = st.sidebar.text_input(
        "Actor name contains",
        value=wanted.actor_text,
        key="actor_text",
        placeholder="e.g. MNDAA: Enter filters by this text",
    )
    actors_known = choices.actors
    actors = st.sidebar.multiselect(
        "Actors (either side)",
        actors_known,
        default=_known(wanted.actors, actors_known, "actor", notices),
        key="actors",
        placeholder="All actors: pick one by one",
    )
    states = st.sidebar.multiselect(
        "States and regions",
        sorted(state_names),
        default=_known(wanted.states, state_names, "state", notices),
        key="states",
    )
    parts = choices.shan_parts
    chosen_parts: list[str] = []
    if parts:
        chosen_parts = st.sidebar.multiselect(
            "Shan as ACLED splits it",
            parts,
            default=_known(wanted.admin1_raw, parts, "admin1", notices),
            key="shan_parts",
            placeholder="All of Shan",
            help="ACLED files name Shan-North, Shan-South and Shan-East; the map draws one Shan State.",
        )
    min_fatalities = st.sidebar.number_input(
        "Minimum fatalities",
        min_value=0,
        max_value=MAX_MIN_FATALITIES,
        value=wanted.min_fatalities,
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
    show_link_notices("filters", notices, notice_area)
    return chosen, as_of


def layer_toggles() -> list[str]:
    """One checkbox per registered layer."""
    asked, notices = urlparams.parse_id_list(
        "layers", st.query_params.get_all("layers"), [layer.id for layer in registry()]
    )
    wanted = None if asked is None else set(asked)
    st.sidebar.subheader("Layers")
    show_link_notices("layers", notices)
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
    in_url, problem = urlparams.parse_choice("basemap", st.query_params.get_all("basemap"), ids)
    show_link_notices("basemap", [problem] if problem else [])
    return st.sidebar.radio(
        "Basemap",
        ids,
        index=ids.index(in_url) if in_url is not None else 0,
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
