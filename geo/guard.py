"""The edge of every entry point: an error nobody foresaw becomes one short message for the user
and a logged traceback for the operator, never a traceback on screen.

The log is ``$MYANMAR_CONFLICT_MAP_LOG`` if set, else ``errors.log`` in the import cache folder
(:func:`geo.cache.cache_dir`); each entry starts with an incident id the message quotes.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

LOG_ENV = "MYANMAR_CONFLICT_MAP_LOG"


def log_path() -> Path:
    if os.environ.get(LOG_ENV):
        return Path(os.environ[LOG_ENV])
    from geo.cache import cache_dir

    return cache_dir() / "errors.log"


def log_incident(error: BaseException, *, server_console: bool = False) -> str:
    """Append ``error``'s traceback to the log, and with ``server_console`` to stderr (the
    page's server console, which a CLI user would see instead); returns the incident id."""
    incident = f"incident {uuid.uuid4().hex[:12]}"
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    details = "".join(traceback.format_exception(error))
    if server_console:
        print(f"{when} {incident}\n{details}", file=sys.stderr)
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"{when} {incident}\n{details}\n")
    except OSError:
        pass  # the log is for the operator; failing to write it must not hide the user's message
    return incident


def cli_edge(prog: str) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Wrap a CLI ``main``: an unforeseen exception prints one line on stderr and exits 2."""

    def wrap(main: Callable[..., int]) -> Callable[..., int]:
        @functools.wraps(main)
        def guarded(*args: object, **kwargs: object) -> int:
            try:
                return main(*args, **kwargs)
            except Exception as error:  # the edge: whatever was not foreseen inside
                incident = log_incident(error)
                print(
                    f"{prog}: error: unexpected {type(error).__name__}; details in {log_path()} ({incident})",
                    file=sys.stderr,
                )
                return 2

        return guarded

    return wrap
