"""The ACLED sync against a local server in ACLED's API format: paging, the timestamp filter,
deletions, token expiry, 429/5xx back-off, malformed JSON, refused accounts; the CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.acled_sync import PAGE_SIZE, AcledAuthError, AcledClient, AcledError, Credentials, checked_base_url, sync
from geo.boundaries import Boundaries
from geo.store import open_store
from tests.acled_server import PASSWORD, USERNAME, AcledServer, FakeAcled
from tests.helpers import run_module

ACCOUNT = Credentials(USERNAME, PASSWORD)


@pytest.fixture
def server() -> AcledServer:
    with AcledServer() as running:
        yield running


def client(server: AcledServer, sleeps: list[float] | None = None, **options: object) -> AcledClient:
    return AcledClient(ACCOUNT, server.url, sleep=(sleeps if sleeps is not None else []).append, **options)


def event_requests(server: AcledServer) -> list[dict[str, str]]:
    return [r.query for r in server.fake.requests if r.path == "/api/acled/read"]


def test_a_first_sync_pages_through_every_event(
    store_location: str, server: AcledServer, boundaries: Boundaries
) -> None:
    store = open_store(store_location, seed=None)
    log = sync(store, client(server, page_size=10), boundaries, country="Myanmar")
    total = len(server.fake.events)
    assert total > 30, "the sample spans four pages of 10"
    assert (log.added, log.changed, log.deleted) == (total, 0, 0)
    assert sorted(store.events()["event_id_cnty"]) == sorted(r["event_id_cnty"] for r in server.fake.events)
    pages = event_requests(server)
    assert [(q["page"], q["limit"], q["country"], q["_format"]) for q in pages] == [
        (str(n), "10", "Myanmar", "json") for n in range(1, total // 10 + 2)
    ]
    assert "timestamp" not in pages[0], "nothing stored yet: the first sync asks for everything"
    assert [i.accepted for i in store.imports()] == [10, 10, 10, total - 30]
    assert store.syncs() == [log] and log.newest_timestamp == max(int(r["timestamp"]) for r in server.fake.events)
    assert store.events()["state"].isin(["Shan", "Rakhine", "Chin", "Kachin", "Sagaing", "Magway"]).any()


def test_the_next_sync_fetches_changes_and_applies_deletions(
    store_location: str, server: AcledServer, boundaries: Boundaries
) -> None:
    store = open_store(store_location, seed=None)
    held_back = server.fake.events.pop()
    sync(store, client(server), boundaries)
    newest = store.newest_acled_timestamp()
    corrected = server.fake.events[0]
    corrected.update(fatalities=str(int(corrected["fatalities"]) + 2), timestamp=str(newest + 10))
    server.fake.events.append({**held_back, "timestamp": str(newest + 11)})
    doomed = server.fake.events[5]["event_id_cnty"]
    server.fake.deleted.append({"event_id_cnty": doomed, "deleted_timestamp": str(2_000_000_000)})
    server.fake.deleted.append({"event_id_cnty": "NEVER-STORED", "deleted_timestamp": str(2_000_000_000)})
    second = sync(store, client(server), boundaries)
    assert {"timestamp": str(newest), "timestamp_where": ">="}.items() <= event_requests(server)[-1].items()
    assert (second.added, second.changed, second.deleted) == (1, 1, 1)
    stored = store.events().set_index("event_id_cnty")
    assert doomed not in stored.index and held_back["event_id_cnty"] in stored.index
    assert stored.loc[corrected["event_id_cnty"], "fatalities"] == int(corrected["fatalities"])
    assert [d.event_id_cnty for d in store.deletions()] == [doomed]
    assert [s.added for s in store.syncs()] == [len(server.fake.events) - 1, 1]


def test_an_expired_token_is_renewed_and_the_sync_goes_on(
    tmp_path: Path, server: AcledServer, boundaries: Boundaries
) -> None:
    api = client(server, page_size=10)
    api.get("/api/acled/read", {"country": "Myanmar", "limit": 1, "page": 1})
    server.fake.expire_tokens()
    log = sync(open_store(tmp_path, seed=None), api, boundaries)
    assert log.added == len(server.fake.events)
    assert [r.path for r in server.fake.requests].count("/oauth/token") == 2


def test_429_and_5xx_are_retried_with_back_off(tmp_path: Path, server: AcledServer, boundaries: Boundaries) -> None:
    server.fake.faults["/api/acled/read"] += [429, 502, 503]
    sleeps: list[float] = []
    log = sync(open_store(tmp_path, seed=None), client(server, sleeps, backoff_s=0.5), boundaries)
    assert log.added == len(server.fake.events) and sleeps == [0.5, 1.0, 2.0]


def test_an_api_that_keeps_failing_stops_the_sync_with_a_message(tmp_path: Path, server: AcledServer) -> None:
    server.fake.faults["/api/acled/read"] += [503] * 4
    store = open_store(tmp_path, seed=None)
    with pytest.raises(AcledError, match="503 after 4 tries"):
        sync(store, client(server, max_retries=3), Boundaries.load())
    assert store.syncs() == [] and store.events().empty


def test_malformed_json_stops_the_sync_without_storing_a_sync(tmp_path: Path, server: AcledServer) -> None:
    server.fake.faults["/api/acled/read"].append("malformed")
    store = open_store(tmp_path, seed=None)
    with pytest.raises(AcledError, match="not valid JSON"):
        sync(store, client(server), Boundaries.load())
    assert store.syncs() == []


def test_a_refused_account_gets_a_clear_message_without_the_password(server: AcledServer) -> None:
    wrong = AcledClient(Credentials(USERNAME, "wrong password"), server.url, sleep=lambda s: None)
    with pytest.raises(AcledAuthError, match=r"refused the sign-in for analyst@example.org \(401\)") as refused:
        wrong.get("/api/acled/read", {})
    assert "wrong password" not in str(refused.value)
    server.fake.faults["/api/acled/read"].append(403)
    with pytest.raises(AcledAuthError, match=r"refused access \(403\)"):
        client(server).get("/api/acled/read", {})


def test_bad_rows_are_reported_per_page_and_good_rows_kept(tmp_path: Path, server: AcledServer) -> None:
    server.fake.events[3]["latitude"] = "north"
    store = open_store(tmp_path, seed=None)
    log = sync(store, client(server), Boundaries.load())
    assert log.added == len(server.fake.events) - 1
    [page] = store.imports()
    assert (page.accepted, page.rejected) == (len(server.fake.events) - 1, 1)
    assert "latitude" in page.report and "north" in page.report


def test_credentials_go_only_to_acled_or_a_loopback_server(server: AcledServer) -> None:
    assert checked_base_url("https://acleddata.com/") == "https://acleddata.com"
    for elsewhere in ("https://acleddata.com.example.net", "http://acleddata.com", "https://10.0.0.5"):
        with pytest.raises(AcledError, match="refusing to send ACLED credentials"):
            checked_base_url(elsewhere)
    client(server).get("/api/acled/read", {"country": "Myanmar"})
    token_request, data_request = server.fake.requests
    assert PASSWORD not in str(data_request) and PASSWORD not in str(token_request.query)
    assert "password" in token_request.body and token_request.method == "POST"
    assert repr(ACCOUNT).count(PASSWORD) == 0


def test_the_cli_syncs_into_a_store_in_pages_of_5000(tmp_path: Path, server: AcledServer) -> None:
    env = {"ACLED_USERNAME": USERNAME, "ACLED_PASSWORD": PASSWORD, "ACLED_BASE_URL": server.url}
    os.environ.update(env)
    try:
        done = run_module(
            "geo.acled_sync", "sync", "--country", "Myanmar", "--since", "2023-11-01", "--store", tmp_path
        )
    finally:
        for name in env:
            del os.environ[name]
    assert done.returncode == 0, done.stderr
    assert "added" in done.stdout and "Attribute ACLED".lower() in done.stderr.lower()
    assert PASSWORD not in done.stdout + done.stderr
    [query] = event_requests(server)
    assert query["limit"] == str(PAGE_SIZE) and query["event_date"].startswith("2023-11-01|")
    stored = open_store(tmp_path, seed=None).events()
    assert len(stored) == sum(r["event_date"] >= "2023-11-01" for r in FakeAcled().events) > 0


def test_the_cli_without_credentials_says_what_to_set(tmp_path: Path) -> None:
    done = run_module("geo.acled_sync", "sync", "--store", tmp_path)
    assert done.returncode == 2 and "set ACLED_USERNAME and ACLED_PASSWORD" in done.stderr
