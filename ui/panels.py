"""The panels beside and below the map: statistics, import report, exports, event table."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from geo.events import ImportResult
from geo.export import events_to_csv, events_to_geojson, fronts_to_geojson, snapshot_filename, spreadsheet_safe
from geo.filters import EventFilter
from geo.stats import NEAR_BORDER_KM, Summary, per_state, summarise, weekly_timeline, with_every_state
from geo.store import ControlStore
from layers.base import MapData
from layers.events import EVENT_TYPE_COLOURS, OTHER_COLOUR
from layers.mapview import DEFAULT_BOUNDS
from layers.request import BBox, SnapshotRequest, check_bbox
from layers.screenshot import browser_screenshot, missing_piece
from layers.snapshot import export_map

TABLE_COLUMNS = [
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "interaction",
    "location",
    "state",
    "fatalities",
    "km_to_china_border",
    "source",
    "notes",
    "source_url",
]


TABLE_ROWS = 1_000
MAP_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html"}


VIEW_PADDING = 0.5
"""Share of the view's width and height the store's query reaches beyond each edge, so a short
pan shows events while the page reruns for the new view."""


MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]<>#|~$])")


def literal_markdown(text: str) -> str:
    """``text`` (a file name from the user) escaped for labels Streamlit renders as markdown."""
    return MARKDOWN_SIGNS.sub(r"\\\1", text)


def view_bbox(returned: dict | None) -> tuple[float, float, float, float]:
    """The map's current extent (west, south, east, north), or the default before any pan."""
    bounds = (returned or {}).get("bounds") or {}
    try:
        south_west, north_east = bounds["_southWest"], bounds["_northEast"]
        return check_bbox(
            (
                max(south_west["lng"], -180.0),
                max(south_west["lat"], -90.0),
                min(north_east["lng"], 180.0),
                min(north_east["lat"], 90.0),
            )
        )
    except (KeyError, TypeError, ValueError):
        return DEFAULT_BOUNDS


def padded_bbox(bbox: BBox, padding: float = VIEW_PADDING) -> BBox:
    """``bbox`` grown by ``padding`` of its width and height on every side, kept within the world."""
    west, south, east, north = bbox
    dx, dy = (east - west) * padding, (north - south) * padding
    return (max(west - dx, -180.0), max(south - dy, -90.0), min(east + dx, 180.0), min(north + dy, 90.0))


@dataclass(frozen=True)
class EventCounts:
    """The figures beside and below the map: always for the whole filter, whatever the map's view."""

    summary: Summary
    weekly: pd.DataFrame
    per_state: pd.DataFrame

    @classmethod
    def of(cls, events: pd.DataFrame, state_names: Sequence[str]) -> EventCounts:
        """Counted in memory, from the filtered events of a file."""
        return cls(summarise(events), weekly_timeline(events), per_state(events, state_names))

    @classmethod
    def in_store(cls, store: ControlStore, event_filter: EventFilter, state_names: Sequence[str]) -> EventCounts:
        """Counted by the store's database, without loading the events."""
        return cls(
            store.event_summary(event_filter),
            store.weekly_counts(event_filter),
            with_every_state(store.counts_per_state(event_filter), state_names),
        )


def counted(data_key: str, event_filter: EventFilter, shown: pd.DataFrame, state_names: Sequence[str]) -> EventCounts:
    """The counts of ``shown`` (``event_filter`` applied to the data set ``data_key``), kept for the
    session while both stay: a run for anything else (a layer toggle, the control editor) should
    not count a million events again."""
    asked = (data_key, event_filter)
    kept = st.session_state.get("event-counts")
    if kept is None or kept[0] != asked:
        kept = st.session_state["event-counts"] = (asked, EventCounts.of(shown, state_names))
    return kept[1]


def screenshot_png(request: SnapshotRequest, data: MapData) -> bytes:
    return browser_screenshot(export_map(request, data, "html").decode("utf-8"))


def export_panel(data: MapData, visible: list[str], bbox: tuple[float, float, float, float]) -> None:
    """Snapshot and data downloads for the current layers, filters, dates and extent.

    Every file is made when its button is clicked (Streamlit runs the callable and shows
    the button busy meanwhile), so a filter change or a pan never pays for rendering.
    """
    request = SnapshotRequest(tuple(visible), data.period[0], data.period[1], data.as_of, bbox)

    def name(kind: str, ext: str) -> str:
        return snapshot_filename(kind, data.period, visible, ext)

    st.subheader("Export this view")
    st.caption("Files are made on click for the layers, filters, dates and map extent shown (PNG/PDF take seconds).")
    columns = st.columns(len(MAP_FORMATS) + 1)
    for column, (fmt, mime) in zip(columns, MAP_FORMATS.items(), strict=False):
        column.download_button(
            f"Map ({fmt.upper()})",
            partial(export_map, request, data, fmt),
            name("map", fmt),
            mime,
            key=f"download_{fmt}",
            on_click="ignore",
        )
    unavailable = missing_piece()
    columns[-1].download_button(
        "Browser screenshot (PNG)",
        partial(screenshot_png, request, data),
        name("screenshot", "png"),
        "image/png",
        key="download_screenshot",
        on_click="ignore",
        disabled=unavailable is not None,
        help=unavailable or "The live map as headless Chromium draws it",
    )
    if unavailable:
        st.caption(f"Browser screenshot unavailable: {unavailable}")
    data_files = (
        ("Events (CSV, ACLED columns)", events_to_csv, data.events, "events", "csv", "text/csv"),
        ("Events (GeoJSON)", events_to_geojson, data.events, "events", "geojson", "application/geo+json"),
        ("Fronts (GeoJSON)", fronts_to_geojson, data.fronts, "fronts", "geojson", "application/geo+json"),
    )
    for column, (label, convert, frame, kind, ext, mime) in zip(st.columns(3), data_files, strict=True):
        column.download_button(
            label,
            partial(convert, frame),
            name(kind, ext),
            mime,
            key=f"download_{kind}_{ext}",
            on_click="ignore",
        )


def import_report(result: ImportResult) -> None:
    """A one-line warning when rows were rejected; every problem, with line and field, on demand.

    Open only when nothing was accepted: a few hundred problems in a large file would
    otherwise push the map off the screen.
    """
    if result.rejected:
        lines = result.lines
        spans = lines is not None and lines.unit == "line" and lines.rejected != result.rejected_rows
        in_lines = f" ({lines.rejected:,} of {lines.read:,} lines)" if spans else ""
        st.warning(
            f"{result.rejected_rows:,} of {result.rows_in_file:,} rows{in_lines} were rejected; "
            "the import report below gives the line, field and reason of each problem."
        )
    name = literal_markdown(result.path.name)
    label = f"Import report: {name}: {result.accepted:,} accepted, {result.rejected_rows:,} rejected"
    with st.expander(label, expanded=result.accepted == 0):
        st.text(result.report(max_problems=200, full_path=False))
        if result.rejected:
            problems = pd.DataFrame([error.as_dict() for error in result.rejected])
            st.dataframe(spreadsheet_safe(problems), hide_index=True)  # its download button writes what is shown


def statistics(summary: Summary) -> None:
    cols = st.columns(4)
    cols[0].metric("Events", f"{summary.events:,}")
    cols[1].metric("Fatalities", f"{summary.fatalities:,}")
    cols[2].metric("States and regions affected", summary.states_affected)
    cols[3].metric(f"Within {NEAR_BORDER_KM} km of the China border", f"{summary.near_china_border:,}")


def side_panels(counts: EventCounts) -> None:
    st.subheader("Events per week")
    if counts.weekly.empty:
        st.caption("No events match the filters.")
    else:
        weekly_chart(counts.weekly)
    st.subheader("Per state")
    st.dataframe(counts.per_state, height=300)


def weekly_chart(timeline: pd.DataFrame) -> None:
    """Stacked weekly bars in the map's colours, as a Vega-Lite spec (st.bar_chart builds it
    through Altair: 7x slower on every page run)."""
    long = timeline.reset_index().melt(id_vars="week", var_name="event_type", value_name="events")
    types = [str(t) for t in timeline.columns]
    spec = {
        "mark": {"type": "bar"},
        "height": 220,
        "encoding": {
            "x": {"field": "week", "type": "temporal", "title": None},
            "y": {"field": "events", "type": "quantitative", "stack": True, "title": "Events"},
            "color": {
                "field": "event_type",
                "type": "nominal",
                "title": None,
                "legend": {"orient": "bottom", "columns": 1, "labelLimit": 0, "labelFontSize": 10},
                "scale": {"domain": types, "range": [EVENT_TYPE_COLOURS.get(t, OTHER_COLOUR) for t in types]},
            },
            "tooltip": [
                {"field": "week", "type": "temporal", "title": "Week of"},
                {"field": "event_type", "type": "nominal", "title": "Type"},
                {"field": "events", "type": "quantitative", "title": "Events"},
            ],
        },
    }
    st.vega_lite_chart(long, spec, width="stretch")


def table_rows(shown: pd.DataFrame) -> pd.DataFrame:
    """At most TABLE_ROWS events, newest first (ties in file order), dates as calendar days."""
    latest = shown.sort_values("event_date", ascending=False, kind="stable").head(TABLE_ROWS)
    table = latest[[c for c in TABLE_COLUMNS if c in latest.columns]]
    return table.assign(event_date=table["event_date"].dt.date)


def event_table(shown: pd.DataFrame) -> None:
    """The filtered events with notes and sources, on demand: built and sent to the browser
    only while switched on, not on every filter change."""
    if st.toggle(f"Event table ({len(shown):,} events, with notes and sources)", key="event_table"):
        if len(shown) > TABLE_ROWS:
            st.caption(f"The {TABLE_ROWS:,} most recent of {len(shown):,} events; the CSV export above has them all.")
        table = table_rows(shown)
        if "source_url" in table.columns:
            # Only web addresses become clickable; a javascript: or data: "URL" from a file stays out of the link.
            web = table["source_url"].str.match(r"^https?://", case=False, na=False)
            table = table.assign(source_url=table["source_url"].where(web, ""))
        # The table's own download button saves what is shown: formulas are quoted as in the CSV export.
        st.dataframe(
            spreadsheet_safe(table),
            hide_index=True,
            column_config={
                "event_date": st.column_config.DateColumn("event_date", format="YYYY-MM-DD"),
                "source_url": st.column_config.LinkColumn("source_url"),
            },
        )
