"""What the map tells the page around it: filter changes made on the map, and where it looks.

A click on an event type in the map's legend redraws the map at once, in the browser
(layers/js/events.js, ``changeFilter``), and posts the new type list to the page around the
map's frame; a pan or zoom posts the new view (layers/js/keep.js, ``reportView``). A small
component in the page (no frame of its own) hands each message to Streamlit:

- a filter change reruns the page: its callback first writes the list into the sidebar's
  "Event types" box, so the counts, table, link and exports follow, and keeps the change's
  number, which the page sends back with its filter so the map can tell an older run from
  the answer;
- a view reruns only the exports' fragment (:func:`view_exports`): the link and the export
  extent follow the map, and no other part of the page runs for a pan.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import streamlit as st

from geo.events import EVENT_TYPES

TYPES_KEY = "types"
"""The sidebar's "Event types" box (ui/sidebar.py)."""
MAP_CHANGE_KEY = "map-filter-change"
"""The number (a browser timestamp) of the newest change made on the map that the page took in."""
MAP_VIEW_KEY = "map-view"
"""The view the map last reported, as streamlit-folium reports one (bounds, center, zoom)."""

_RELAY_JS = """
export default function ({ data, setTriggerValue }) {
    const relay = (event) => {
        const message = event.data;
        if (event.origin !== window.location.origin || !message || message.type !== data.type) { return; }
        setTriggerValue("message", message);
    };
    window.addEventListener("message", relay);
    return () => window.removeEventListener("message", relay);
}
"""

_relay = st.components.v2.component("myanmar_conflict_map.map_relay", js=_RELAY_JS)


def _mount(message_type: str, key: str, take: Callable[[Any], None]) -> None:
    """A relay for the map's messages of ``message_type``; ``take`` gets each one before the run it starts."""

    def on_message() -> None:
        take((st.session_state.get(key) or {}).get("message"))

    _relay(key=key, data={"type": message_type}, on_message_change=on_message, height=0)


def take_map_change(message: object) -> tuple[list[str] | None, float] | None:
    """The type list and number of a filter change from the map, checked as any outside input;
    None when it is not one. A null list is every type (the legend's switches all on)."""
    if not isinstance(message, dict):
        return None
    types, seq = message.get("types"), message.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int | float) or not math.isfinite(seq):
        return None
    if types is None:
        return None, float(seq)
    if not isinstance(types, list) or not types or not all(isinstance(t, str) and t in EVENT_TYPES for t in types):
        return None
    return [t for t in EVENT_TYPES if t in types], float(seq)


def _take_filter(message: object) -> None:
    taken = take_map_change(message)
    if taken is None:
        return
    types, seq = taken
    st.session_state[TYPES_KEY] = types or []
    st.session_state[MAP_CHANGE_KEY] = max(seq, st.session_state.get(MAP_CHANGE_KEY, 0))


def _take_view(message: object) -> None:
    """Kept as sent: readers check it (:func:`ui.panels.view_bbox`, :func:`ui.view.returned_view`)."""
    view = message.get("view") if isinstance(message, dict) else None
    if isinstance(view, dict):
        st.session_state[MAP_VIEW_KEY] = view


def map_change() -> float:
    """The number of the newest change made on the map that the page has taken in (0: none)."""
    return st.session_state.get(MAP_CHANGE_KEY, 0)


def map_view() -> dict | None:
    """The view the map last reported (None before its first pan or zoom)."""
    return st.session_state.get(MAP_VIEW_KEY)


def map_filter_relay() -> None:
    """Mount the filter relay, last in the sidebar: it takes no room."""
    with st.sidebar:
        _mount("mcm:filter", "map_filter_relay", _take_filter)


@st.fragment
def view_exports(show: Callable[[dict | None], None], follow_view: bool) -> None:
    """``show(view)`` (the exports, the view in the link) rerun alone when the map reports a new
    view; ``follow_view`` False (the team store, whose map asks for a page run to fetch the
    view's events) leaves the view to the page."""
    if follow_view:
        _mount("mcm:view", "map_view_relay", _take_view)
    show(map_view() if follow_view else None)
