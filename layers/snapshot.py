"""Map snapshots for reports: PNG/SVG/PDF drawn with matplotlib, and the command line.

The static renderer needs no browser and no internet: every visible layer draws itself
through :meth:`MapLayer.draw_static` in registry order, and the figure adds what a
printed map needs (title, period, legend, scale bar, north arrow, sources, time made).
The page and ``python -m layers.snapshot`` share :class:`layers.request.SnapshotRequest`
and :func:`export_map`, so a download and a CLI export of the same view are the same file.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter
from pyproj import Geod

from geo.boundaries import Boundaries, BoundaryDataError
from geo.control import Gazetteer, control_map
from geo.dataset import SAMPLE_EVENTS, import_events
from geo.derive_control import derive_records
from geo.fronts import FrontsFileError, read_fronts_geojson
from geo.store import StoreError, open_store
from layers import registry
from layers.base import LegendEntry, MapData
from layers.export_html import standalone_html
from layers.mapview import DEFAULT_BOUNDS, SEA_COLOUR
from layers.request import (
    DEFAULT_TITLE,
    EXPORT_FORMATS,
    STATIC_FORMATS,
    BBox,
    SnapshotRequest,
    as_utc,
    check_bbox,
    check_layer_ids,
    default_layer_ids,
    made_at_text,
    period_text,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from geo.control import ControlMap
    from geo.store import ControlStore


# Latin first, then the scripts DejaVu lacks. matplotlib falls back glyph by glyph.
FONT_FALLBACK = ("DejaVu Sans", "Noto Sans Myanmar", "Noto Sans CJK SC")
FONT_PACKAGES = {"Noto Sans Myanmar": "fonts-noto-core", "Noto Sans CJK SC": "fonts-noto-cjk"}

PAGE_SIZE_IN = (11.69, 8.27)  # A4 landscape
CONTENT_LEFT, CONTENT_RIGHT = 0.04, 0.97  # figure fractions
MAP_BOTTOM, MAP_TOP = 0.10, 0.85
PANEL_WIDTH_IN, GAP_IN = 3.0, 0.4
INK, MUTED_INK = "#1a1a1a", "#555555"
NICE_STEPS = (1, 2, 5)
GEOD = Geod(ellps="WGS84")


class FontsMissing(RuntimeError):
    """A font the fallback list needs for Burmese or Chinese is not installed."""


def font_files() -> dict[str, Path]:
    """The file behind each fallback family, or FontsMissing naming the Debian package."""
    found: dict[str, Path] = {}
    missing: list[str] = []
    for family in FONT_FALLBACK:
        try:
            found[family] = Path(font_manager.findfont(family, fallback_to_default=False))
        except ValueError:
            package = FONT_PACKAGES.get(family)
            missing.append(f"{family} (Debian package {package})" if package else family)
    if missing:
        raise FontsMissing(f"fonts not installed: {', '.join(missing)}; Burmese/Chinese text would show as boxes")
    return found


def installed_families() -> list[str]:
    """The fallback families that are installed, so matplotlib never asks for a missing one."""
    families = []
    for family in FONT_FALLBACK:
        try:
            font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            continue
        families.append(family)
    return families


def export_map(
    request: SnapshotRequest, data: MapData, fmt: str, dpi: int = 200, made_at: datetime | None = None
) -> bytes:
    """The file for ``fmt`` (png, svg, pdf or html) as bytes."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "html":
        html = standalone_html(data, request.layer_ids, title=request.title, bbox=request.bbox, made_at=made_at)
        return html.encode("utf-8")
    return render_snapshot(data, request.layer_ids, request.bbox, request.title, fmt, dpi, made_at)


def aspect_for(bbox: BBox) -> float:
    """y/x stretch that makes a degree of latitude and of longitude equal ground lengths mid-map."""
    return 1 / math.cos(math.radians((bbox[1] + bbox[3]) / 2))


def nice_length_km(max_km: float) -> float:
    """The largest 1, 2 or 5 × 10^n not above ``max_km``."""
    exponent = math.floor(math.log10(max_km))
    return max(step * 10.0**exponent for step in NICE_STEPS if step * 10.0**exponent <= max_km)


def _legend_handle(entry: LegendEntry) -> Artist:
    if entry.kind == "area":
        return Patch(facecolor=entry.color, edgecolor=entry.color, alpha=0.7)
    if entry.kind == "line":
        return Line2D([], [], color=entry.color, linewidth=2.2)
    return Line2D([], [], linestyle="none", marker="o", markersize=7, markerfacecolor=entry.color, markeredgecolor=INK)


def _draw_legend(panel: Axes, layer_ids: Sequence[str], data: MapData) -> None:
    """One bold header per visible layer (top layer first), then its swatches."""
    handles: list[Artist] = []
    labels: list[str] = []
    headers: set[int] = set()
    for layer in reversed([layer for layer in registry() if layer.id in layer_ids]):
        headers.add(len(labels))
        handles.append(Patch(visible=False))
        labels.append(layer.title)
        for entry in layer.legend_entries(data):
            handles.append(_legend_handle(entry))
            labels.append(entry.label)
    if not handles:
        panel.text(0, 1, "No layers shown", va="top", fontsize=9, color=MUTED_INK)
        return
    legend = panel.legend(
        handles, labels, loc="upper left", bbox_to_anchor=(0, 1), frameon=False, fontsize=8.5, borderaxespad=0
    )
    for index, text in enumerate(legend.get_texts()):
        if index in headers:
            text.set_fontweight("bold")


def _draw_sources(panel: Axes, layer_ids: Sequence[str]) -> None:
    lines = ["Sources and licences"]
    for layer in registry():
        if layer.id in layer_ids and layer.attribution:
            lines += textwrap.wrap(layer.attribution, 52, initial_indent="• ", subsequent_indent="  ")
    lines += textwrap.wrap("Boundaries are for orientation, not a statement on any disputed line.", 54)
    panel.text(0, 0, "\n".join(lines), va="bottom", ha="left", fontsize=7.5, color=MUTED_INK, linespacing=1.35)


def _draw_scale_bar(ax: Axes, bbox: BBox) -> None:
    """A two-segment bar in the lower left, measured along its own parallel."""
    west, south, east, north = bbox
    lat = south + 0.06 * (north - south)
    km_per_degree = GEOD.inv(0.0, lat, 1.0, lat)[2] / 1000
    length_km = nice_length_km((east - west) * km_per_degree / 4)
    span = length_km / km_per_degree
    x0, height = west + 0.05 * (east - west), 0.012 * (north - south)
    ax.add_patch(
        Rectangle(
            (x0 - 0.02 * (east - west), lat - 2.2 * height),
            span + 0.09 * (east - west),
            6 * height,
            facecolor="white",
            alpha=0.75,
            edgecolor="none",
            zorder=1000,
        )
    )
    for i, colour in enumerate((INK, "white")):
        ax.add_patch(
            Rectangle((x0 + i * span / 2, lat), span / 2, height, facecolor=colour, edgecolor=INK, lw=0.6, zorder=1001)
        )
    # No label at the middle tick: at the default extent the bar is about 40 points long,
    # and "100" would run into "200 km".
    for offset, label in ((0, "0"), (span, f"{length_km:g} km")):
        ax.text(x0 + offset, lat + 1.6 * height, label, ha="center", va="bottom", fontsize=7, color=INK, zorder=1002)


def _draw_north_arrow(ax: Axes) -> None:
    ax.annotate(
        "",
        xy=(0.94, 0.93),
        xytext=(0.94, 0.83),
        xycoords="axes fraction",
        arrowprops={"facecolor": INK, "edgecolor": INK, "width": 3, "headwidth": 10, "headlength": 9},
        zorder=1001,
    )
    ax.text(0.94, 0.935, "N", transform=ax.transAxes, ha="center", va="bottom", fontsize=11, weight="bold", zorder=1001)


def _degrees(axis: str) -> FuncFormatter:
    positive, negative = ("E", "W") if axis == "x" else ("N", "S")
    return FuncFormatter(lambda value, _pos: f"{abs(value):g}°{positive if value >= 0 else negative}")


def _layout(bbox: BBox) -> tuple[list[float], list[float]]:
    """Map and panel rectangles (figure fractions): the map as large as its aspect allows."""
    page_w, page_h = PAGE_SIZE_IN
    west, south, east, north = bbox
    ratio = (north - south) * aspect_for(bbox) / (east - west)
    max_w = (CONTENT_RIGHT - CONTENT_LEFT) * page_w - PANEL_WIDTH_IN - GAP_IN
    max_h = (MAP_TOP - MAP_BOTTOM) * page_h
    map_h = min(max_h, max_w * ratio)
    map_w = map_h / ratio
    block_w = map_w + GAP_IN + PANEL_WIDTH_IN
    left = CONTENT_LEFT * page_w + ((CONTENT_RIGHT - CONTENT_LEFT) * page_w - block_w) / 2
    bottom = MAP_BOTTOM * page_h + (max_h - map_h)
    map_rect = [left / page_w, bottom / page_h, map_w / page_w, map_h / page_h]
    panel_rect = [(left + map_w + GAP_IN) / page_w, MAP_BOTTOM, PANEL_WIDTH_IN / page_w, MAP_TOP - MAP_BOTTOM]
    return map_rect, panel_rect


def _metadata(fmt: str, title: str, made_at: datetime) -> dict[str, object]:
    creator = "Myanmar border conflict map (layers.snapshot)"
    if fmt == "png":
        return {"Title": title, "Software": creator, "Creation Time": made_at_text(made_at)}
    if fmt == "svg":
        return {"Title": title, "Creator": creator, "Date": made_at_text(made_at)}
    return {"Title": title, "Creator": creator, "CreationDate": made_at}


def render_snapshot(
    data: MapData,
    layer_ids: Iterable[str],
    bbox: Sequence[float] | None = None,
    title: str = DEFAULT_TITLE,
    fmt: str = "png",
    dpi: int = 200,
    made_at: datetime | None = None,
) -> bytes:
    """A finished A4-landscape map figure as PNG, SVG or PDF bytes."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in STATIC_FORMATS:
        raise ValueError(f"unknown snapshot format {fmt!r}; expected one of {', '.join(STATIC_FORMATS)}")
    ids = check_layer_ids(layer_ids)
    box = check_bbox(DEFAULT_BOUNDS if bbox is None else bbox)
    made = as_utc(made_at)
    rc = {"font.family": installed_families(), "svg.fonttype": "none", "pdf.fonttype": 42, "axes.unicode_minus": False}
    with mpl.rc_context(rc):
        fig = Figure(figsize=PAGE_SIZE_IN, facecolor="white")
        map_rect, panel_rect = _layout(box)
        ax = fig.add_axes(map_rect)
        for layer in registry():
            if layer.id in ids:
                layer.draw_static(ax, data)
        west, south, east, north = box
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        ax.set_aspect(aspect_for(box), adjustable="box")
        ax.set_facecolor(SEA_COLOUR)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.xaxis.set_major_formatter(_degrees("x"))
        ax.yaxis.set_major_formatter(_degrees("y"))
        ax.tick_params(labelsize=7, colors=MUTED_INK, length=3, width=0.5)
        for spine in ax.spines.values():
            spine.set(linewidth=0.6, color=MUTED_INK)
        _draw_scale_bar(ax, box)
        _draw_north_arrow(ax)

        top = MAP_TOP + 0.11
        fig.text(map_rect[0], top, textwrap.fill(title, 90), fontsize=16, weight="bold", color=INK, va="top")
        fig.text(map_rect[0], MAP_TOP + 0.025, period_text(data), fontsize=10, color=MUTED_INK, va="bottom")
        panel = fig.add_axes(panel_rect)
        panel.set_axis_off()
        _draw_legend(panel, ids, data)
        _draw_sources(panel, ids)
        fig.text(
            map_rect[0], 0.035, f"Made {made_at_text(made)} (UTC)", fontsize=7, color=MUTED_INK, va="bottom", ha="left"
        )

        out = io.BytesIO()
        fig.savefig(out, format=fmt, dpi=dpi, facecolor="white", metadata=_metadata(fmt, title, made))
    return out.getvalue()


# ---- command line -------------------------------------------------------------------


def parse_date(text: str) -> date:
    """A YYYY-MM-DD date for argparse."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad date {text!r}: expected YYYY-MM-DD") from None


def parse_bbox(text: str) -> BBox:
    """'W,S,E,N' for argparse, range-checked."""
    parts = text.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad bbox {text!r}: expected four numbers W,S,E,N") from None
    try:
        return check_bbox(numbers)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"bad bbox {text!r}: {error}") from None


def parse_layers(text: str) -> tuple[str, ...]:
    """Comma-separated layer ids for argparse."""
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError("give at least one layer id")
    try:
        return check_layer_ids(ids)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def output_problem(path: Path) -> str | None:
    """Why ``path`` cannot be written, or None."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in EXPORT_FORMATS:
        return f"unknown extension {path.suffix or '(none)'!r} for {path}; use one of .{', .'.join(EXPORT_FORMATS)}"
    parent = path.parent
    if not parent.exists():
        return f"directory {parent} does not exist"
    if not parent.is_dir():
        return f"{parent} is not a directory"
    if path.is_dir():
        return f"{path} is a directory"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is not writable"
    if not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
        return f"directory {parent} is not writable"
    return None


def build_parser() -> argparse.ArgumentParser:
    known = ", ".join(layer.id for layer in registry())
    defaults = ", ".join(default_layer_ids())  # spaces let argparse wrap the list between ids, not inside one
    parser = argparse.ArgumentParser(
        prog="python -m layers.snapshot",
        description="Export the map as a static figure (PNG, SVG, PDF) or a self-contained offline HTML page.",
        epilog=f"Known layers (bottom to top): {known}. Give a bbox starting with '-' as --bbox=-W,S,E,N.",
    )
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE",
        help="output file; the extension picks the format: .png, .svg, .pdf or .html",
    )
    parser.add_argument(
        "--layers",
        type=parse_layers,
        default=default_layer_ids(),
        metavar="ID,ID,...",
        help=f"layers to draw (default: the layers shown by default, {defaults})",
    )
    parser.add_argument("--start", type=parse_date, metavar="YYYY-MM-DD", help="first event date (default: none)")
    parser.add_argument("--end", type=parse_date, metavar="YYYY-MM-DD", help="last event date (default: none)")
    parser.add_argument(
        "--asof",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="as-of date printed on the map; fronts valid on it and control on it are drawn "
        "(default: none; control then uses --end, or today)",
    )
    parser.add_argument(
        "--since",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="outline the towns and townships whose control changed between this date and --asof (default: none)",
    )
    parser.add_argument(
        "--store",
        type=Path,
        metavar="PATH",
        help="control store file or directory (default: $MYANMAR_CONFLICT_MAP_DATA, seeded from the shipped history)",
    )
    west, south, east, north = DEFAULT_BOUNDS
    parser.add_argument(
        "--bbox",
        type=parse_bbox,
        default=DEFAULT_BOUNDS,
        metavar="W,S,E,N",
        help=f"map extent in degrees, west,south,east,north (default: {west:g},{south:g},{east:g},{north:g})",
    )
    parser.add_argument(
        "--events",
        type=Path,
        metavar="PATH",
        help="event file (ACLED/UCDP/plain CSV or GeoJSON) to load and filter by --start/--end "
        "(default: the shipped cited sample, geo/data/sample_events.csv)",
    )
    parser.add_argument(
        "--fronts",
        type=Path,
        metavar="PATH",
        help="extra fronts GeoJSON (lines or areas with front, actor, valid_from, valid_to) drawn as of --asof, "
        "besides the fronts analysts drew in the store",
    )
    parser.add_argument("--title", default=DEFAULT_TITLE, help=f"title printed on the map (default: {DEFAULT_TITLE!r})")
    parser.add_argument("--dpi", type=int, default=200, help="PNG resolution in dots per inch (default: 200)")
    return parser


def _load_events(parser: argparse.ArgumentParser, path: Path | None, boundaries: Boundaries) -> gpd.GeoDataFrame:
    """The user's events (row problems reported on stderr), or the shipped cited sample."""
    if path is not None and not path.is_file():
        parser.error(f"cannot read events file {path}: no such file")
    try:
        result = import_events(SAMPLE_EVENTS if path is None else path, boundaries)
    except (OSError, ValueError) as error:
        parser.error(f"cannot read events file {path}: {error}")
    if path is not None:
        print(result.report(max_problems=10), file=sys.stderr)
    return result.events


def _load_fronts(parser: argparse.ArgumentParser, args: argparse.Namespace, store: ControlStore) -> gpd.GeoDataFrame:
    """Fronts drawn by analysts (the store), plus a --fronts file."""
    fronts = store.fronts()
    if args.fronts is None:
        return fronts
    try:
        extra = read_fronts_geojson(args.fronts)
    except FrontsFileError as error:
        parser.error(f"cannot read fronts file: {error}")
    if extra.rejected:
        print(extra.report(), file=sys.stderr)
    return pd.concat([fronts, extra.fronts], ignore_index=True) if len(fronts) else extra.fronts


def _control(args: argparse.Namespace, store: ControlStore, events: gpd.GeoDataFrame) -> ControlMap:
    """Control on --asof (else --end, else today) from the store, plus records derived from a --events file."""
    places = Gazetteer.load()
    records = store.records()
    if args.events is not None:
        derived = derive_records(events, places.towns)
        for line in derived.skipped:
            print(f"control: {line}", file=sys.stderr)
        records += derived.records
    as_of = args.asof or args.end or date.today()
    return control_map(records, as_of, places, since=args.since)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; argument problems exit with status 2 and a one-line message."""
    parser = build_parser()
    args = parser.parse_args(argv)
    problem = output_problem(args.out)
    if problem:
        parser.error(problem)
    if args.dpi < 10 or args.dpi > 1200:
        parser.error(f"--dpi must be between 10 and 1200, not {args.dpi}")
    try:
        request = SnapshotRequest(args.layers, args.start, args.end, args.asof, args.bbox, args.title)
    except ValueError as error:
        parser.error(str(error).replace("end date", "--end").replace("start date", "--start"))
    try:
        boundaries = Boundaries.load()
    except BoundaryDataError as error:
        print(f"error: boundary data could not be loaded: {error}", file=sys.stderr)
        return 1
    events = _load_events(parser, args.events, boundaries)
    if args.since is not None and "control" not in request.layer_ids:
        parser.error("--since outlines changes of control: add the control layer to --layers")
    try:
        store = open_store(args.store)
    except StoreError as error:
        parser.error(str(error))
    data = request.map_data(boundaries, events, _load_fronts(parser, args, store))
    if "control" in request.layer_ids:
        data = replace(data, control=_control(args, store, events))
    payload = export_map(request, data, args.out.suffix, dpi=args.dpi)
    try:
        args.out.write_bytes(payload)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({len(payload):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
