"""Reading an events file from disk: the checks every format shares, and CSV parsing.

Well-formed CSV goes through pyarrow's multi-threaded reader; anything else (short or
long records, an open quote) through pandas, which pads short records and names the
line of a long one. Each record's line number is found for the row-level messages.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute
import pyarrow.csv

from geo.limits import MAX_COLUMNS, MAX_FIELD_CHARS
from geo.rowchecks import RowChecks

# The csv module (header, line numbers) must read any field the fast readers read; fields over
# MAX_FIELD_CHARS are then rejected per row with a message instead of failing the whole file.
csv.field_size_limit(2**31 - 1)

LONE_CR = re.compile(rb"\r(?!\n)")

MULTILINE_COLUMNS = frozenset({"notes", "source", "source_article", "source_headline", "source_original"})
"""Free-text columns where a line break inside quotes is kept; anywhere else it means a stray
quote has merged several records into one."""


class EventFileError(ValueError):
    """A file that cannot be loaded at all; str() names the file and the reason."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Whole file as UTF-8-checked bytes, after the file-level checks every format shares."""
    try:
        exists, regular = path.exists(), path.is_file()
        size = path.stat().st_size if regular else 0
    except OSError as exc:  # a name too long for the file system, a folder we may not enter
        raise EventFileError(path, f"cannot be opened ({exc.strerror})") from exc
    if not exists:
        raise EventFileError(path, "file not found")
    if not regular:
        raise EventFileError(path, "is not a regular file")
    if size > max_bytes:
        raise EventFileError(
            path,
            f"file is {size / 1e6:.1f} MB, larger than the {max_bytes / 1e6:.1f} MB "
            "limit (pass a larger max_bytes to load it)",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EventFileError(path, f"cannot be read ({exc.strerror})") from exc
    if not data.strip():
        raise EventFileError(path, "file is empty")
    if b"\x00" in data:
        raise EventFileError(
            path,
            "looks like a binary file (it contains NUL bytes); export the data as UTF-8 CSV or GeoJSON",
        )
    try:
        data.decode("utf-8-sig")  # checked here, parsed later straight from the bytes
    except UnicodeDecodeError as exc:
        raise EventFileError(
            path,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8",
        ) from exc
    return data


def read_text(path: Path, max_bytes: int) -> str:
    """Whole file as text, after the file-level checks every format shares."""
    return read_bytes(path, max_bytes).decode("utf-8-sig")


def read_csv_table(path: Path, max_bytes: int) -> tuple[pd.DataFrame, RowChecks]:
    """All cells as strings with lower-cased headers, and the row checks of the file: each
    record's lines, the line account, over-long fields and records merged by a stray quote."""
    # Parsed from the bytes: a str copy in a StringIO would cost four bytes per character.
    data = unified_line_breaks(read_bytes(path, max_bytes))
    written = first_record(data)  # the header as written: pandas renames a repeated name to "name.1"
    if written is not None and len(written) > MAX_COLUMNS:
        raise EventFileError(path, f"has {len(written):,} columns, more than the {MAX_COLUMNS} allowed")
    table = read_well_formed_csv(data)
    if table is None:
        table = read_any_csv(path, data)
    if written is None or len(written) != len(table.columns):
        written = [str(name) for name in table.columns]
    # Empty header cells (spreadsheets add trailing ones) name columns nobody reads.
    headers = [name.strip().casefold() or f"unnamed: {i}" for i, name in enumerate(written)]
    doubled = sorted({name for name in headers if headers.count(name) > 1})
    if doubled:
        raise EventFileError(path, f"columns appear twice: {', '.join(doubled)}")
    table.columns = headers
    if table.empty:
        raise EventFileError(path, "has a header but no data rows")
    starts, ends, header_end, blank = record_lines(path, data, len(table))
    checks = RowChecks(starts, "line", ends=ends, lines_read=physical_lines(data) - header_end, blank_lines=blank)
    check_field_sizes(checks, table)
    check_merged_records(checks, table)
    return table, checks


def unified_line_breaks(data: bytes) -> bytes:
    """Old Mac line breaks (a lone CR) made LF, which every reader here understands; files
    without a lone CR are returned as they are, without a copy."""
    if b"\r" not in data or not LONE_CR.search(data):
        return data
    return re.sub(rb"\r\n?", b"\n", data)


def physical_lines(data: bytes) -> int:
    """Lines an editor shows (the last one may lack its line break)."""
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def check_field_sizes(checks: RowChecks, table: pd.DataFrame) -> None:
    """Reject rows with a cell longer than a spreadsheet cell holds (see geo.limits)."""
    for name in table.columns:
        values = table[name]
        longest = pyarrow.compute.max(pyarrow.compute.binary_length(pyarrow.array(values))).as_py()
        if (longest or 0) <= MAX_FIELD_CHARS:
            continue  # no cell has more bytes, so none has more characters: the common case, 10x quicker
        too_long = (values.str.len() > MAX_FIELD_CHARS).to_numpy(dtype=bool, na_value=False)
        if too_long.any():
            shown = values.str.slice(0, 60) + "…"
            reason = f"is longer than {MAX_FIELD_CHARS:,} characters, the most a spreadsheet cell holds"
            checks.add(too_long, name, shown, reason)


def check_merged_records(checks: RowChecks, table: pd.DataFrame) -> None:
    """Reject records that span lines because a quote was left open: a line break in a column
    that allows none, or continuation lines that hold as many fields as a record."""
    if checks.ends is None:
        return
    spanning = np.flatnonzero(checks.ends > checks.rows)
    if not len(spanning):
        return
    width = len(table.columns)
    subset = table.iloc[spanning]
    for name in table.columns:
        values = subset[name].astype(str)
        broken = values.str.contains("\n", regex=False)
        if name in MULTILINE_COLUMNS:
            broken &= values.map(
                lambda text: any(len(next(csv.reader([line]), [])) >= width for line in text.splitlines()[1:])
            )
        if not broken.any():
            continue
        mask = np.zeros(len(table), dtype=bool)
        mask[spanning[broken.to_numpy()]] = True
        first, last = pd.Series(checks.rows).astype(str), pd.Series(checks.ends).astype(str)
        reasons = (
            "spans lines "
            + first
            + "-"
            + last
            + ': a quote left open (a stray ") has probably merged '
            + (pd.Series(checks.ends - checks.rows + 1)).astype(str)
            + " lines into one record; fix the quoting"
        )
        reasons.index = table.index
        shown = table[name].astype(str).str.slice(0, 60)
        checks.add(mask, name, shown, reasons, unreadable=True)


def read_any_csv(path: Path, data: bytes) -> pd.DataFrame:
    """All cells as strings through pandas, which pads short records; long ones are refused."""
    try:
        with warnings.catch_warnings():
            # pandas only warns (and drops cells) when the first data row is too long
            warnings.simplefilter("error", pd.errors.ParserWarning)
            options = {"dtype": str, "keep_default_na": False, "na_filter": False, "index_col": False}
            return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **options).fillna("")  # padded cells
    except pd.errors.EmptyDataError as exc:
        raise EventFileError(path, "file is empty") from exc
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        text = data.decode("utf-8-sig")
        if "EOF inside string" in str(exc):
            reason = f"the quote opened in the record on line {last_record_line(text)} is never closed"
        else:
            reason = first_long_record(text) or str(exc)
        raise EventFileError(path, f"is not a well-formed CSV file: {reason}") from exc


def first_record(data: bytes) -> list[str] | None:
    """The first CSV record (the header) as written, blank lines before it skipped as every
    reader here skips them, or None when there is none to read."""
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    try:
        return next(fields for fields in reader if not is_blank(fields))
    except (StopIteration, csv.Error):
        return None


def read_well_formed_csv(data: bytes) -> pd.DataFrame | None:
    """All cells as strings through pyarrow's multi-threaded reader (3x faster than pandas on
    a million rows), or None when a record is short or long or a quote is left open: pandas
    then reads the file, padding short records as before, and the rest get its messages."""
    if data.count(b'"') % 2:  # quotes come in pairs in well-formed CSV; pyarrow accepts one open at the end
        return None
    header = first_record(data)
    if header is None:
        return None
    try:
        table = pyarrow.csv.read_csv(
            io.BytesIO(data),
            parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True),
            convert_options=pyarrow.csv.ConvertOptions(
                column_types=dict.fromkeys(header, pyarrow.large_string()),  # what pandas stores: no cast
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pyarrow.ArrowInvalid:
        return None
    # One chunk per column, made a column at a time: the reader's 1 MB blocks would make
    # every later filter (a take over dozens of chunks) several times slower.
    names, columns = table.column_names, []
    while table.num_columns:
        columns.append(table.column(0).combine_chunks())
        table = table.remove_column(0)
    whole = pyarrow.Table.from_arrays(columns, names=names)
    return whole.to_pandas(types_mapper={pyarrow.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)


def first_long_record(text: str) -> str:
    """Where the first record with more fields than the header starts, for the message."""
    reader = csv.reader(io.StringIO(text))
    width = None
    previous_end = 0
    for fields in reader:
        if width is None and fields:
            width = len(fields)
        elif width is not None and len(fields) > width:
            return f"line {previous_end + 1} has {len(fields)} fields, the header {width}; check commas and quoting"
        previous_end = reader.line_num
    return ""


def last_record_line(text: str) -> int:
    """Line on which the last record starts (where an unclosed quote swallows the rest)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = previous_end = 0
    for fields in reader:
        if fields:
            start = previous_end + 1
        previous_end = reader.line_num
    return start


def is_blank(fields: list[str]) -> bool:
    """A line pandas skips as blank: nothing, or one unquoted run of spaces."""
    return not fields or (len(fields) == 1 and not fields[0].strip())


def record_lines(path: Path, data: bytes, records: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """First and last line of each data record, the header's last line, and the blank lines
    between records (header = line 1).

    The common case of one record per line is counted without parsing; files
    with blank lines or multi-line quoted fields are walked with the csv module.
    """
    end = len(data)
    while end and data[end - 1] in b"\r\n":  # no rstrip(): a copy of the whole file at the import's peak
        end -= 1
    one_per_line = data.count(b"\n", 0, end) == records
    if one_per_line and data.find(b"\n\n", 0, end) < 0 and data.find(b"\n\r\n", 0, end) < 0:
        starts = np.arange(2, records + 2)
        trailing_blank = max(data.count(b"\n", end) - 1, 0)
        return starts, starts, 1, trailing_blank
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    starts: list[int] = []
    ends: list[int] = []
    blank = 0
    previous_end = 0
    for fields in reader:
        if is_blank(fields):
            blank += bool(starts)  # blank lines before the header are not read as data
        else:
            starts.append(previous_end + 1)
            ends.append(reader.line_num)
        previous_end = reader.line_num
    if len(starts) != records + 1:
        raise EventFileError(path, "records could not be matched to lines; check quoting")
    return np.asarray(starts[1:]), np.asarray(ends[1:]), ends[0], blank
