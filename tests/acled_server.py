"""A local HTTP server answering in ACLED's published API format (see geo/acled_sync.py's docstring),
for the sync's tests: OAuth password grant, the events endpoint with paging and the timestamp
filter, the deleted endpoint, token expiry, and faults on demand (429, 5xx, malformed JSON).

Its events are the shipped sample's real, cited events (geo/data/sample_events.csv) in ACLED's
API row form, each with a ``timestamp``.
"""

from __future__ import annotations

import csv
import json
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from geo.dataset import SAMPLE_EVENTS

USERNAME, PASSWORD = "analyst@example.org", "correct horse battery staple"
FIRST_TIMESTAMP = 1_700_000_000


def sample_rows() -> list[dict[str, str]]:
    """The sample events as ACLED API rows (strings, with country and timestamp; no source_url)."""
    with SAMPLE_EVENTS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    keep = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1", "admin2")
    keep += ("admin3", "location", "latitude", "longitude", "geo_precision", "fatalities", "source", "notes")
    return [
        {**{k: row[k] for k in keep}, "country": "Myanmar", "timestamp": str(FIRST_TIMESTAMP + n)}
        for n, row in enumerate(rows)
    ]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: str


@dataclass
class FakeAcled:
    events: list[dict[str, str]] = field(default_factory=sample_rows)
    deleted: list[dict[str, str]] = field(default_factory=list)
    token_lifetime_s: int = 86_400
    faults: dict[str, list[int | str]] = field(default_factory=lambda: defaultdict(list))
    requests: list[Request] = field(default_factory=list)
    tokens: dict[str, float] = field(default_factory=dict)

    def expire_tokens(self) -> None:
        """Every token issued so far stops working (ACLED's side of an expiry)."""
        self.tokens.clear()

    def answer(self, request: Request) -> tuple[int, str]:
        self.requests.append(request)
        if self.faults[request.path]:
            fault = self.faults[request.path].pop(0)
            return (200, "<html>Maintenance</html>") if fault == "malformed" else (int(fault), '{"error": "fault"}')
        if request.path == "/oauth/token":
            return self._token(parse_qs(request.body))
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        if self.tokens.get(bearer, 0) < time.monotonic():
            return 401, json.dumps({"message": "Unauthorized"})
        if request.path == "/api/acled/read":
            return self._page(self._matching_events(request.query), request.query)
        if request.path == "/api/deleted/read":
            since = int(request.query.get("deleted_timestamp", "0"))
            return self._page([d for d in self.deleted if int(d["deleted_timestamp"]) >= since], request.query)
        return 404, "{}"

    def _token(self, form: dict[str, list[str]]) -> tuple[int, str]:
        fields = {k: v[0] for k, v in form.items()}
        if fields.get("grant_type") != "password" or fields.get("client_id") != "acled":
            return 400, json.dumps({"error": "unsupported_grant_type"})
        if (fields.get("username"), fields.get("password")) != (USERNAME, PASSWORD):
            return 401, json.dumps({"error": "invalid_grant"})
        token = secrets.token_hex(16)
        self.tokens[token] = time.monotonic() + self.token_lifetime_s
        body = {"token_type": "Bearer", "expires_in": self.token_lifetime_s, "access_token": token}
        return 200, json.dumps(body | {"refresh_token": secrets.token_hex(16)})

    def _matching_events(self, query: dict[str, str]) -> list[dict[str, str]]:
        rows = [r for r in self.events if r["country"] == query.get("country", r["country"])]
        if "timestamp" in query:
            assert query.get("timestamp_where") == ">=", query
            rows = [r for r in rows if int(r["timestamp"]) >= int(query["timestamp"])]
        if "event_date" in query:
            assert query.get("event_date_where") == "BETWEEN", query
            first, last = query["event_date"].split("|")
            rows = [r for r in rows if first <= r["event_date"] <= last]
        return sorted(rows, key=lambda r: (r["event_date"], r["event_id_cnty"]), reverse=True)

    @staticmethod
    def _page(rows: list[dict[str, Any]], query: dict[str, str]) -> tuple[int, str]:
        limit, page = int(query.get("limit", "5000")), int(query.get("page", "1"))
        data = rows[(page - 1) * limit : page * limit]
        return 200, json.dumps({"status": 200, "success": True, "count": len(data), "data": data})


class _Handler(BaseHTTPRequestHandler):
    fake: FakeAcled

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            self.command,
            parts.path,
            {k: v[0] for k, v in parse_qs(parts.query).items()},
            {k.lower(): v for k, v in self.headers.items()},
            self.rfile.read(length).decode() if length else "",
        )
        status, body = self.fake.answer(request)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body.encode())))
        self.end_headers()
        self.wfile.write(body.encode())

    do_GET = do_POST = _handle

    def log_message(self, *args: object) -> None:
        """Quiet: the tests read ``FakeAcled.requests``."""


class AcledServer:
    """The fake on 127.0.0.1 in a thread: ``with AcledServer() as server: server.url``."""

    def __init__(self, fake: FakeAcled | None = None) -> None:
        self.fake = fake or FakeAcled()
        handler = type("Handler", (_Handler,), {"fake": self.fake})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> AcledServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
