"""The control model: groups, control on a date, corrections, seat towns, changes, CSV and GeoJSON."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from geo.control import (
    ControlRecord,
    ControlRecordError,
    Gazetteer,
    Source,
    changes_between,
    check_record,
    control_map,
    control_on,
    control_timeline,
    history_csv,
    history_geojson,
    in_force_on,
    place_history,
    places_on,
    read_history_csv,
    read_history_geojson,
)
from geo.controllers import BY_ID, GROUPS, controller_label, group_id
from geo.derive_control import derive_records
from geo.store import SHIPPED_HISTORY
from tests.helpers import control_gazetteer, make_events

SOURCE = (Source("Fixture report", "https://example.org/report", date(2023, 11, 1)),)


def record(record_id: str, pcode: str, controller: str, day: str, **changes: object) -> ControlRecord:
    base = ControlRecord(
        record_id=record_id,
        place_kind="town",
        place_pcode=pcode,
        place_name=pcode,
        controller=controller,
        status="held",
        confidence="assessed",
        valid_from=date.fromisoformat(day),
        sources=SOURCE,
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("actor", "group"),
    [
        ("MNDAA: Myanmar National Democratic Alliance Army", "mndaa"),
        ("Military Forces of Myanmar (2021-)", "sac"),
        ("AA: Arakan Army", "aa"),
        ("TNLA: Ta'ang National Liberation Army", "tnla"),
        ("TNLA: Ta’ang National Liberation Army", "tnla"),
        ("KIA: Kachin Independence Army", "kia"),
        ("PDF: People's Defense Force - Sagaing", "pdf"),
        ("CNA: Chin National Army", "cnf"),
        ("Brotherhood Alliance (MNDAA, TNLA, AA)", "other"),
        ("Aakash Militia", "other"),
    ],
)
def test_actor_names_map_to_groups(actor: str, group: str) -> None:
    assert group_id(actor) == group


def test_other_groups_keep_their_own_name_and_colours_are_distinct() -> None:
    assert controller_label("Brotherhood Alliance (MNDAA, TNLA, AA)") == "Brotherhood Alliance (MNDAA, TNLA, AA)"
    assert controller_label("aa") == "Arakan Army (AA)"
    colours = [group.colour.lower() for group in BY_ID.values()]
    assert len(set(colours)) == len(colours)
    assert {group.id for group in GROUPS} >= {"sac", "mndaa", "tnla", "aa", "kia", "uwsa", "sspp", "rcss", "cnf", "pdf"}


def test_control_on_a_date_is_the_latest_record_on_or_before_it() -> None:
    history = [record("1", "T-A", "sac", "2023-01-01"), record("2", "T-A", "mndaa", "2023-11-05")]
    assert control_on(history, date(2022, 12, 31)) == {}
    assert control_on(history, date(2023, 11, 4))[("town", "T-A")].controller == "sac"
    assert control_on(history, date(2023, 11, 5))[("town", "T-A")].controller == "mndaa"


def test_same_day_records_are_ordered_by_recorded_at_not_by_list_order() -> None:
    late = record("late", "T-A", "tnla", "2023-11-05", recorded_at=datetime(2024, 2, 1, tzinfo=UTC))
    early = record("early", "T-A", "mndaa", "2023-11-05", recorded_at=datetime(2024, 1, 1, tzinfo=UTC))
    assert control_on([late, early], date(2023, 11, 6))[("town", "T-A")].record_id == "late"


def test_a_correction_supersedes_the_record_it_names_and_history_keeps_both() -> None:
    wrong = record("1", "T-A", "tnla", "2023-11-05")
    fix = record("2", "T-A", "mndaa", "2023-11-07", corrects="1")
    history = [record("0", "T-A", "sac", "2023-01-01"), wrong, fix]
    assert control_on(history, date(2023, 11, 6))[("town", "T-A")].controller == "sac"
    assert control_on(history, date(2023, 11, 8))[("town", "T-A")].controller == "mndaa"
    assert [r.record_id for r in place_history(history, ("town", "T-A"))] == ["2", "1", "0"]


def test_township_follows_its_seat_town_unless_it_has_its_own_record() -> None:
    places = control_gazetteer()
    history = [record("1", "T-A", "aa", "2023-11-05")]
    township = places_on(history, date(2023, 12, 1), places)[("township", "TS-A")]
    assert township.via_seat and township.record.controller == "aa" and township.name == "Township A"
    history.append(record("2", "TS-A", "contested", "2023-11-20", place_kind="township", status="contested"))
    township = places_on(history, date(2023, 12, 1), places)[("township", "TS-A")]
    assert not township.via_seat and township.record.status == "contested"
    assert ("township", "TS-B") not in places_on(history, date(2023, 12, 1), places)


def test_changes_since_lists_from_to_and_the_records_that_made_them() -> None:
    places = control_gazetteer()
    history = [
        record("1", "T-A", "sac", "2023-01-01"),
        record("2", "T-B", "sac", "2023-01-01"),
        record("3", "T-A", "mndaa", "2023-11-05"),
    ]
    changes = changes_between(history, date(2023, 10, 26), date(2024, 1, 31), places)
    assert {(c.kind, c.pcode) for c in changes} == {("town", "T-A"), ("township", "TS-A")}
    town = next(c for c in changes if c.kind == "town")
    assert (town.before_label, town.after_label) == ("Myanmar military (SAC)", "MNDAA")
    assert [r.record_id for r in town.records] == ["3"]
    assert changes_between(history, date(2023, 11, 5), date(2024, 1, 31), places) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "taken"}, "status"),
        ({"confidence": "sure"}, "confidence"),
        ({"place_kind": "village"}, "place_kind"),
        ({"sources": ()}, "source_name"),
        ({"sources": (Source("x", "javascript:alert(1)"),)}, "source_url"),
        ({"place_pcode": " "}, "place_pcode"),
    ],
)
def test_bad_records_are_refused_naming_the_field(changes: dict, field: str) -> None:
    with pytest.raises(ControlRecordError) as error:
        check_record(record("1", "T-A", "sac", "2023-01-01", **changes))
    assert error.value.field == field


def test_history_csv_round_trip_with_several_sources(tmp_path) -> None:
    two_sources = record("1", "T-A", "mndaa", "2023-11-05", sources=(*SOURCE, Source("Second", "", None)))
    history = [two_sources, record("2", "T-B", "Some Local Group", "2023-12-01", note='comma, "quote"')]
    path = tmp_path / "history.csv"
    path.write_text(history_csv(history), encoding="utf-8")
    assert len(path.read_text().splitlines()) == 4  # header + 2 rows for record 1 + 1
    loaded = read_history_csv(path)
    assert loaded.rejected == [] and loaded.records == history


def test_bad_csv_rows_are_reported_with_line_and_field_and_good_rows_kept(tmp_path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(
        "record_id,place_kind,place_pcode,place_name,controller,status,confidence,valid_from,"
        "source_name,source_url,source_date,note\n"
        "r1,town,T-A,Town A,aa,held,assessed,2023-11-05,Report,https://example.org,2023-11-06,\n"
        "r2,town,T-B,Town B,aa,held,assessed,5 Nov 2023,Report,,,\n"
        "r1,,,,,,,,Second report,ftp://example.org,,\n"
        "r1,,,,tnla,,,,Third report,,,\n",
        encoding="utf-8",
    )
    loaded = read_history_csv(path)
    assert [r.record_id for r in loaded.records] == ["r1"]
    assert [(e.row, e.field) for e in loaded.rejected] == [(3, "valid_from"), (4, "source_url"), (5, "controller")]
    assert "history.csv: line 3, field valid_from" in loaded.report()


def test_history_geojson_has_town_points_and_township_areas_and_reads_back(tmp_path) -> None:
    places = control_gazetteer()
    history = [
        record("1", "T-A", "aa", "2023-11-05"),
        record("2", "TS-B", "kia", "2023-11-05", place_kind="township"),
        record("3", "NOWHERE", "kia", "2023-11-05"),
    ]
    document = history_geojson(history, places)
    kinds = [f["geometry"] and f["geometry"]["type"] for f in document["features"]]
    assert kinds == ["Point", "Polygon", None]
    assert document["features"][0]["geometry"]["coordinates"] == [98.0, 23.0]
    path = tmp_path / "history.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert read_history_geojson(path).records == history


def test_derivation_uses_the_nearest_town_and_reports_imprecise_or_far_events() -> None:
    places = control_gazetteer()
    events = make_events(
        [
            {  # 1.1 km from Town A
                "event_date": "2023-11-05",
                "sub_event_type": "Non-state actor overtakes territory",
                "actor1": "MNDAA: Myanmar National Democratic Alliance Army",
                "latitude": 23.01,
                "longitude": 98.0,
            },
            {  # a regional capital's point
                "event_date": "2023-11-06",
                "sub_event_type": "Non-state actor overtakes territory",
                "latitude": 24.0,
                "longitude": 97.0,
                "geo_precision": 3,
            },
            {  # 50 km from any town
                "event_date": "2023-11-07",
                "sub_event_type": "Government regains territory",
                "latitude": 23.5,
                "longitude": 97.5,
            },
            {"event_date": "2023-11-08", "sub_event_type": "Armed clash", "latitude": 23.0, "longitude": 98.0},
            {  # at Town A, but nobody unarmed takes a town
                "event_date": "2023-11-09",
                "sub_event_type": "Non-state actor overtakes territory",
                "actor1": "Protesters (Myanmar)",
                "latitude": 23.01,
                "longitude": 98.0,
            },
        ]
    )
    derived = derive_records(events, places.towns)
    assert len(derived.records) == 1
    only = derived.records[0]
    assert (only.place_pcode, only.controller, only.valid_from) == ("T-A", events["actor1"][0], date(2023, 11, 5))
    assert only.record_id == "event:TEST0" and "derived from event TEST0" in only.note
    assert len(derived.skipped) == 3
    assert "TEST1" in derived.skipped[0] and "geo_precision 3" in derived.skipped[0]
    assert "TEST4" in derived.skipped[1] and "Protesters (Myanmar) is not an armed actor" in derived.skipped[1]
    assert "TEST2" in derived.skipped[2] and "km away" in derived.skipped[2]
    # With ACLED's actor type the name does not matter: a civilian type is left out, a militia kept.
    typed = events.assign(inter1=["Identity militias", "", "", "", "Civilians"])
    assert [r.record_id for r in derive_records(typed.iloc[[0, 4]], places.towns).records] == ["event:TEST0"]
    typed.loc[0, "inter1"] = "Civilians"
    assert derive_records(typed.iloc[[0]], places.towns).records == []


def test_the_timeline_gives_the_same_control_as_places_on_for_every_day() -> None:
    """The browser restyles places from the timeline during playback: it must agree with the model."""
    places = Gazetteer.load()
    history = read_history_csv(SHIPPED_HISTORY).records
    history.append(replace(history[-1], record_id="later-fix", corrects=history[-1].record_id, controller="kia"))
    timeline = control_timeline(history, places)
    days = sorted({r.valid_from for r in history})
    for day in [date(2023, 1, 1), *days, *(d - timedelta(days=1) for d in days), date(2030, 1, 1)]:
        expected = {key: held.record for key, held in places_on(history, day, places).items()}
        found = {key: in_force_on(entries, day) for key, entries in timeline.items()}
        assert {key: record for key, record in found.items() if record is not None} == expected, day


@pytest.mark.parametrize("day", [date(1900, 1, 1), date.today() + timedelta(days=1)])
def test_a_date_before_independence_or_in_the_future_is_refused(day: date) -> None:
    with pytest.raises(ControlRecordError, match="valid_from"):
        check_record(record("1", "T-A", "sac", day.isoformat()))


def test_places_missing_from_the_gazetteer_are_named_not_dropped_silently() -> None:

    control = control_map(
        [record("1", "NOWHERE", "aa", "2023-11-05", place_name="Manton")], date(2024, 1, 1), control_gazetteer()
    )
    assert control.undrawn == ("Manton (town NOWHERE)",) and control.towns.empty
