"""Control widgets: the "changes since" date, the changes list, and the editor for one place."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st
from folium.plugins import Draw

from geo import urlparams
from geo.control import (
    CONFIDENCES,
    STATUSES,
    Change,
    ControlMap,
    ControlRecord,
    ControlRecordError,
    Gazetteer,
    PlaceKey,
    Source,
    check_url,
    control_map,
    history_csv,
    history_geojson,
    place_history,
    places_on,
    read_history_csv,
    read_history_geojson,
)
from geo.controllers import BY_ID, GROUPS
from geo.export import spreadsheet_safe
from geo.store import ControlStore, StaleEditError
from ui.panels import literal_markdown
from ui.sidebar import read_upload, show_link_notices

OTHER = "other"
VERSIONS_KEY = "control-versions"
"""Session key: per place, the store version the editor saw when the place was opened."""


def since_widget(as_of: date, first: date) -> date | None:
    """'Changes since' in the sidebar: off, or a date before the as-of date (kept in the URL as ``since``)."""
    in_url, problem = urlparams.parse_date("since", st.query_params.get_all("since"))
    show_link_notices("since", [problem] if problem else [])
    show = st.sidebar.checkbox("Show changes of control since…", value=in_url is not None, key="since_on")
    if not show:
        return None
    default = min(in_url or first, as_of)
    return st.sidebar.date_input("Changes since", value=default, max_value=as_of, key="since", format="YYYY-MM-DD")


def current_control(records: list[ControlRecord], as_of: date, since: date | None, places: Gazetteer) -> ControlMap:
    """:func:`geo.control.control_map`, computed again only when the records or dates change (records are
    append-only: their count and first and last ids tell), not on every page run."""
    ends = (records[0].record_id, records[-1].record_id) if records else ("", "")
    key = (len(records), *ends, as_of, since)
    cached = st.session_state.get("control-map")
    if cached is None or cached[0] != key:
        cached = st.session_state["control-map"] = (key, control_map(records, as_of, places, since=since))
    return cached[1]


def undrawn_places(control: ControlMap) -> None:
    """Say which recorded places the map cannot draw, rather than leave them out silently."""
    if control.undrawn:
        names = literal_markdown(", ".join(control.undrawn))
        st.caption(f"Recorded but not on the map (no point or outline in the gazetteer): {names}.")


def changes_table(control: ControlMap) -> None:
    """The places whose control changed between the two dates: from -> to, date, source."""
    if control.since is None:
        return
    st.subheader(f"Changes of control, {control.since.isoformat()} to {control.as_of.isoformat()}")
    if not control.changes:
        st.caption("No town or township changed hands between these dates in the records.")
        return
    rows = sorted((_change_row(change) for change in control.changes), key=lambda row: (row["date"], row["place"]))
    st.dataframe(spreadsheet_safe(pd.DataFrame(rows)), hide_index=True)  # its download button writes what is shown


def _change_row(change: Change) -> dict[str, str]:
    made_by = change.records[-1] if change.records else change.after
    return {
        "place": change.name,
        "kind": change.kind,
        "from": change.before_label,
        "to": change.after_label,
        "date": made_by.valid_from.isoformat() if made_by else "",
        "source": made_by.source_text() if made_by else "",
    }


def place_options(places: Gazetteer) -> dict[str, tuple[PlaceKey, str]]:
    """'Name (town, its township) Burmese name' -> (place key, name) for every town, and the same with the
    state for every township: typing either script finds the place."""
    towns = {
        f"{row.name_en} (town, {row.township_en}) {row.name_my}".strip(): (("town", str(row.town_pcode)), row.name_en)
        for row in places.towns.sort_values("name_en").itertuples()
    }
    townships = {
        f"{row.name_en} (township, {row.state_en}) {row.name_my}".strip(): (("township", str(row.pcode)), row.name_en)
        for row in places.townships.sort_values("name_en").itertuples()
    }
    return towns | townships


def place_editor(
    store: ControlStore, places: Gazetteer, records: list[ControlRecord], as_of: date, signed_in: str | None = None
) -> None:
    """Pick a place, see its history, and record who holds it (saved to the store at once); with sign-in
    on, the record's editor is the signed-in user (``signed_in``), not a typed name."""
    st.subheader("Record control of a town or township")
    options = place_options(places)
    choice = st.selectbox("Place", list(options), index=None, placeholder="Type a town or township…", key="edit_place")
    if choice is None:
        return
    place, name = options[choice]
    versions: dict[PlaceKey, str | None] = st.session_state.setdefault(VERSIONS_KEY, {})
    if place not in versions:
        versions[place] = store.place_version(place)
    held = places_on(records, as_of, places).get(place)
    if held is None:
        st.caption(f"No record of who held {literal_markdown(name)} on {as_of.isoformat()}.")
    else:
        seat = " (from its seat town)" if held.via_seat else ""
        st.caption(f"On {as_of.isoformat()}: {literal_markdown(held.record.label)}, {held.record.confidence}{seat}.")
    history = place_history(records, place)
    _saved_notice(place)
    _history_table(history)
    with st.form("control_edit", clear_on_submit=False):
        group_ids = [group.id for group in GROUPS] + ["contested", "unknown"]
        # Start from the holder on the "as of" date, so saving without a change never records another group.
        holder = None if held is None else held.record.controller
        start = group_ids.index(holder) if holder in group_ids else group_ids.index(OTHER) if holder else 0
        controller = st.selectbox(
            "Controller", group_ids, index=start, format_func=lambda g: BY_ID[g].name, key="edit_controller"
        )
        other_name = st.text_input("Armed group's name (for 'Other armed group')", key="edit_other")
        status = st.selectbox("Status", STATUSES, key="edit_status")
        confidence = st.selectbox("Confidence", CONFIDENCES, key="edit_confidence")
        valid_from = st.date_input("Held from", value=as_of, key="edit_date", format="YYYY-MM-DD")
        source_name = st.text_input("Source name", key="edit_source_name")
        source_url = st.text_input("Source URL (http or https)", key="edit_source_url")
        note = st.text_area("Note", key="edit_note")
        corrects = st.selectbox(
            "Corrects record (optional)", [""] + [r.record_id for r in history], key="edit_corrects"
        )
        if signed_in:
            st.caption(f"Saved as {signed_in}")
        editor = signed_in or st.text_input("Your name", key="edit_editor")
        saved = st.form_submit_button("Save")
    if saved:
        _save(store, place, name, versions, controller, other_name, status, confidence, valid_from,
              source_name, source_url, note, corrects, editor)  # fmt: skip


def _save(
    store: ControlStore,
    place: PlaceKey,
    name: str,
    versions: dict[PlaceKey, str | None],
    controller: str,
    other_name: str,
    status: str,
    confidence: str,
    valid_from: date,
    source_name: str,
    source_url: str,
    note: str,
    corrects: str,
    editor: str,
) -> None:
    if controller == OTHER and not other_name.strip():
        st.error("Name the armed group (field 'Armed group's name'), or pick it from the list.")
        return
    if not editor.strip():
        st.error("Give your name (field 'Your name'): every record says who made it.")
        return
    try:
        record = ControlRecord(
            record_id=f"edit:{uuid.uuid4().hex[:12]}",
            place_kind=place[0],  # type: ignore[arg-type]
            place_pcode=place[1],
            place_name=name,
            controller=other_name.strip() if controller == OTHER else controller,
            status=status,  # type: ignore[arg-type]
            confidence=confidence,  # type: ignore[arg-type]
            valid_from=valid_from,
            sources=(Source(source_name.strip(), check_url(source_url.strip()), None),),
            note=note.strip(),
            corrects=corrects or None,
            editor=editor.strip(),
            recorded_at=datetime.now(UTC),
        )
        store.add_record(record, based_on=versions[place])
    except ControlRecordError as error:
        st.error(f"Not saved: field {error.field}: {literal_markdown(str(error).split(': ', 1)[1])}")
        return
    except StaleEditError as error:
        versions[place] = store.place_version(place)
        st.error(literal_markdown(str(error)))  # it names the other editor, who typed that name
        return
    versions[place] = record.record_id
    saved = f"Saved: {name} {record.label} from {valid_from.isoformat()}."
    st.session_state[SAVED_KEY] = (place, literal_markdown(saved))
    st.rerun()


SAVED_KEY = "control-saved"


def _saved_notice(place: PlaceKey) -> None:
    """The confirmation of the last save, kept while its place is open: a later run (a toggle, a
    redraw's report) must not wipe the message before it is read."""
    saved = st.session_state.get(SAVED_KEY)
    if saved is None:
        return
    if saved[0] != place:
        del st.session_state[SAVED_KEY]  # another place: the notice has been seen
        return
    st.success(saved[1])


def history_files(store: ControlStore, places: Gazetteer) -> None:
    """Download the store's whole history (CSV, GeoJSON) or import one into it."""
    st.subheader("Whole control history")
    records = store.records()
    csv_column, geojson_column = st.columns(2)
    csv_column.download_button(
        "Control history (CSV)", history_csv(records), file_name="control_history.csv", mime="text/csv"
    )
    geojson_column.download_button(
        "Control history (GeoJSON)",
        json.dumps(history_geojson(records, places), ensure_ascii=False),
        file_name="control_history.geojson",
        mime="application/geo+json",
    )
    upload = st.file_uploader(
        "Import a control history (CSV in the schema of geo/control.py, or GeoJSON exported here)",
        type=["csv", "geojson", "json"],
        key="history_upload",
    )
    if upload is None:
        return
    reader = read_history_csv if upload.name.lower().endswith(".csv") else read_history_geojson
    try:
        found = read_upload(upload.name, upload.getvalue(), reader)
    except (ControlRecordError, UnicodeDecodeError, OSError) as error:
        st.error("The history file could not be read:")
        st.text(f"{upload.name}: {error}")  # text, not markdown: it quotes the user's file
        return
    st.text(found.report())
    if found.records and st.button(f"Import {len(found.records)} records into the store", key="history_import"):
        summary = store.import_records(found.records)
        st.success(f"Imported {summary.added} records; {summary.already_present} were already in the store.")


def _history_table(history: list[ControlRecord]) -> None:
    if not history:
        return
    corrected = {r.corrects for r in history if r.corrects}
    st.dataframe(  # quoted like the CSV export: its download button writes what is shown
        spreadsheet_safe(
            pd.DataFrame(
                [
                    {
                        "from": r.valid_from.isoformat(),
                        "control": r.label,
                        "status": r.status,
                        "confidence": r.confidence,
                        "sources": r.source_text(),
                        "note": r.note,
                        "corrected": "yes" if r.record_id in corrected else "",
                        "by": r.editor,
                        "recorded": r.recorded_at.strftime("%Y-%m-%d %H:%M"),
                        "record": r.record_id,
                    }
                    for r in history
                ]
            )
        ),
        hide_index=True,
    )


def drawing_on() -> bool:
    """The sidebar switch that puts the line and area tools on the map."""
    return st.sidebar.checkbox("Draw a front line or area on the map", key="draw_front")


def front_draw_tool() -> Draw:
    """Leaflet.draw (served locally) with only the line and area tools."""
    shapes = {"polyline": True, "polygon": True}
    off = dict.fromkeys(("rectangle", "circle", "marker", "circlemarker"), False)
    return Draw(draw_options={**shapes, **off}, edit_options={"edit": False})


def front_form(store: ControlStore, returned: dict | None, as_of: date) -> None:
    """Describe the shapes drawn on the map and keep them in the store as fronts."""
    st.subheader("Save the drawn front")
    drawings = [d for d in (returned or {}).get("all_drawings") or [] if isinstance(d, dict)]
    if not drawings:
        st.caption("Draw a line or an area with the tools at the map's top left, then describe it here.")
        return
    with st.form("front_form"):
        name = st.text_input("Front name", key="front_name")
        actor = st.text_input("Actor (who holds or advances along it)", key="front_actor")
        valid_from = st.date_input("Valid from", value=as_of, key="front_from", format="YYYY-MM-DD")
        ongoing = st.checkbox("Ongoing (no end date)", value=True, key="front_ongoing")
        valid_to = st.date_input("Valid to", value=as_of, key="front_to", format="YYYY-MM-DD")
        source_name = st.text_input("Source name", key="front_source")
        source_url = st.text_input("Source URL (http or https)", key="front_url")
        note = st.text_area("Note", key="front_note")
        editor = st.text_input("Your name", key="front_editor")
        saved = st.form_submit_button(f"Save {len(drawings)} drawn shape(s) as a front")
    if not saved:
        return
    problems = [f"field '{label}' is required" for label, value in
                (("Front name", name), ("Actor", actor), ("Source name", source_name), ("Your name", editor))
                if not value.strip()]  # fmt: skip
    try:
        check_url(source_url.strip())
    except ControlRecordError as error:
        problems.append(f"field source_url: {str(error).split(': ', 1)[1]}")
    if not ongoing and valid_to < valid_from:
        problems.append("field 'Valid to' is before 'Valid from'")
    shapes = [shapely.geometry.shape(d["geometry"]) for d in drawings if d.get("geometry")]
    if not shapes or any(not shape.is_valid for shape in shapes):
        problems.append("a drawn shape is not a valid line or area; draw it again")
    if problems:
        st.error(literal_markdown("Not saved: " + "; ".join(problems)))
        return
    source = " ".join(part for part in (source_name.strip(), source_url.strip()) if part)
    fronts = gpd.GeoDataFrame(
        {
            "front": name.strip(),
            "actor": actor.strip(),
            "status": "drawn by an analyst",
            "valid_from": [pd.Timestamp(valid_from)] * len(shapes),
            "valid_to": [None if ongoing else pd.Timestamp(valid_to)] * len(shapes),
            "source": source,
            "notes": note.strip(),
        },
        geometry=shapes,
        crs="EPSG:4326",
    )
    store.add_front(fronts, editor=editor.strip())
    st.success(literal_markdown(f"Saved front {name.strip()} ({len(shapes)} shape(s)) from {valid_from.isoformat()}."))


PICK_TOWN_KM = 3.0
"""A click this close to a town picks the town; farther, the township under the click."""


def picking_on() -> bool:
    """The sidebar switch that makes a map click choose the place to edit (each click then reruns the page)."""
    return st.sidebar.checkbox("Pick the place to edit by clicking the map", key="pick_on_map")


def pick_from_click(returned: dict | None, places: Gazetteer) -> None:
    """Put the town or township under the map's last click into the editor's place list."""
    click = (returned or {}).get("last_clicked")
    if not isinstance(click, dict) or not {"lat", "lng"} <= set(click):
        return
    latitude, longitude = float(click["lat"]), float(click["lng"])
    if st.session_state.get("picked-click") == (latitude, longitude):
        return  # the same click, returned again on a later run: keep the analyst's own choice
    st.session_state["picked-click"] = (latitude, longitude)
    towns = places.towns
    km = np.hypot(
        (towns["latitude"].to_numpy() - latitude) * 111.2,
        (towns["longitude"].to_numpy() - longitude) * 111.2 * np.cos(np.radians(latitude)),
    )
    options = place_options(places)
    wanted: PlaceKey | None = None
    if len(km) and km.min() <= PICK_TOWN_KM:
        wanted = ("town", str(towns["town_pcode"].iloc[int(km.argmin())]))
    else:
        inside = places.townships[places.townships.contains(shapely.Point(longitude, latitude))]
        if len(inside):
            wanted = ("township", str(inside["pcode"].iloc[0]))
    label = next((label for label, (place, _) in options.items() if place == wanted), None)
    if label is None:
        st.warning("No town or township of the gazetteer at the clicked point; pick the place from the list.")
        return
    st.session_state["edit_place"] = label
