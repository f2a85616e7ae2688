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
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import matplotlib as mpl
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter
from pyproj import Geod

from geo.boundaries import Boundaries, BoundaryDataError
from geo.control import Gazetteer, control_map
from geo.dataset import SAMPLE_EVENTS, events_credit, import_events
from geo.derive_control import derive_records
from geo.events import ImportResult
from geo.fronts import FrontsFileError, read_fronts_geojson
from geo.guard import cli_edge
from geo.limits import printable, without_controls
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
    source_lines,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    from geo.control import ControlMap
    from geo.store import ControlStore


# Latin first, then the scripts DejaVu lacks. matplotlib falls back glyph by glyph.
PROG = "python -m layers.snapshot"
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
    """The file for ``fmt`` (png, svg, pdf or html) as bytes.

    The page's events travel by a channel to files its server publishes and its legend lists
    the whole data set's types; a file carries its own events and lists the types it draws.
    """
    data = replace(data, event_channel=None)
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
    hollow = entry.kind == "hollow-point"  # a ring: a position known only approximately
    return Line2D(
        [],
        [],
        linestyle="none",
        marker="o",
        markersize=7,
        markerfacecolor="none" if hollow else entry.color,
        markeredgecolor=entry.color if hollow else INK,
        markeredgewidth=1.6 if hollow else 1.0,
    )


LegendRow = tuple[str, LegendEntry | None]
"""A legend row: a layer's bold title (entry None) or one of its swatches."""

LEGEND_STYLES = ((8.5, 1), (7.5, 1), (7.0, 2), (6.0, 2))
"""(font size, columns) tried in turn until the legend clears the sources block."""
PANEL_GAP_PT = 10.0
CHAR_WIDTH_EM = 0.55
"""Average width of a DejaVu Sans character, in ems, for wrapping labels to a column."""


def legend_rows(data: MapData, layer_ids: Sequence[str]) -> list[LegendRow]:
    """Top layer first: each visible layer that draws something, then what it draws."""
    rows: list[LegendRow] = []
    for layer in reversed([layer for layer in registry() if layer.id in layer_ids]):
        entries = layer.legend_entries(data)
        if entries:
            rows.append((layer.title, None))
            rows += [(entry.label, entry) for entry in entries]
    return rows


def _draw_legend(panel: Axes, rows: Sequence[LegendRow], fontsize: float, columns: int) -> Legend:
    """The rows as one matplotlib legend, labels wrapped to the column width."""
    width_pt = panel.get_position().width * PAGE_SIZE_IN[0] * 72
    chars = max(int((width_pt / columns - 3 * fontsize) / (CHAR_WIDTH_EM * fontsize)), 12)
    handles = [Patch(visible=False) if entry is None else _legend_handle(entry) for _label, entry in rows]
    labels = [textwrap.fill(label, chars) for label, _entry in rows]
    legend = panel.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0, 1),
        frameon=False,
        fontsize=fontsize,
        borderaxespad=0,
        ncols=columns,
        columnspacing=0.8,
        handlelength=1.6,
        labelspacing=0.35,
    )
    for text, (_label, entry) in zip(legend.get_texts(), rows, strict=True):
        if entry is None:
            text.set_fontweight("bold")
    return legend


def _draw_sources(panel: Axes, credits: Sequence[str]) -> Text:
    lines = ["Sources and licences"]
    for credit in credits:
        lines += textwrap.wrap(credit, 52, initial_indent="• ", subsequent_indent="  ")
    lines += textwrap.wrap("Boundaries are for orientation, not a statement on any disputed line.", 54)
    return panel.text(0, 0, "\n".join(lines), va="bottom", ha="left", fontsize=7.5, color=MUTED_INK, linespacing=1.35)


def _fit_legend(panel: Axes, rows: list[LegendRow], ceiling: float, renderer: RendererBase) -> Artist:
    """The largest legend whose bottom stays above ``ceiling`` (display units).

    Smaller type and two columns come first; a legend that still does not fit keeps
    as many rows as fit and says how many more the layers draw.
    """
    if not rows:
        return panel.text(0, 1, "No layers drawn", va="top", fontsize=9, color=MUTED_INK)
    for fontsize, columns in LEGEND_STYLES:
        legend = _draw_legend(panel, rows, fontsize, columns)
        if legend.get_window_extent(renderer).y0 >= ceiling:
            return legend
        legend.remove()
    fontsize, columns = LEGEND_STYLES[-1]
    for kept in range(len(rows) - 1, 0, -1):
        left_out = len(rows) - kept
        shortened = [*rows[:kept], (f"… and {left_out} more legend rows", None)]
        legend = _draw_legend(panel, shortened, fontsize, columns)
        if legend.get_window_extent(renderer).y0 >= ceiling:
            return legend
        legend.remove()
    return panel.text(0, 1, f"{len(rows)} legend rows: too many to print", va="top", fontsize=8, color=MUTED_INK)


def _draw_scale_bar(ax: Axes, bbox: BBox) -> list[Artist]:
    """A two-segment bar in the lower left, measured along its own parallel."""
    west, south, east, north = bbox
    lat = south + 0.06 * (north - south)
    km_per_degree = GEOD.inv(0.0, lat, 1.0, lat)[2] / 1000
    length_km = nice_length_km((east - west) * km_per_degree / 4)
    span = length_km / km_per_degree
    x0, height = west + 0.05 * (east - west), 0.012 * (north - south)
    artists: list[Artist] = [
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
    ]
    for i, colour in enumerate((INK, "white")):
        artists.append(
            ax.add_patch(
                Rectangle(
                    (x0 + i * span / 2, lat), span / 2, height, facecolor=colour, edgecolor=INK, lw=0.6, zorder=1001
                )
            )
        )
    # No label at the middle tick: at the default extent the bar is about 40 points long,
    # and "100" would run into "200 km".
    for offset, label in ((0, "0"), (span, f"{length_km:g} km")):
        artists.append(
            ax.text(
                x0 + offset, lat + 1.6 * height, label, ha="center", va="bottom", fontsize=7, color=INK, zorder=1002
            )
        )
    return artists


def _draw_north_arrow(ax: Axes) -> list[Artist]:
    arrow = ax.annotate(
        "",
        xy=(0.94, 0.93),
        xytext=(0.94, 0.83),
        xycoords="axes fraction",
        arrowprops={"facecolor": INK, "edgecolor": INK, "width": 3, "headwidth": 10, "headlength": 9},
        zorder=1001,
    )
    letter = ax.text(
        0.94, 0.935, "N", transform=ax.transAxes, ha="center", va="bottom", fontsize=11, weight="bold", zorder=1001
    )
    return [arrow, letter]


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


def _metadata(fmt: str, title: str, made_at: datetime, sources: Sequence[str]) -> dict[str, object]:
    """File metadata; the sources travel with the file, as on the page."""
    creator = "Myanmar border conflict map (layers.snapshot)"
    credits = "Sources: " + "; ".join(sources)
    if fmt == "png":
        return {"Title": title, "Software": creator, "Creation Time": made_at_text(made_at), "Description": credits}
    if fmt == "svg":
        return {"Title": title, "Creator": creator, "Date": made_at_text(made_at), "Description": credits}
    return {"Title": title, "Creator": creator, "CreationDate": made_at, "Subject": credits}


TITLE_SIZES = (16, 13, 11)
"""Title font sizes tried in turn until the title fits in two lines."""


def _draw_title(fig: Figure, title: str, left: float, bottom: float, renderer: RendererBase) -> Text:
    """The title wrapped to the page width, stacked on ``bottom`` (figure fraction)."""
    width_pt = (CONTENT_RIGHT - left) * PAGE_SIZE_IN[0] * 72
    for size in TITLE_SIZES:
        wrapped = textwrap.fill(title, max(int(width_pt / (0.62 * size)), 10))
        text = fig.text(left, bottom, wrapped, fontsize=size, weight="bold", color=INK, va="bottom")
        box = text.get_window_extent(renderer)
        if wrapped.count("\n") < 2 and box.y1 <= fig.bbox.y1 - 4:
            return text
        text.remove()
    shortened = textwrap.shorten(title, max(int(width_pt / (0.62 * TITLE_SIZES[-1])), 10), placeholder=" …")
    return fig.text(left, bottom, shortened, fontsize=TITLE_SIZES[-1], weight="bold", color=INK, va="bottom")


@dataclass
class ComposedMap:
    """A finished snapshot figure and the artists of each part, for the layout tests."""

    figure: Figure
    parts: dict[str, list[Artist]]


def compose_map(
    data: MapData,
    layer_ids: Iterable[str],
    bbox: Sequence[float] | None = None,
    title: str = DEFAULT_TITLE,
    made_at: datetime | None = None,
) -> ComposedMap:
    """The A4-landscape figure: map, title, period, legend, sources, scale bar, north arrow.

    Call inside :func:`snapshot_style`. Text sizes are measured with the Agg renderer, so
    the legend shrinks (smaller type, two columns) rather than run into the sources.
    """
    ids = check_layer_ids(layer_ids)
    box = check_bbox(DEFAULT_BOUNDS if bbox is None else bbox)
    made = as_utc(made_at)
    fig = Figure(figsize=PAGE_SIZE_IN, facecolor="white")
    renderer = FigureCanvasAgg(fig).get_renderer()
    map_rect, panel_rect = _layout(box)
    ax = fig.add_axes(map_rect)
    west, south, east, north = box
    ax.set_xlim(west, east)  # before drawing: the density layer sizes its kernel to the view
    ax.set_ylim(south, north)
    for layer in registry():
        if layer.id in ids:
            layer.draw_static(ax, data)
    ax.set_xlim(west, east)  # after drawing too: plotting autoscales
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
    parts: dict[str, list[Artist]] = {"map": [ax]}
    parts["scale bar"] = _draw_scale_bar(ax, box)
    parts["north arrow"] = _draw_north_arrow(ax)

    period = fig.text(map_rect[0], MAP_TOP + 0.025, period_text(data), fontsize=10, color=MUTED_INK, va="bottom")
    title_bottom = fig.transFigure.inverted().transform((0, period.get_window_extent(renderer).y1 + 6))[1]
    parts["period"] = [period]
    parts["title"] = [_draw_title(fig, title, map_rect[0], title_bottom, renderer)]
    panel = fig.add_axes(panel_rect)
    panel.set_axis_off()
    sources = _draw_sources(panel, source_lines(data, ids))
    parts["sources"] = [sources]
    ceiling = sources.get_window_extent(renderer).y1 + PANEL_GAP_PT * fig.dpi / 72
    parts["legend"] = [_fit_legend(panel, legend_rows(data, ids), ceiling, renderer)]
    parts["made at"] = [
        fig.text(
            map_rect[0], 0.035, f"Made {made_at_text(made)} (UTC)", fontsize=7, color=MUTED_INK, va="bottom", ha="left"
        )
    ]
    return ComposedMap(fig, parts)


def snapshot_style() -> dict[str, object]:
    """matplotlib settings for snapshots: the font fallback list, fonts kept as text."""
    return {
        "font.family": installed_families(),
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
        "axes.unicode_minus": False,
    }


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
    made = as_utc(made_at)
    with mpl.rc_context(snapshot_style()):
        composed = compose_map(data, ids, bbox, title, made)
        for text in composed.figure.findobj(Text):  # names from the user's files reach labels and the legend
            text.set_text(without_controls(text.get_text()))
        out = io.BytesIO()
        metadata = _metadata(fmt, printable(title), made, source_lines(data, ids))
        composed.figure.savefig(out, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
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
    defaults = ", ".join(default_layer_ids())  # spaces let --help wrap between ids, not inside one
    parser = argparse.ArgumentParser(
        prog=PROG,
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


def refuse_file(message: str) -> NoReturn:
    """A file the CLI cannot use: one line on stderr (no usage text: the arguments were fine), exit 2."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _load_events(path: Path | None, boundaries: Boundaries) -> ImportResult:
    """The user's events (row problems reported on stderr), or the shipped cited sample."""
    try:
        if path is not None and not path.is_file():
            refuse_file(f"cannot read events file {path}: no such file")
        result = import_events(SAMPLE_EVENTS if path is None else path, boundaries)
    except (OSError, ValueError) as error:
        refuse_file(f"cannot read events file: {error}")
    if path is not None:
        print(result.report(max_problems=10), file=sys.stderr)
    return result


def _load_fronts(args: argparse.Namespace, store: ControlStore) -> gpd.GeoDataFrame:
    """Fronts drawn by analysts (the store), plus a --fronts file."""
    fronts = store.fronts()
    if args.fronts is None:
        return fronts
    try:
        extra = read_fronts_geojson(args.fronts)
    except FrontsFileError as error:
        refuse_file(f"cannot read fronts file: {error}")
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


@cli_edge(PROG)
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
    imported = _load_events(args.events, boundaries)
    if args.since is not None and "control" not in request.layer_ids:
        parser.error("--since outlines changes of control: add the control layer to --layers")
    try:
        store = open_store(args.store)
    except StoreError as error:
        parser.error(str(error))
    data = request.map_data(boundaries, imported.events, _load_fronts(args, store), events_credit(imported))
    if "control" in request.layer_ids:
        data = replace(data, control=_control(args, store, imported.events))
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
