"""ACLED's "NA" as empty, ACLED's coded columns in words, the analyst filters and the event table."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.acled import actor_type_labels, interaction_labels, shan_parts
from geo.dataset import SAMPLE_EVENTS
from geo.events import read_events
from geo.export import events_to_csv
from geo.filters import EventFilter, from_query, to_query
from ui.panels import TABLE_ROWS, table_rows

FIXTURE = Path(__file__).parent / "fixtures" / "events" / "acled_iso.csv"
TIMEOUT_S = 60


def acled_text() -> str:
    """The ACLED fixture with ACLED's "NA" in text columns and Shan split as ACLED writes it."""
    rows = list(csv.DictReader(FIXTURE.open(encoding="utf-8")))
    rows[0].update(actor2="NA", admin1="Shan-North", notes="NA")
    rows[1].update(admin1="Shan-South", admin3="NA", sub_event_type="NA")
    rows[4].update(admin1="Shan-East", assoc_actor_1="NA")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def acled_events(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("acled") / "acled_na.csv"
    path.write_text(acled_text(), encoding="utf-8")
    return read_events(path).events


def test_acled_na_is_read_as_empty(acled_events: pd.DataFrame) -> None:
    assert not (acled_events[["actor1", "actor2", "notes", "admin3", "sub_event_type"]] == "NA").any().any()
    assert acled_events.loc[0, "actor2"] == "" and acled_events.loc[0, "notes"] == ""
    exported = events_to_csv(acled_events)
    assert b",NA," not in exported and b'"NA"' not in exported


def test_actor_types_and_interactions_in_acled_words() -> None:
    codes = pd.Series(["1", "2", "0", "", "8", "State forces"])
    assert list(actor_type_labels(codes)) == [
        "State forces",
        "Rebel groups",
        "",
        "",
        "External/Other forces",
        "State forces",
    ]
    interactions = pd.Series(["12", "10", "27", "60", "State forces-Rebel group", ""])
    assert list(interaction_labels(interactions)) == [
        "State forces–Rebel groups",
        "State forces only",
        "Rebel groups–Civilians",
        "Protesters only",
        "State forces-Rebel group",
        "",
    ]


def test_shan_parts_are_only_acleds_split() -> None:
    raw = pd.Series(["Shan-North", "Shan state", "Shan", "shan - east", "Kachin", None, "Shan-North", "Shan South"])
    assert shan_parts(raw) == ["shan - east", "Shan South", "Shan-North"]


def test_acled_import_keeps_admin1_as_written_and_interaction(acled_events: pd.DataFrame) -> None:
    assert list(acled_events["admin1"]) == ["Shan", "Shan", "Kachin", "Kachin", "Shan"]
    assert list(acled_events["admin1_raw"][[0, 1, 4]]) == ["Shan-North", "Shan-South", "Shan-East"]
    assert acled_events.loc[0, "interaction"] == "State forces–Rebel groups"
    assert acled_events.loc[0, "inter1"] == "Rebel groups"


@pytest.mark.parametrize(
    ("event_filter", "expected_ids"),
    [
        (EventFilter(sub_event_types={"Armed clash", "Attack"}), ["MMRTEST001", "MMRTEST003"]),
        (EventFilter(interactions={"Protesters only"}), ["MMRTEST004"]),
        (EventFilter(admin1_raw={"Shan-North", "Shan-East"}), ["MMRTEST001", "MMRTEST005"]),
        (EventFilter(states={"Shan"}), ["MMRTEST001", "MMRTEST002", "MMRTEST005"]),
        (EventFilter(actor_text="armed group b"), ["MMRTEST002"]),  # the first row named it only as "NA"
        (EventFilter(actor_text="(test)"), ["MMRTEST003", "MMRTEST004"]),  # literal text, not a pattern
        (EventFilter(actor_text="  "), ["MMRTEST001", "MMRTEST002", "MMRTEST003", "MMRTEST004", "MMRTEST005"]),
    ],
)
def test_each_filter(acled_events: pd.DataFrame, event_filter: EventFilter, expected_ids: list[str]) -> None:
    assert list(event_filter.apply(acled_events)["event_id_cnty"]) == expected_ids


def test_new_filters_survive_the_url() -> None:
    chosen = EventFilter(
        start=date(2023, 11, 1),
        sub_event_types={"Armed clash"},
        interactions={"State forces–Rebel groups"},
        admin1_raw={"Shan-North"},
        actor_text="MNDAA",
    )
    query = to_query(chosen)
    assert query["subtype"] == ["Armed clash"] and query["admin1"] == ["Shan-North"]
    assert query["actor_q"] == ["MNDAA"]
    assert from_query(query) == chosen


def test_a_filter_on_a_column_the_data_lacks_matches_nothing(acled_events: pd.DataFrame) -> None:
    assert EventFilter(interactions={"Protesters only"}).apply(acled_events.drop(columns="interaction")).empty


def test_event_table_is_newest_first_with_calendar_dates(acled_events: pd.DataFrame) -> None:
    table = table_rows(acled_events)
    assert list(table["event_date"]) == [date(2023, 11, 17 - i) for i in range(5)]
    assert all(type(value) is date for value in table["event_date"])
    many = pd.concat([acled_events] * (TABLE_ROWS // 5 + 10), ignore_index=True)
    capped = table_rows(many)
    assert len(capped) == TABLE_ROWS and capped["event_date"].iloc[0] == date(2023, 11, 17)


def uploaded_page() -> AppTest:
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S).run()
    app.file_uploader(key="events_upload").set_value(("acled_na.csv", acled_text().encode(), "text/csv")).run()
    assert not app.exception
    return app


def events_metric(app: AppTest) -> str:
    return next(m.value for m in app.metric if m.label == "Events")


def test_widgets_offer_acled_values_without_na() -> None:
    app = uploaded_page()
    assert "NA" not in app.multiselect(key="actors").options
    assert "NA" not in app.multiselect(key="sub_types").options
    assert app.multiselect(key="shan_parts").options == ["Shan-East", "Shan-North", "Shan-South"]
    assert "State forces–Rebel groups" in app.multiselect(key="interactions").options


def test_filter_widgets_filter_and_reach_the_url() -> None:
    app = uploaded_page()
    app.multiselect(key="shan_parts").set_value(["Shan-North"]).run()
    assert events_metric(app) == "1"
    assert app.query_params["admin1"] in ("Shan-North", ["Shan-North"])
    app.multiselect(key="shan_parts").set_value([]).run()
    app.multiselect(key="interactions").set_value(["Protesters only"]).run()
    assert events_metric(app) == "1"
    app.multiselect(key="interactions").set_value([]).run()
    app.multiselect(key="sub_types").set_value(["Armed clash", "Attack"]).run()
    assert events_metric(app) == "2"
    app.multiselect(key="sub_types").set_value([]).run()
    app.text_input(key="actor_text").input("armed group a").run()  # as if typed and Enter pressed
    assert events_metric(app) == "3"
    assert app.multiselect(key="actors").value == []  # the search picked no actor names


def test_exact_dates_move_the_slider_and_back() -> None:
    app = uploaded_page()
    app.date_input(key="period_dates").set_value((date(2023, 11, 15), date(2023, 11, 17))).run()
    assert app.slider(key="period").value == (date(2023, 11, 15), date(2023, 11, 17))
    assert events_metric(app) == "3"
    app.date_input(key="period_dates").set_value((date(2023, 11, 14),)).run()  # one end picked so far
    assert app.slider(key="period").value == (date(2023, 11, 15), date(2023, 11, 17))
    app.slider(key="period").set_value((date(2023, 11, 13), date(2023, 11, 14))).run()
    assert app.date_input(key="period_dates").value == (date(2023, 11, 13), date(2023, 11, 14))
    assert events_metric(app) == "2"


def test_dates_in_a_shared_url_start_the_slider_and_the_exact_dates() -> None:
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S)
    app.query_params["start"] = "2023-11-20"
    app.query_params["end"] = "2023-12-31"
    app.run()
    assert not app.exception
    assert app.slider(key="period").value == (date(2023, 11, 20), date(2023, 12, 31))
    assert app.date_input(key="period_dates").value == (date(2023, 11, 20), date(2023, 12, 31))


def test_page_event_table_is_newest_first_without_clock_time() -> None:
    app = uploaded_page()
    app.toggle(key="event_table").set_value(True).run()
    table = app.dataframe[-1].value
    assert list(table["event_date"]) == [date(2023, 11, 17 - i) for i in range(5)]
    assert not any(hasattr(value, "hour") for value in table["event_date"])  # calendar days, no 00:00:00
    assert "NA" not in set(table["actor2"]) and "NA" not in set(table["notes"])


def test_a_file_with_a_wider_range_keeps_the_slider_and_the_exact_dates_together() -> None:
    """Streamlit starts the date slider anew when its ends change; the exact-dates box must follow it."""
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S).run()
    header, first, *rest = SAMPLE_EVENTS.read_text(encoding="utf-8").splitlines()
    wider = [first.replace("SAMPLE-0001,2023-10-27", f"TEST-{day},{day}", 1) for day in ("2021-02-01", "2025-01-30")]
    app.file_uploader(key="events_upload").set_value(
        ("wider.csv", "\n".join([header, first, *rest, *wider]).encode(), "text/csv")
    ).run()
    assert not app.exception
    assert app.date_input(key="period_dates").value == app.slider(key="period").value
