"""Browser assets come from local copies, never a CDN."""

from __future__ import annotations

from typing import ClassVar

import folium
import pytest
from folium.plugins import HeatMap, MarkerCluster

from layers.assets import LOCAL_ASSETS, VENDOR_DIR, MissingAssetError, localize_assets
from layers.mapview import preloaded_assets


def test_every_local_asset_is_installed() -> None:
    for name, relative in LOCAL_ASSETS.items():
        assert (VENDOR_DIR / relative).is_file(), f"{name}: run `make setup`"
    assert (VENDOR_DIR / "leaflet/images/marker-icon.png").is_file()


def test_map_and_plugins_point_at_local_copies() -> None:
    fmap = folium.Map(tiles=None)
    MarkerCluster().add_to(fmap)
    HeatMap([[20.0, 96.0]]).add_to(fmap)
    localize_assets(fmap, "/local")
    html = fmap.get_root().render()
    assert '<script src="/local/leaflet/leaflet.js">' in html
    assert "/local/markercluster/leaflet.markercluster.js" in html
    assert "/local/leaflet-heat/leaflet-heat.js" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html.split("<body>")[0]


def test_hidden_layers_assets_are_loaded_with_the_map() -> None:
    # The page map is built with only the visible layers; a layer turned on later needs its files already there.
    fmap = folium.Map(tiles=None)
    localize_assets(fmap, "/local", preload=preloaded_assets())
    loaded = [url for _, url in fmap.default_js]
    assert loaded[0] == "/local/leaflet/leaflet.js"  # plugins need Leaflet loaded first
    assert "/local/leaflet-heat/leaflet-heat.js" in loaded
    assert "/local/markercluster/leaflet.markercluster.js" in loaded
    assert HeatMap.default_js[0][1].startswith("https://")  # the classes themselves are left as they were


def test_dynamic_groups_assets_are_hoisted_onto_the_map() -> None:
    fmap = folium.Map(tiles=None)
    group = folium.FeatureGroup()
    MarkerCluster().add_to(group)
    localize_assets(fmap, "/local", extra=(group,))
    assert ("markerclusterjs", "/local/markercluster/leaflet.markercluster.js") in fmap.default_js


def test_unknown_asset_fails_loudly() -> None:
    class NeedsSomethingElse(folium.MacroElement):
        default_js: ClassVar = [("mystery", "https://cdn.example.org/mystery.js")]

    fmap = folium.Map(tiles=None)
    NeedsSomethingElse().add_to(fmap)
    with pytest.raises(MissingAssetError, match="no local copy of asset 'mystery'"):
        localize_assets(fmap)
