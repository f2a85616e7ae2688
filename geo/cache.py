"""On-disk cache of imported event files, so reopening a file does not re-parse it.

Parsing, validating and enriching a large export takes seconds to minutes; reading
the same result back from GeoParquet (columnar, via pyarrow) takes a fraction of
that. An entry is keyed by the file's content hash and name (the name ends up in
``source_file`` and in generated ids), the format asked for, the boundaries the
events were placed with, and :data:`SCHEMA_VERSION`, so a changed file, other
boundaries or a new importer never reuse stale rows. The rejected-row report is
stored beside the events, so a cached import reports exactly what the first did.

The cache lives in ``$MYANMAR_CONFLICT_MAP_CACHE`` if set, else
``$XDG_CACHE_HOME/myanmar-conflict-map`` (``~/.cache/myanmar-conflict-map``).
Entries are written to a temporary name and renamed, so a crash never leaves a
half-written entry that looks complete; an unreadable entry counts as a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyarrow
import shapely

from geo.boundaries import Boundaries
from geo.events import ImportResult
from geo.rowchecks import LineAccount, RowError

SCHEMA_VERSION = 4
"""Bump when the importer or enrichment changes what an import returns."""

CACHE_ENV = "MYANMAR_CONFLICT_MAP_CACHE"


def cache_dir() -> Path:
    """Where entries live (see the module docstring for the lookup order)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "myanmar-conflict-map"


def boundaries_fingerprint(boundaries: Boundaries) -> str:
    """Hash of the geometry and names enrichment reads, so new boundaries miss old entries."""
    digest = hashlib.sha256()
    for frame in (boundaries.states, boundaries.crossings):
        digest.update("\x1f".join(frame["name"].astype(str)).encode())
        digest.update(b"".join(shapely.to_wkb(frame.geometry.to_numpy())))
    digest.update(shapely.to_wkb(boundaries.china_border))
    return digest.hexdigest()


def cache_key(path: Path, fmt: str | None, boundaries: Boundaries) -> str:
    """Key of an import of ``path`` read as ``fmt`` (None: sniffed) and placed with ``boundaries``."""
    with path.open("rb") as handle:
        content = hashlib.file_digest(handle, "sha256").hexdigest()
    parts = (str(SCHEMA_VERSION), content, path.name, fmt or "detect", boundaries_fingerprint(boundaries))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _entry(key: str, directory: Path | None) -> tuple[Path, Path]:
    folder = directory or cache_dir()
    return folder / f"{key}.parquet", folder / f"{key}.report.json"


def load_import(key: str, path: Path, directory: Path | None = None) -> ImportResult | None:
    """The cached import under ``key`` reported against ``path``, or None on a miss."""
    events_file, report_file = _entry(key, directory)
    if not report_file.exists():  # written last: its presence means the entry is complete
        return None
    try:
        report = json.loads(report_file.read_text(encoding="utf-8"))
        events = gpd.read_parquet(events_file)
    except (OSError, ValueError, pyarrow.ArrowException):
        return None
    rejected = [RowError(*fields) for fields in report["rejected"]]
    lines = LineAccount(**report["lines"]) if report.get("lines") else None
    return ImportResult(events, rejected, path, report["format"], report["rows_in_file"], lines)


def _write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Write via a temporary file in the same folder, then rename: readers never see half a file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def store_import(key: str, result: ImportResult, directory: Path | None = None) -> None:
    """Save ``result`` under ``key``; a cache that cannot be written only costs speed, so it warns."""
    events_file, report_file = _entry(key, directory)
    report = {
        "format": result.format,
        "rows_in_file": result.rows_in_file,
        "rejected": [[e.row, e.field, e.value, e.reason, e.unit] for e in result.rejected],
        "lines": None if result.lines is None else result.lines.as_dict(),
    }
    try:
        events_file.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(events_file, lambda tmp: result.events.to_parquet(tmp, index=False))
        _write_atomically(report_file, lambda tmp: tmp.write_text(json.dumps(report), encoding="utf-8"))
    except (OSError, ValueError, pyarrow.ArrowException) as error:
        warnings.warn(f"import cache not written to {events_file.parent}: {error}", stacklevel=2)
