"""The data behind a view: the shipped sample or a user's file, enriched once on import."""

from __future__ import annotations

import contextlib
import ctypes
from dataclasses import replace
from pathlib import Path

import pyarrow

from geo.boundaries import DATA_DIR, Boundaries
from geo.cache import cache_key, load_import, store_import
from geo.enrich import enrich_events
from geo.events import MAX_EVENT_FILE_BYTES, ImportResult, read_events

SAMPLE_EVENTS = DATA_DIR / "sample_events.csv"

ACLED_CREDIT = (
    "Events: Armed Conflict Location & Event Data (ACLED), www.acleddata.com; "
    "used under ACLED's terms of use and attribution policy"
)
UCDP_CREDIT = (
    "Events: UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program, ucdp.uu.se "
    "(Sundberg and Melander 2013, Journal of Peace Research 50(4)); CC BY 4.0"
)
SYNTHETIC_SOURCE = "SYNTHETIC"
"""How every row of the benchmark's generated files (bench/synthetic.py) begins its ``source``."""
SAMPLE_CREDIT = "Events: the shipped cited sample; each event cites its news report (geo/data/SOURCES.md)"


def import_events(
    path: Path | str,
    boundaries: Boundaries,
    fmt: str | None = None,
    *,
    cache: bool = True,
    max_bytes: int = MAX_EVENT_FILE_BYTES,
) -> ImportResult:
    """Read, validate and enrich an event file (state, China-border distance, crossing).

    With ``cache`` the result, rejected rows included, is kept in GeoParquet
    (``geo.cache``), so opening the same file again skips parsing and enrichment.
    Files the reader would refuse (missing, too large) always go to the reader.
    """
    path = Path(path)
    try:
        cacheable = cache and path.is_file() and path.stat().st_size <= max_bytes
    except OSError:  # the reader names the problem
        cacheable = False
    key = cache_key(path, fmt, boundaries) if cacheable else ""
    if cacheable and (cached := load_import(key, path)) is not None:
        release_unused_memory()
        return cached
    result = read_events(path, fmt, max_bytes=max_bytes)
    enriched = enrich_events(result.events, boundaries.states, boundaries.china_border, boundaries.crossings)
    result = replace(result, events=enriched)
    if cacheable:
        store_import(key, result)
    release_unused_memory()
    return result


def release_unused_memory() -> None:
    """Give back what reading or packing a large file left free. Arrow's allocator and glibc's
    keep freed blocks for reuse, which left a server about 300 MB larger after a million-row
    file than the import it holds."""
    pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def events_credit(result: ImportResult) -> str:
    """The source line exports print for these events: the publisher for ACLED and UCDP
    files, the shipped sample's own note, or the uploaded file's name."""
    if result.path.resolve() == SAMPLE_EVENTS.resolve():
        return SAMPLE_CREDIT
    sources = result.events["source"] if "source" in result.events.columns else None
    if sources is not None and len(sources) and sources.astype(str).str.startswith(SYNTHETIC_SOURCE).all():
        # bench/synthetic.py writes ACLED's format, but ACLED made none of it: never credit them.
        return f"Events: {SYNTHETIC_SOURCE} benchmark data, not real events (file {result.path.name})"
    if result.format == "acled":
        return f"{ACLED_CREDIT} (file {result.path.name})"
    if result.format == "ucdp":
        return f"{UCDP_CREDIT} (file {result.path.name})"
    return f"Events: {result.path.name} (user-supplied file)"
