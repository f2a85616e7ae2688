"""Keep the store's events current from ACLED's API: ``python -m geo.acled_sync sync --country Myanmar``.

Follows ACLED's published API documentation (acleddata.com/api-documentation: "Getting
started", "ACLED endpoint", "Deleted endpoint", "Elements of ACLED's API"; 2025 version):

* token: ``POST https://acleddata.com/oauth/token`` with the form fields ``username``,
  ``password``, ``grant_type=password`` and ``client_id=acled``; the JSON answer carries
  ``access_token`` and ``expires_in`` (seconds). Requests then send
  ``Authorization: Bearer <token>``. An expired token (or a 401 on a data request) gets a
  new one with the password grant, once per request.
* events: ``GET https://acleddata.com/api/acled/read?_format=json&country=...&limit=5000&page=N``;
  the JSON answer is ``{"status": 200, "success": true, "count": n, "data": [rows]}`` with
  ACLED's column names (strings); a page with fewer than ``limit`` rows is the last.
  Incremental: ``timestamp=T&timestamp_where=>=`` asks only for events added or changed
  since the newest ``timestamp`` stored (a changed event keeps its ``event_id_cnty`` and
  gets a new ``timestamp``); ``--since`` adds ``event_date=D|today&event_date_where=BETWEEN``.
* deletions: ``GET https://acleddata.com/api/deleted/read`` with the same paging and
  ``deleted_timestamp=T&deleted_timestamp_where=>=``; rows hold ``event_id_cnty`` and
  ``deleted_timestamp``. Each deleted id that is stored is removed and logged.

Rows are checked by the same ACLED importer as an uploaded export (:func:`geo.events.read_acled_csv`):
bad rows are reported per page and kept out, good rows are enriched and upserted by
``event_id_cnty``. Each page's row report and the sync's counts go to the store.

Credentials come from ``ACLED_USERNAME``/``ACLED_PASSWORD`` (or the page's Streamlit secrets);
they are never printed, logged or exported, and are sent only to ``https://acleddata.com``
(or to a loopback test server: the tests run this same client against a local server that
answers in ACLED's format). Redirects are not followed. 429 and 5xx are retried with
exponential back-off (honouring ``Retry-After``); 401/403 end the sync with a message.

ACLED's terms of use: attribute ACLED; do not redistribute raw ACLED data (:data:`TERMS`).
"""

from __future__ import annotations

import argparse
import csv
import ipaddress
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import requests

from geo.boundaries import Boundaries
from geo.enrich import enrich_events
from geo.events import read_acled_csv
from geo.store import ControlStore, open_store
from geo.store_events import ImportLog, SyncLog

ACLED_BASE_URL = "https://acleddata.com"
PAGE_SIZE = 5_000
USERNAME_ENV, PASSWORD_ENV = "ACLED_USERNAME", "ACLED_PASSWORD"
TERMS = (
    "Data from the Armed Conflict Location & Event Data Project (ACLED), acleddata.com, fetched with your own "
    "ACLED account. ACLED's terms of use apply: attribute ACLED in anything you publish, and do not "
    "redistribute the raw ACLED data (this app's exports of synced events are for your own analysis)."
)


class AcledError(RuntimeError):
    """The sync could not go on; the message says why (never with credentials)."""


class AcledAuthError(AcledError):
    """ACLED refused the account (401) or its access (403)."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)

    @classmethod
    def from_env(cls) -> Credentials:
        username, password = os.environ.get(USERNAME_ENV, ""), os.environ.get(PASSWORD_ENV, "")
        if not username or not password:
            raise AcledAuthError(f"set {USERNAME_ENV} and {PASSWORD_ENV} to your ACLED account's email and password")
        return cls(username, password)


def checked_base_url(url: str) -> str:
    """ACLED's own https host, or a loopback server (tests); credentials go nowhere else."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host == "acleddata.com":
        return url.rstrip("/")
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if loopback and parts.scheme in ("http", "https"):
        return url.rstrip("/")
    raise AcledError(f"refusing to send ACLED credentials to {host or url!r}: only {ACLED_BASE_URL} (or loopback)")


class AcledClient:
    """ACLED's API with the password grant, paging, retries and token renewal (see module doc)."""

    def __init__(
        self,
        credentials: Credentials,
        base_url: str = ACLED_BASE_URL,
        *,
        page_size: int = PAGE_SIZE,
        max_retries: int = 5,
        backoff_s: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        timeout_s: float = 120,
    ) -> None:
        self.credentials = credentials
        self.base_url = checked_base_url(base_url)
        self.page_size = page_size
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.sleep = sleep
        self.timeout_s = timeout_s
        self.session = requests.Session()
        self._token = ""
        self._token_expires = 0.0

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request, retried on connection errors, 429 and 5xx with exponential back-off."""
        for attempt in range(self.max_retries + 1):
            try:
                response = self.session.request(
                    method, self.base_url + path, timeout=self.timeout_s, allow_redirects=False, **kwargs
                )
            except requests.ConnectionError as error:
                if attempt == self.max_retries:
                    raise AcledError(f"cannot reach {self.base_url}: {type(error).__name__}") from None
                self.sleep(self.backoff_s * 2**attempt)
                continue
            if response.status_code != 429 and response.status_code < 500:
                return response
            if attempt == self.max_retries:
                raise AcledError(f"{path}: ACLED answered {response.status_code} after {attempt + 1} tries; try later")
            retry_after = response.headers.get("Retry-After", "")
            self.sleep(float(retry_after) if retry_after.isdigit() else self.backoff_s * 2**attempt)
        raise AssertionError("unreachable")

    def _authenticate(self) -> None:
        response = self._send(
            "POST",
            "/oauth/token",
            data={
                "username": self.credentials.username,
                "password": self.credentials.password,
                "grant_type": "password",
                "client_id": "acled",
            },
        )
        if response.status_code in (400, 401, 403):
            raise AcledAuthError(
                f"ACLED refused the sign-in for {self.credentials.username} ({response.status_code}): check "
                f"{USERNAME_ENV}/{PASSWORD_ENV} and that the account has accepted ACLED's terms"
            )
        body = _json(response, "/oauth/token")
        if not isinstance(body, dict) or not body.get("access_token"):
            raise AcledError("/oauth/token: the answer has no access_token")
        self._token = str(body["access_token"])
        self._token_expires = time.monotonic() + 0.9 * float(body.get("expires_in") or 3600)

    def get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        """A data request with a valid token (renewed once if ACLED says it expired)."""
        for renewed in (False, True):
            if not self._token or time.monotonic() >= self._token_expires:
                self._authenticate()
            response = self._send("GET", path, params=params, headers={"Authorization": f"Bearer {self._token}"})
            if response.status_code == 401 and not renewed:
                self._token = ""
                continue
            if response.status_code in (401, 403):
                raise AcledAuthError(
                    f"{path}: ACLED refused access ({response.status_code}); the account may lack API access "
                    "or need to accept ACLED's terms at acleddata.com"
                )
            if response.status_code != 200:
                raise AcledError(f"{path}: ACLED answered {response.status_code}")
            body = _json(response, path)
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise AcledError(f"{path} page {params.get('page')}: the answer has no 'data' list")
            return body
        raise AssertionError("unreachable")

    def pages(self, path: str, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """Every page of ``path``'s rows, ``page_size`` at a time, until a short page."""
        page = 1
        while True:
            rows = self.get(path, {**params, "_format": "json", "limit": self.page_size, "page": page})["data"]
            if rows:
                yield rows
            if len(rows) < self.page_size:
                return
            page += 1


def _json(response: requests.Response, path: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise AcledError(f"{path}: ACLED's answer is not valid JSON ({response.text[:80]!r}...)") from None


def event_params(country: str, newest_timestamp: int | None, since: date | None) -> dict[str, Any]:
    params: dict[str, Any] = {"country": country}
    if newest_timestamp is not None:
        params |= {"timestamp": newest_timestamp, "timestamp_where": ">="}
    if since is not None:
        params |= {"event_date": f"{since.isoformat()}|{datetime.now(UTC).date().isoformat()}"}
        params |= {"event_date_where": "BETWEEN"}
    return params


@dataclass
class PageResult:
    events: pd.DataFrame
    log: ImportLog


def check_page(rows: list[dict[str, Any]], number: int, editor: str) -> PageResult:
    """One page through the ACLED importer's checks (line N of the report = row N-1 of the page)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"acled-api-page-{number}.csv"
        columns = sorted({key for row in rows for key in row})
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        result = read_acled_csv(path)
    stamps = {str(row.get("event_id_cnty", "")).strip(): row.get("timestamp") for row in rows}
    events = result.events
    events["acled_timestamp"] = pd.array([_whole(stamps.get(i)) for i in events["event_id_cnty"]], dtype="Int64")
    log = ImportLog(
        path.name, result.accepted, result.rejected_rows, result.report(full_path=False), editor, datetime.now(UTC)
    )
    return PageResult(events, log)


def _whole(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def sync(
    store: ControlStore,
    client: AcledClient,
    boundaries: Boundaries,
    *,
    country: str = "Myanmar",
    since: date | None = None,
    editor: str = "acled-sync",
    progress: Callable[[str], None] = lambda message: None,
) -> SyncLog:
    """Fetch what changed since the last sync, upsert it, apply ACLED's deletions, log the sync."""
    started = datetime.now(UTC)
    previous = store.syncs()
    newest = store.newest_acled_timestamp()
    added = changed = 0
    for number, rows in enumerate(client.pages("/api/acled/read", event_params(country, newest, since)), start=1):
        page = check_page(rows, number, editor)
        enriched = enrich_events(page.events, boundaries.states, boundaries.china_border, boundaries.crossings)
        changes = store.upsert_events(enriched)
        store.log_import(page.log)
        added, changed = added + changes.added, changed + changes.changed
        progress(f"page {number}: {len(rows)} rows, {changes.added} new, {changes.changed} changed")
    deleted_since = int(previous[-1].synced_at.timestamp()) if previous else None
    deleted_params = {} if deleted_since is None else {"deleted_timestamp": deleted_since}
    if deleted_params:
        deleted_params["deleted_timestamp_where"] = ">="
    deleted: list[str] = []
    for rows in client.pages("/api/deleted/read", deleted_params):
        ids = [str(row.get("event_id_cnty", "")).strip() for row in rows]
        deleted += store.delete_events([i for i in ids if i], reason=f"deleted by ACLED (sync of {started:%Y-%m-%d})")
    log = SyncLog(started, urlsplit(client.base_url).hostname or "", added, changed, len(deleted), None, editor)
    log = replace(log, newest_timestamp=store.newest_acled_timestamp())
    store.log_sync(log)
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.acled_sync", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("sync", help="fetch new, changed and deleted ACLED events into the store")
    command.add_argument("--country", default="Myanmar")
    command.add_argument("--since", type=date.fromisoformat, help="only events on or after YYYY-MM-DD")
    command.add_argument("--store", help="store path or postgresql:// URL (default: $DATABASE_URL or the data dir)")
    command.add_argument("--base-url", default=os.environ.get("ACLED_BASE_URL", ACLED_BASE_URL), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    print(TERMS, file=sys.stderr)
    try:
        client = AcledClient(Credentials.from_env(), args.base_url)
        store = open_store(args.store)
        log = sync(
            store,
            client,
            Boundaries.load(),
            country=args.country,
            since=args.since,
            progress=lambda message: print(message, file=sys.stderr),
        )
    except AcledError as error:
        print(f"ACLED sync failed: {error}", file=sys.stderr)
        return 2
    print(f"synced {log.synced_at:%Y-%m-%d %H:%M} UTC: {log.added} added, {log.changed} changed, {log.deleted} deleted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
