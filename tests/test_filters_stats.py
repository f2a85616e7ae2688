"""Event filters, their URL form, and the statistics beside the map."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, box

from geo.filters import EventFilter, from_query, to_query
from geo.stats import border_zones, per_state, summarise, weekly_timeline
from tests.helpers import make_events

EVENTS = make_events(
    [
        {
            "event_date": "2023-10-27",
            "latitude": 23.9,
            "longitude": 98.6,
            "actor1": "MNDAA",
            "fatalities": 5,
            "state": "Shan",
            "km_to_china_border": 10.0,
        },
        {
            "event_date": "2023-11-13",
            "latitude": 20.4,
            "longitude": 92.8,
            "actor1": "AA",
            "state": "Rakhine",
            "event_type": "Explosions/Remote violence",
            "actor2": "Military",
            "km_to_china_border": 700.0,
        },
        {
            "event_date": "2023-11-14",
            "latitude": 23.3,
            "longitude": 93.4,
            "actor1": "CNF",
            "fatalities": 2,
            "state": "Chin",
            "km_to_china_border": 480.0,
        },
        {
            "event_date": "2024-01-04",
            "latitude": 23.7,
            "longitude": 98.76,
            "actor1": "MNDAA",
            "actor2": "Military",
            "event_type": "Strategic developments",
            "state": "Shan",
            "km_to_china_border": 8.0,
        },
        {
            "event_date": "2024-01-20",
            "latitude": 0.5,
            "longitude": 0.5,
            "actor1": "X",
            "state": None,
            "km_to_china_border": 4000.0,
        },
    ]
)


@pytest.mark.parametrize(
    ("event_filter", "ids"),
    [
        (EventFilter(), ["TEST0", "TEST1", "TEST2", "TEST3", "TEST4"]),
        (EventFilter(start=date(2023, 11, 13), end=date(2023, 11, 14)), ["TEST1", "TEST2"]),
        (EventFilter(event_types={"Battles"}), ["TEST0", "TEST2", "TEST4"]),
        (EventFilter(actors={"Military"}), ["TEST1", "TEST3"]),
        (EventFilter(states={"Shan", "Chin"}), ["TEST0", "TEST2", "TEST3"]),
        (EventFilter(min_fatalities=2), ["TEST0", "TEST2"]),
        (EventFilter(actors={"MNDAA"}, event_types={"Battles"}), ["TEST0"]),
    ],
)
def test_filter_keeps_matching_events(event_filter: EventFilter, ids: list[str]) -> None:
    assert list(event_filter.apply(EVENTS)["event_id_cnty"]) == ids


def test_filter_rejects_end_before_start() -> None:
    with pytest.raises(ValueError, match="end date 2023-01-01 is before start date 2024-01-01"):
        EventFilter(start=date(2024, 1, 1), end=date(2023, 1, 1))


def test_filter_survives_the_url() -> None:
    original = EventFilter(start=date(2023, 11, 1), event_types={"Battles", "Riots"}, actors={"AA"}, min_fatalities=3)
    assert from_query(to_query(original)) == original


def test_url_values_that_do_not_parse_are_ignored() -> None:
    parsed = from_query({"start": ["not-a-date"], "min_fatalities": ["-4"], "state": ["Shan"]})
    assert parsed == EventFilter(states={"Shan"})


def test_summary_counts() -> None:
    summary = summarise(EVENTS)
    assert (summary.events, summary.fatalities, summary.states_affected, summary.near_china_border) == (5, 7, 3, 2)


def test_weekly_timeline_has_every_week_and_type() -> None:
    timeline = weekly_timeline(EVENTS)
    assert timeline.index[0].date() == date(2023, 10, 23)  # the Monday of 27 Oct 2023
    assert timeline.index[-1].date() == date(2024, 1, 15)
    assert len(timeline) == 13
    assert timeline.sum().sum() == 5
    assert timeline.loc["2023-11-13", "Explosions/Remote violence"] == 1


def test_per_state_table_lists_quiet_states_and_outside_events() -> None:
    table = per_state(EVENTS, ["Shan", "Chin", "Rakhine", "Kachin"])
    assert table.loc["Shan", "events"] == 2
    assert table.loc["Shan", "fatalities"] == 5
    assert table.loc["Kachin", "events"] == 0
    assert table.loc["(outside Myanmar)", "events"] == 1
    assert table.index[0] == "Shan"


def test_border_zones_are_nested_bands_inside_the_country() -> None:
    country = gpd.GeoDataFrame({"name": ["Land"]}, geometry=[box(97.0, 22.0, 99.0, 24.0)], crs=4326)
    border = LineString([(99.0, 22.0), (99.0, 24.0)])
    zones = border_zones(border, country)
    assert list(zones["distance_km"]) == [10, 25, 50]
    metric = zones.to_crs("EPSG:32647")
    # The 10 km band along a 222 km straight border is ~10 × 222 km²; later bands are rings.
    assert metric.area.iloc[0] / 1e6 == pytest.approx(10 * 222, rel=0.05)
    assert metric.area.iloc[1] / 1e6 == pytest.approx(15 * 222, rel=0.05)
    assert not shapely.intersection(metric.geometry.iloc[0], metric.geometry.iloc[1]).area > 1


def test_the_page_counts_a_filter_once_per_session_while_data_and_filter_stay() -> None:
    """A pan reruns the page with the same filter: the counts are not made again; a new filter
    or another file counts afresh, and the figures follow what is shown."""
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        import streamlit as st

        from geo.filters import EventFilter
        from tests.test_filters_stats import EVENTS as events
        from ui.panels import counted

        asked = EventFilter(min_fatalities=int(st.session_state.get("minimum", 0)))
        shown = asked.apply(events)
        counts = counted(st.session_state.get("file", "a"), asked, shown, ["Shan", "Rakhine"])
        st.session_state.setdefault("seen", []).append(id(counts))
        st.metric("events", counts.summary.events)
        st.metric("expected", len(shown))

    app = AppTest.from_function(page).run()
    app.run()  # a pan: same file, same filter
    assert app.session_state["seen"][0] == app.session_state["seen"][1]
    app.session_state["minimum"] = 1
    app.run()
    app.session_state["file"] = "b"
    app.run()
    seen = app.session_state["seen"]
    assert len(set(seen)) == 3
    assert app.metric[0].value == app.metric[1].value
