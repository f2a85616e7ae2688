"""Limits on input, each checked before the work it bounds starts, and why each is what it is.

A file, link or name beyond a limit gets a message naming the limit; nothing is cut short silently.
"""

from __future__ import annotations

import re
import unicodedata

MAX_EVENT_FILE_BYTES = 200 * 1024 * 1024
"""An ACLED export of all of Myanmar since 2021 is about 60 MB; 200 MB leaves room and keeps an
import within the memory of a small server (about six times the file at the peak)."""

MAX_FRONTS_FILE_BYTES = 50 * 1024 * 1024
"""Fronts are hand-drawn lines and areas: a few hundred kB; 50 MB allows detailed outlines."""

MAX_FIELD_CHARS = 32_767
"""Longest text in one cell or property: the most a spreadsheet cell holds (Excel's limit), so every
accepted row can be exported and reopened. ACLED notes run to about 2,000 characters."""

MAX_COLUMNS = 500
"""Columns in a CSV header or distinct properties in a GeoJSON file: ACLED has 31, UCDP GED 49."""

MAX_JSON_DEPTH = 64
"""Nesting of arrays and objects: a FeatureCollection of MultiPolygons nests 7 deep; 64 leaves room
for nested properties and stays far below where Python's parser runs out of stack (about 1,000)."""

MAX_FEATURES = 1_000_000
"""Features in one GeoJSON file: as many as the largest event CSV the benchmark imports."""

MAX_FRONT_FEATURES = 50_000
"""Fronts are drawn as vector shapes in the browser; beyond tens of thousands the page stalls."""

MAX_VERTICES = 250_000
"""Points in one front geometry: the shipped Myanmar outline has about 9,000; a shape with more
than 250,000 would take seconds to draw on every page run."""

MAX_NAME_BYTES = 120
"""Bytes of UTF-8 kept of an uploaded file's name (a file system allows 255): 40 Burmese letters
or 120 Latin ones, enough to recognise the file in messages."""

MAX_TITLE_CHARS = 200
"""Characters of a map title: two printed lines at the title's size."""

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
"""Characters XML 1.0 (SVG) forbids or that break a line where none is wanted; tab, LF and CR are
handled by :func:`printable`."""


def without_controls(text: str) -> str:
    """``text`` with the characters XML (SVG) forbids removed; line breaks and tabs kept."""
    return CONTROL_CHARS.sub("", text)


def printable(text: str) -> str:
    """``text`` with control characters removed and line breaks and tabs made spaces: safe in SVG,
    PDF and a one-line message."""
    return without_controls(re.sub(r"[\t\r\n]+", " ", text))


def safe_file_name(name: str, default: str = "upload") -> str:
    """A user's file name made safe to store and show: no folders, control characters, leading dots
    or dashes, at most :data:`MAX_NAME_BYTES` of UTF-8 with the extension kept."""
    base = unicodedata.normalize("NFC", printable(name)).replace("/", "_").replace("\\", "_")
    base = base.strip().lstrip(".-").strip() or default
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9]{1,10}", ext):
        stem, ext = base, ""
    suffix = f".{ext}" if ext else ""
    room = MAX_NAME_BYTES - len(suffix.encode())
    cut = stem.encode()[:room].decode("utf-8", errors="ignore").rstrip() or default
    return cut + suffix
