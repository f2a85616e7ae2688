"""Events, imports and syncs in the store, on both backends: the SQL filters and counts give what the
in-memory filters and statistics give on the same events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
import sqlalchemy as sa

from geo.filters import EventFilter
from geo.stats import per_state, summarise, weekly_timeline
from geo.store import open_store
from geo.store_events import EventFacets, ImportLog, SyncLog
from layers.base import MapData

FILTERS = [
    EventFilter(),
    EventFilter(start=date(2023, 11, 1), end=date(2023, 12, 31)),
    EventFilter(event_types={"Battles"}, min_fatalities=1),
    EventFilter(actors={"Arakan Army", "Military Forces of Myanmar (2021-)"}),
    EventFilter(states={"Shan", "Rakhine"}, start=date(2023, 10, 27)),
    EventFilter(event_types=set()),
    EventFilter(sub_event_types={"Armed clash"}, actor_text="arakan"),
    EventFilter(admin1_raw={"Shan-North"}),
    EventFilter(actor_text="50%_"),
]


@pytest.fixture
def events(map_data: MapData) -> pd.DataFrame:
    events = map_data.events.copy()
    events["acled_timestamp"] = range(1_700_000_000, 1_700_000_000 + len(events))
    return events


def test_upsert_counts_added_changed_and_unchanged(store_location: str, events: pd.DataFrame) -> None:
    store = open_store(store_location, seed=None)
    first = store.upsert_events(events)
    assert (first.added, first.changed, first.unchanged) == (len(events), 0, 0)
    again = store.upsert_events(events)
    assert (again.added, again.changed, again.unchanged) == (0, 0, len(events))
    corrected = events.iloc[:2].copy()
    corrected["fatalities"] += 3
    summary = store.upsert_events(corrected)
    assert (summary.added, summary.changed, summary.unchanged) == (0, 2, 0)
    stored = open_store(store_location, seed=None).events().set_index("event_id_cnty")
    assert len(stored) == len(events)
    assert stored.loc[corrected["event_id_cnty"], "fatalities"].tolist() == corrected["fatalities"].tolist()
    assert store.newest_acled_timestamp() == events["acled_timestamp"].max()


def test_facets_give_the_filter_widgets_dates_and_actors(store_location: str, events: pd.DataFrame) -> None:
    store = open_store(store_location, seed=None)
    assert store.event_facets() == EventFacets(0, None, None, ())
    store.upsert_events(events)
    facets = store.event_facets()
    assert facets.count == len(events)
    assert (facets.first, facets.last) == (events["event_date"].min().date(), events["event_date"].max().date())
    assert set(facets.actors) == set(events["actor1"]) | set(events["actor2"]) - {""}
    assert set(facets.sub_event_types) == set(events["sub_event_type"]) - {""}
    assert set(facets.admin1_raw) == set(events["admin1_raw"]) - {""}


def test_stored_events_come_back_as_imported(store_location: str, events: pd.DataFrame) -> None:
    store = open_store(store_location, seed=None)
    store.upsert_events(events)
    stored = store.events().set_index("event_id_cnty").loc[events["event_id_cnty"]]
    for column in ("event_type", "actor1", "actor2", "state", "notes", "source_url", "fatalities", "geo_precision"):
        assert stored[column].tolist() == events[column].tolist(), column
    assert (stored["event_date"].to_numpy() == events["event_date"].to_numpy()).all()
    assert stored["km_to_china_border"].to_numpy() == pytest.approx(events["km_to_china_border"].to_numpy())
    assert stored.geometry.x.to_numpy() == pytest.approx(events.geometry.x.to_numpy())


@pytest.mark.parametrize("event_filter", FILTERS, ids=range(len(FILTERS)))
def test_sql_filters_and_counts_match_the_in_memory_ones(
    store_location: str, events: pd.DataFrame, event_filter: EventFilter
) -> None:
    store = open_store(store_location, seed=None)
    store.upsert_events(events)
    expected = event_filter.apply(events)
    assert sorted(store.events(event_filter)["event_id_cnty"]) == sorted(expected["event_id_cnty"])
    assert store.event_summary(event_filter) == summarise(expected)
    counts = store.counts_per_state(event_filter)
    pd.testing.assert_frame_equal(counts, per_state(expected), check_names=False, check_index_type=False)
    pd.testing.assert_frame_equal(
        store.weekly_counts(event_filter),
        weekly_timeline(expected),
        check_names=False,
        check_freq=False,
        check_index_type=False,
    )


def test_the_map_box_limits_events_and_counts(store_location: str, events: pd.DataFrame) -> None:
    store = open_store(store_location, seed=None)
    store.upsert_events(events)
    box = (96.0, 21.0, 100.0, 25.0)
    inside = events[events["longitude"].between(96, 100) & events["latitude"].between(21, 25)]
    assert 0 < len(inside) < len(events)
    assert sorted(store.events(bbox=box)["event_id_cnty"]) == sorted(inside["event_id_cnty"])
    assert store.counts_per_state(bbox=box)["events"].sum() == len(inside)
    with pytest.raises(ValueError, match="bbox"):
        store.events(bbox=(100.0, 21.0, 96.0, 25.0))


def test_a_deletion_removes_the_event_and_is_logged(store_location: str, events: pd.DataFrame) -> None:
    store = open_store(store_location, seed=None)
    store.upsert_events(events)
    doomed = events["event_id_cnty"].iloc[0]
    assert store.delete_events([doomed, "NOT-STORED-1"], reason="ACLED deleted 2024-02-01") == [doomed]
    assert doomed not in set(store.events()["event_id_cnty"])
    [logged] = open_store(store_location, seed=None).deletions()
    assert (logged.event_id_cnty, logged.reason) == (doomed, "ACLED deleted 2024-02-01")
    assert abs((datetime.now(UTC) - logged.deleted_at).total_seconds()) < 60


def test_imports_and_syncs_are_kept_with_their_reports(store_location: str) -> None:
    store = open_store(store_location, seed=None)
    when = datetime(2024, 2, 1, 9, 30, tzinfo=UTC)
    report = "export.csv (acled): 3 data rows, accepted 2, rejected 1\nline 3: latitude 'x' is not a number"
    store.log_import(ImportLog("export.csv", 2, 1, report, "Ana", when))
    store.log_sync(SyncLog(when, "acleddata.com", 10, 2, 1, 1_706_000_000, "Ben"))
    reopened = open_store(store_location, seed=None)
    assert reopened.imports() == [ImportLog("export.csv", 2, 1, report, "Ana", when)]
    assert reopened.syncs() == [SyncLog(when, "acleddata.com", 10, 2, 1, 1_706_000_000, "Ben")]


@pytest.mark.postgis
def test_postgis_answers_the_map_box_from_the_spatial_index(postgis_url: str, events: pd.DataFrame) -> None:
    store = open_store(postgis_url, seed=None)
    store.upsert_events(events)
    with store.db.connect() as connection:  # type: ignore[attr-defined]
        connection.execute(sa.text("SET enable_seqscan = off"))
        plan = "\n".join(
            connection.execute(
                sa.text("EXPLAIN SELECT * FROM event WHERE geom && ST_MakeEnvelope(96, 21, 100, 25, 4326)")
            ).scalars()
        )
    assert "event_geom" in plan
