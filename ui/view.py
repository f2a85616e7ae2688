"""The map's view: where it looks (kept in the URL), "go to place" and the place-name language."""

from __future__ import annotations

import json
from dataclasses import dataclass

import streamlit as st

from geo.gazetteer import PlaceMatch, find_places
from ui.panels import literal_markdown

LANGUAGES = {"en": "English", "my": "Burmese (မြန်မာ)"}
PLACE_ZOOM = {"town": 9.0, "township": 8.0, "crossing": 10.0}
"""Zoom for a found place: close enough to read its neighbours, wide enough to keep the context
(a township is wider than a town or a crossing)."""
UPLOAD_PARAM = "upload"
"""URL key naming the uploaded file a link was made on."""


@dataclass(frozen=True)
class View:
    """Centre (degrees) and zoom the map is told to show."""

    lat: float
    lon: float
    zoom: float

    def to_query(self) -> str:
        return f"{self.lat:.4f},{self.lon:.4f},{self.zoom:g}"

    @classmethod
    def from_query(cls, text: str | None) -> View | None:
        """A view from its URL form ``lat,lon,zoom``; None when absent or not a valid view."""
        try:
            lat, lon, zoom = (float(part) for part in (text or "").split(","))
        except ValueError:
            return None
        if not (-85 <= lat <= 85 and -180 <= lon <= 180 and 3 <= zoom <= 18):
            return None
        return cls(lat, lon, zoom)


VIEW_REQUEST_KEY = "view-request"
"""How many times the page has asked the map for a view: the map moves once per request."""


def _request_view(view: View | None) -> None:
    st.session_state["requested_view"] = view
    st.session_state[VIEW_REQUEST_KEY] = st.session_state.get(VIEW_REQUEST_KEY, 0) + 1


def remember_linked_view() -> None:
    """Keep the view a shared link asks for, read once per session before the URL is rewritten."""
    if "requested_view" not in st.session_state:
        _request_view(View.from_query(st.query_params.get("view")))


def requested_view() -> View | None:
    """The view the map is told to take: the link's, then the last "go to place"."""
    return st.session_state.get("requested_view")


def view_request_script() -> str | None:
    """A function of the map moving it to the requested view, once per request (layers/js/keep.js,
    ``showView``), so the reader's own panning is never undone. streamlit-folium's own ``center``
    and ``zoom`` are not used: it takes those of the map's first run as already shown."""
    view = requested_view()
    if view is None:
        return None
    where = json.dumps({"lat": view.lat, "lon": view.lon, "zoom": view.zoom})
    return f"(map) => McmKeep.showView(map, {where}, {int(st.session_state.get(VIEW_REQUEST_KEY, 0))})"


PAGE_QUERY_KEY = "page-query"


def keep_page_query() -> None:
    """Keep the link as this page run wrote it, for the exports' fragment to add the view to."""
    st.session_state[PAGE_QUERY_KEY] = {key: st.query_params.get_all(key) for key in st.query_params}


def show_view_in_link(view: View) -> None:
    """The page's link with ``view``. Built from the page run's own link, not the address a
    fragment run arrived with: a pan made while the page was running would bring the address of
    before that run, and writing it back would drop the run's filters from the link."""
    st.query_params.from_dict(st.session_state.get(PAGE_QUERY_KEY, {}) | {"view": view.to_query()})


def returned_view(returned: dict | None) -> View | None:
    """The view the map reports after the user moved it; None before it reports one."""
    center, zoom = (returned or {}).get("center"), (returned or {}).get("zoom")
    if not center or zoom is None:
        return None
    return View.from_query(f"{center['lat']},{center['lng']},{zoom}")


def language_choice() -> str:
    """English or Burmese place names (the latter where the gazetteer has them)."""
    in_url = st.query_params.get("names", "en")
    ids = list(LANGUAGES)
    return st.sidebar.radio(
        "Place names",
        ids,
        index=ids.index(in_url) if in_url in ids else 0,
        format_func=LANGUAGES.__getitem__,
        horizontal=True,
        key="names",
    )


def _place_label(place: PlaceMatch) -> str:
    names = place.name_en if not place.name_my else f"{place.name_en} · {place.name_my}"
    return f"{names} ({place.kind})"


def place_search() -> None:
    """A "go to place" box: the chosen match becomes the view the map is told to take."""
    query = st.sidebar.text_input(
        "Go to place", key="place_query", placeholder="Town, township or crossing (English or Burmese)"
    ).strip()
    if not query:
        return
    matches = find_places(query, limit=8)
    if not matches:
        st.sidebar.caption(f"No place matches “{literal_markdown(query)}”.")
        return
    chosen = st.sidebar.selectbox(
        "Matches", matches, format_func=_place_label, key="place_match", label_visibility="collapsed"
    )
    # Each new choice (the best match of a new query, or another match picked) moves the map once.
    if st.session_state.get("place_shown") != (query, chosen.kind, chosen.name_en, chosen.pcode):
        st.session_state["place_shown"] = (query, chosen.kind, chosen.name_en, chosen.pcode)
        _request_view(View(chosen.latitude, chosen.longitude, PLACE_ZOOM[chosen.kind]))


def missing_upload_notice(uploaded_name: str | None) -> str | None:
    """The uploaded file this link was made on, when it is not loaded now (then warned about)."""
    if "link_upload" not in st.session_state:
        st.session_state["link_upload"] = st.query_params.get(UPLOAD_PARAM)
    link_upload = st.session_state["link_upload"]
    if uploaded_name is not None:
        return uploaded_name
    if link_upload:
        st.warning(
            f"This link was made on an uploaded file, {literal_markdown(link_upload)}, which is not loaded here: "
            "the map shows the shipped sample instead. Load that file in the sidebar to see the view as shared."
        )
    return link_upload
