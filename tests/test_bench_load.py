"""The load test's client (bench/load.py): how it reads the server's messages, what it sends for a filter
change, and, against a real `streamlit run`, that such a change filters the page as a user's would."""

from __future__ import annotations

import asyncio
import random
from datetime import date, timedelta

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load import (
    PERIOD_LABEL,
    SPANS,
    TYPES_LABEL,
    PageRun,
    date_micros,
    first_request,
    page_run,
    percentile,
    random_period,
    rerun_request,
    stream_url,
)
from geo.boundaries import Boundaries
from geo.dataset import SAMPLE_EVENTS, import_events


def _element(fill: str, **fields: object) -> bytes:
    message = ForwardMsg()
    body = getattr(message.delta.new_element, fill)
    for name, value in fields.items():
        setattr(body, name, value)
    return message.SerializeToString()


def test_a_page_run_collects_widget_ids_metrics_and_errors_until_the_script_finishes() -> None:
    run = PageRun()
    run.read(_element("slider", id="$$ID-1-period", label=PERIOD_LABEL))
    run.read(_element("multiselect", id="$$ID-2-types", label=TYPES_LABEL))
    run.read(_element("metric", label="Events", body="1,234"))
    run.read(_element("alert", body="Showing the sample", format=Alert.INFO))
    run.read(_element("heading", body="Map"))
    assert not run.errors and not run.finished
    page_info = ForwardMsg()
    page_info.page_info_changed.query_string = "start=2024-01-01&end=2024-01-31&type=Battles"
    run.read(page_info.SerializeToString())
    run.read(_element("alert", body="Something went wrong drawing this view", format=Alert.ERROR))
    run.read(_element("exception", type="KeyError", message="'types'"))
    finished = ForwardMsg()
    finished.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    run.read(finished.SerializeToString())
    assert run.finished
    assert run.widget_ids == {PERIOD_LABEL: "$$ID-1-period", TYPES_LABEL: "$$ID-2-types"}
    assert run.metrics == {"Events": "1,234"}
    assert run.query_string == "start=2024-01-01&end=2024-01-31&type=Battles"
    assert run.errors == ["Something went wrong drawing this view", "KeyError: 'types'"]


def test_a_script_that_does_not_compile_is_an_error() -> None:
    finished = ForwardMsg()
    finished.script_finished = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
    run = PageRun()
    run.read(finished.SerializeToString())
    assert run.finished and run.errors == ["the page script did not compile"]


def test_a_filter_change_carries_the_date_slider_in_microseconds_and_one_event_type() -> None:
    ids = {PERIOD_LABEL: "$$ID-1-period", TYPES_LABEL: "$$ID-2-types"}
    message = BackMsg()
    message.ParseFromString(rerun_request("layers=events", ids, (date(1970, 1, 2), date(2024, 1, 31)), "Battles"))
    period, types = message.rerun_script.widget_states.widgets
    assert message.rerun_script.query_string == "layers=events"
    assert (period.id, list(period.double_array_value.data)) == (ids[PERIOD_LABEL], [86_400e6, 1_706_659_200e6])
    assert (types.id, list(types.string_array_value.data)) == (ids[TYPES_LABEL], ["Battles"])
    assert date_micros(date(2024, 1, 31)) == 1_706_659_200_000_000


def test_random_periods_are_7_14_or_30_days_inside_the_data() -> None:
    rng, first, last = random.Random(1), date(2021, 2, 1), date(2021, 4, 1)
    periods = [random_period(rng, first, last) for _ in range(300)]
    assert all(first <= start <= end <= last for start, end in periods)
    assert {(end - start).days + 1 for start, end in periods} == set(SPANS)
    assert random_period(rng, first, first + timedelta(days=3)) == (first, first + timedelta(days=3))


def test_percentiles_interpolate_and_are_nan_without_runs() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert percentile(list(map(float, range(101))), 0.95) == 95.0
    assert percentile([], 0.5) != percentile([], 0.5)  # NaN


def test_a_rerun_with_widget_states_filters_the_served_page_like_a_user(
    streamlit_url: str, boundaries: Boundaries
) -> None:
    sample = import_events(SAMPLE_EVENTS, boundaries).events
    first_day, last_day = sample["event_date"].min().date(), sample["event_date"].max().date()
    query = "layers=states,borders,events"

    async def open_then_filter() -> tuple[PageRun, PageRun]:
        async with websockets.connect(stream_url(streamlit_url), subprotocols=["streamlit"], max_size=None) as ws:
            _, opened = await page_run(ws, first_request(query))
            request = rerun_request(opened.query_string or query, opened.widget_ids, (first_day, last_day), "Battles")
            _, filtered = await page_run(ws, request)
        return opened, filtered

    opened, filtered = asyncio.run(open_then_filter())
    assert not opened.errors and not filtered.errors
    battles = int((sample["event_type"] == "Battles").sum())
    assert 0 < battles < len(sample)
    assert opened.metrics["Events"] == f"{len(sample):,}" and opened.query_string is not None
    assert "type=Battles" in (filtered.query_string or ""), filtered.query_string
    assert filtered.metrics["Events"] == f"{battles:,}"
