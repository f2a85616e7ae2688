"""A single HTML file with the interactive map that opens offline on any machine.

The map is built exactly as on the page (:func:`layers.mapview.standalone_map`), with
its assets pointed at a placeholder address; each placeholder ``<script src>`` and
``<link href>`` is then replaced by the file's content, and the images Leaflet's CSS
refers to become ``data:`` URIs. A result that would still fetch anything over the
network raises instead of being written.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from branca.element import Element

from layers.assets import VENDOR_DIR, MissingAssetError
from layers.base import MapData, Verbatim
from layers.mapview import BASEMAPS, DEFAULT_BOUNDS, standalone_map
from layers.request import DEFAULT_TITLE, as_utc, check_bbox, check_layer_ids, made_at_text, period_text, source_lines

PLACEHOLDER = "inline-asset:"
_SCRIPT_TAG = re.compile(r'<script src="inline-asset:/([^"]+)"></script>')
_CSS_TAG = re.compile(r'<link rel="stylesheet" href="inline-asset:/([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^)'\"]+)\1\s*\)")
# Anything that makes a browser fetch by itself: a src, a stylesheet/preload link, a CSS url()
# or @import. Plain <a href> links are left alone: following one is the reader's choice.
_REMOTE = re.compile(
    r"""(?:\bsrc\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+["']\s*(?:https?:)?//)""",
    re.IGNORECASE,
)
EXPORT_HEAD = """
<style>
  /* Top left, beside the zoom buttons: the legend grows up the right-hand side from the bottom. */
  #export-info { position: absolute; top: 10px; left: 54px; z-index: 1000; max-width: 340px;
    background: rgba(255,255,255,0.92); padding: 8px 12px; border-radius: 4px;
    box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 13px/1.4 "Noto Sans", "Noto Sans Myanmar",
    "Noto Sans CJK SC", sans-serif; color: #1a1a1a; }
  #export-info h1 { font-size: 16px; margin: 0 0 4px; }
  #export-info p, #export-info ul { margin: 2px 0; font-size: 11px; color: #444; }
  #export-info ul { padding-left: 16px; }
</style>
"""


class RemoteReferenceError(ValueError):
    """The exported page still refers to a network address and would not open offline."""


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _vendored(path: Path, vendor_dir: Path) -> Path:
    """``path`` resolved, provided it is a file inside ``vendor_dir``."""
    resolved = path.resolve()
    if not resolved.is_file() or vendor_dir.resolve() not in resolved.parents:
        raise MissingAssetError(f"{path} is missing: run `python -m layers.assets` after `npm ci`")
    return resolved


def inline_css(css: str, css_path: Path, vendor_dir: Path = VENDOR_DIR) -> str:
    """CSS with every relative url(...) replaced by a data: URI of the file it names."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if target.startswith(("data:", "#")):
            return match.group(0)
        if re.match(r"^(?:[a-z]+:)?//", target, re.IGNORECASE):
            raise RemoteReferenceError(f"{css_path} refers to {target}")
        return f"url({_data_uri(_vendored(css_path.parent / target, vendor_dir))})"

    return _CSS_URL.sub(replace, css)


def inline_assets(page: str, vendor_dir: Path = VENDOR_DIR) -> str:
    """``page`` with placeholder script and stylesheet tags replaced by their inlined content."""

    def script(match: re.Match[str]) -> str:
        code = _vendored(vendor_dir / match.group(1), vendor_dir).read_text(encoding="utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def stylesheet(match: re.Match[str]) -> str:
        path = _vendored(vendor_dir / match.group(1), vendor_dir)
        css = inline_css(path.read_text(encoding="utf-8"), path, vendor_dir)
        return "<style>" + css.replace("</style", "<\\/style") + "</style>"

    return _CSS_TAG.sub(stylesheet, _SCRIPT_TAG.sub(script, page))


def check_offline(page: str) -> None:
    """Raise RemoteReferenceError if the page would fetch anything by itself."""
    leftover = [m.group(0) for m in _REMOTE.finditer(page)]
    if PLACEHOLDER in page:
        leftover.append(PLACEHOLDER)
    if leftover:
        raise RemoteReferenceError(f"exported HTML still refers to remote or unresolved assets: {leftover[:5]}")


def _info_panel(data: MapData, layer_ids: Sequence[str], title: str, made_at: datetime) -> str:
    sources = "".join(f"<li>{html.escape(credit)}</li>" for credit in source_lines(data, layer_ids))
    period = period_text(data)
    return (
        f'<div id="export-info"><h1>{html.escape(title)}</h1>'
        + (f"<p>{html.escape(period)}</p>" if period else "")
        + f"<p>Sources and licences:</p><ul>{sources}</ul>"
        + "<p>Boundaries are for orientation, not a statement on any disputed line.</p>"
        + f"<p>Made {made_at_text(made_at)} (UTC)</p></div>"
    )


def standalone_html(
    data: MapData,
    layer_ids: Iterable[str],
    basemap_id: str = "offline",
    title: str = DEFAULT_TITLE,
    bbox: Sequence[float] | None = None,
    made_at: datetime | None = None,
) -> str:
    """The interactive map as one self-contained HTML document (no network needed)."""
    basemap = BASEMAPS[basemap_id]
    if basemap.needs_internet:
        raise ValueError(f"basemap {basemap_id!r} needs internet; an offline export must use an offline basemap")
    ids = check_layer_ids(layer_ids)
    bounds = check_bbox(DEFAULT_BOUNDS if bbox is None else bbox)
    fmap = standalone_map(data, ids, basemap_id, asset_base_url=PLACEHOLDER, bounds=bounds)
    root = fmap.get_root()
    root.title = html.escape(title)
    root.header.add_child(Element(EXPORT_HEAD), name="export_head")
    root.html.add_child(Verbatim(_info_panel(data, ids, title, as_utc(made_at))), name="export_info")  # holds the title
    page = inline_assets(root.render())
    check_offline(page)
    return page
