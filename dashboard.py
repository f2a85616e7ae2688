"""Myanmar border-wars conflict map: the Streamlit page (widgets only)."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.boundaries import Boundaries, BoundaryDataError
from layers import registry
from layers.assets import localize_assets
from layers.base import MapData
from layers.mapview import BASEMAPS, base_map, basemap_group, layer_groups

st.set_page_config(page_title="Myanmar border conflict map", layout="wide")


@st.cache_resource(show_spinner="Loading boundaries…")
def load_boundaries() -> Boundaries:
    return Boundaries.load()


def layer_toggles() -> list[str]:
    """One checkbox per registered layer; the ticked ids are mirrored in the URL."""
    in_url = st.query_params.get("layers")
    wanted = set(in_url.split(",")) if in_url is not None else None
    visible = []
    st.sidebar.subheader("Layers")
    for layer in registry():
        default = layer.default_visible if wanted is None else layer.id in wanted
        if st.sidebar.checkbox(layer.title, value=default, key=f"layer_{layer.id}"):
            visible.append(layer.id)
    st.query_params["layers"] = ",".join(visible)
    return visible


def basemap_choice() -> str:
    ids = list(BASEMAPS)
    in_url = st.query_params.get("basemap", ids[0])
    chosen = st.sidebar.radio(
        "Basemap",
        ids,
        index=ids.index(in_url) if in_url in ids else 0,
        format_func=lambda basemap_id: BASEMAPS[basemap_id].title,
        key="basemap",
    )
    st.query_params["basemap"] = chosen
    return chosen


st.title("Myanmar border conflict map")
st.caption("Shan, Rakhine and Chin states and the Yunnan (China) border. Sources: see geo/data/SOURCES.md.")

try:
    boundaries = load_boundaries()
except BoundaryDataError as error:
    st.error(f"Boundary data could not be loaded: {error}")
    st.stop()

visible_ids = layer_toggles()
basemap_id = basemap_choice()

groups = layer_groups(MapData(boundaries), visible_ids)
tiles = basemap_group(basemap_id)
if tiles is not None:
    groups.insert(0, tiles)
fmap = base_map()
localize_assets(fmap, extra=tuple(groups))
st_folium(
    fmap,
    key="map",
    feature_group_to_add=groups,
    returned_objects=[],
    use_container_width=True,
    height=680,
)
