"""Browser assets served from this machine instead of a CDN.

folium names every JS/CSS file an element needs in ``default_js``/``default_css`` with a
CDN address. The dashboard must work with no internet, so each name is mapped to a file
copied from ``node_modules`` (installed with ``npm ci``) into ``static/vendor``, which
Streamlit serves at ``/app/static/vendor``. An element asking for an asset we have no
local copy of fails loudly rather than silently reaching for a CDN.

Run ``python -m layers.assets`` to copy the files after ``npm ci``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from branca.element import Element

REPO_ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO_ROOT / "node_modules"
VENDOR_DIR = REPO_ROOT / "static" / "vendor"
PAGE_BASE_URL = "/app/static/vendor"

# node_modules source -> path under static/vendor. Directories are copied whole
# (leaflet's CSS refers to its images by relative path).
VENDOR_FILES: dict[str, str] = {
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images": "leaflet/images",
    "leaflet.markercluster/dist/leaflet.markercluster.js": "markercluster/leaflet.markercluster.js",
    "leaflet.markercluster/dist/MarkerCluster.css": "markercluster/MarkerCluster.css",
    "leaflet.markercluster/dist/MarkerCluster.Default.css": "markercluster/MarkerCluster.Default.css",
    "leaflet.heat/dist/leaflet-heat.js": "leaflet-heat/leaflet-heat.js",
    "jquery/dist/jquery.min.js": "jquery/jquery.min.js",
    # Regular weight only, as woff2 (every browser the dashboard supports reads it); fonts.css declares them.
    **{
        f"@fontsource/noto-sans-myanmar/files/noto-sans-myanmar-{subset}-400-normal.woff2": (
            f"fonts/noto-sans-myanmar-{subset}-400-normal.woff2"
        )
        for subset in ("myanmar", "latin", "latin-ext")
    },
    "leaflet-draw/dist/leaflet.draw.js": "leaflet-draw/leaflet.draw.js",
    "leaflet-draw/dist/leaflet.draw.css": "leaflet-draw/leaflet.draw.css",
    "leaflet-draw/dist/images": "leaflet-draw/images",
}

# This project's own browser files (repository path -> path under static/vendor), kept in
# layers/js/ where `node --test` tests the scripts; served the same way.
OWN_FILES: dict[str, str] = {
    "layers/js/legend.js": "mcm/legend.js",
    "layers/js/labels.js": "mcm/labels.js",
    "layers/js/map.css": "mcm/map.css",
    "layers/js/fonts.css": "fonts/fonts.css",
    "layers/js/control.js": "mcm/control.js",
    "layers/js/events.js": "mcm/events.js",
    "layers/js/playback.js": "mcm/playback.js",
    "layers/js/features.js": "mcm/features.js",
    "layers/js/keep.js": "mcm/keep.js",
}

# folium asset name -> path under static/vendor.
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
    "leaflet-heat.js": "leaflet-heat/leaflet-heat.js",
    "jquery": "jquery/jquery.min.js",
    "mcm_legend": "mcm/legend.js",
    "mcm_labels": "mcm/labels.js",
    "mcm_map_css": "mcm/map.css",
    "mcm_fonts_css": "fonts/fonts.css",
    "leaflet_draw_js": "leaflet-draw/leaflet.draw.js",
    "leaflet_draw_css": "leaflet-draw/leaflet.draw.css",
    "mcm-control": "mcm/control.js",
    "mcm-events": "mcm/events.js",
    "mcm-playback": "mcm/playback.js",
    "mcm-features": "mcm/features.js",
    "mcm-keep": "mcm/keep.js",
}

# Assets folium's Map asks for that no layer here uses (Bootstrap and the awesome-markers
# icon fonts serve folium's icon markers and plugins we do not use). jQuery stays: folium
# builds popup contents with it.
UNUSED_ASSETS = frozenset(
    {
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
    }
)


class MissingAssetError(RuntimeError):
    """An element needs a browser asset that has no local copy."""


def install_vendor_files(node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy the vendored files out of node_modules, and our own scripts; returns the written paths."""
    written = []
    sources = [(node_modules / source, target) for source, target in VENDOR_FILES.items()]
    sources += [(REPO_ROOT / source, target) for source, target in OWN_FILES.items()]
    for src, target in sources:
        dst = vendor_dir / target
        if not src.exists():
            raise MissingAssetError(f"{src} is missing: run `npm ci` in {REPO_ROOT} first")
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, dst)
        written.append(dst)
    return written


def _asset_elements(element: Element) -> Iterator[Element]:
    if hasattr(element, "default_js") or hasattr(element, "default_css"):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _asset_elements(child)


def _local(assets: list[tuple[str, str]], base_url: str) -> list[tuple[str, str]]:
    local = []
    for name, url in assets:
        if name in UNUSED_ASSETS:
            continue
        if name not in LOCAL_ASSETS:
            raise MissingAssetError(f"no local copy of asset {name!r} (folium wants {url})")
        local.append((name, f"{base_url}/{LOCAL_ASSETS[name]}"))
    return local


def localize_assets(
    root: Element,
    base_url: str = PAGE_BASE_URL,
    extra: tuple[Element, ...] = (),
    preload: tuple[type[Element], ...] = (),
) -> None:
    """Point every asset of ``root``, its children and ``extra`` at local copies, on ``root``.

    All assets are hoisted onto the map (in order, without duplicates): streamlit-folium
    only loads the map's own assets, ``extra`` holds its separately rendered feature
    groups, and some elements render their script without declaring assets themselves.
    ``preload`` adds the assets of element classes not on the map yet (hidden layers).
    """
    js: list[tuple[str, str]] = []
    css: list[tuple[str, str]] = []
    for top in (root, *extra):
        for element in _asset_elements(top):
            js += _local(list(getattr(element, "default_js", [])), base_url)
            css += _local(list(getattr(element, "default_css", [])), base_url)
            if element is not root:
                element.default_js, element.default_css = [], []
    for element_class in preload:  # after the map's own: plugins load after Leaflet
        js += _local(list(getattr(element_class, "default_js", [])), base_url)
        css += _local(list(getattr(element_class, "default_css", [])), base_url)
    root.default_js = list(dict.fromkeys(js))
    root.default_css = list(dict.fromkeys(css))


def main() -> int:
    for path in install_vendor_files():
        print(f"installed {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
