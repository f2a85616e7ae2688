"""The GeoParquet import cache: hits skip parsing, changes miss, the report survives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import geo.dataset
from geo.boundaries import Boundaries
from geo.cache import CACHE_ENV, cache_dir
from geo.dataset import SAMPLE_EVENTS, import_events
from geo.eventfile import EventFileError


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    """The shipped sample plus one bad row, so there is a rejected-row report to keep."""
    path = tmp_path / "events.csv"
    lines = SAMPLE_EVENTS.read_text(encoding="utf-8").splitlines()
    bad = lines[1].replace("SAMPLE-0001", "SAMPLE-BAD").replace(",2023-10-27,", ",2023-13-45,")
    path.write_text("\n".join([*lines, bad]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every call that reaches the CSV parser."""
    calls: list[Path] = []
    real = geo.dataset.read_events

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        calls.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(geo.dataset, "read_events", counting)
    return calls


def test_cache_dir_follows_the_environment(cache_folder: Path) -> None:
    assert cache_dir() == cache_folder


def test_second_import_reads_the_cache_and_matches(
    boundaries: Boundaries, cache_folder: Path, events_file: Path, reads: list[Path]
) -> None:
    first = import_events(events_file, boundaries)
    second = import_events(events_file, boundaries)
    assert reads == [events_file]
    assert list(cache_folder.glob("*.parquet"))
    pd.testing.assert_frame_equal(first.events, second.events)
    assert second.events.crs == first.events.crs


def test_rejected_row_report_survives_the_cache(
    boundaries: Boundaries, cache_folder: Path, events_file: Path, reads: list[Path]
) -> None:
    first = import_events(events_file, boundaries)
    second = import_events(events_file, boundaries)
    assert len(reads) == 1
    assert first.rejected, "the fixture's bad date must be reported"
    assert second.rejected == first.rejected
    assert (second.accepted, second.rejected_rows, second.rows_in_file) == (
        first.accepted,
        first.rejected_rows,
        first.rows_in_file,
    )
    assert second.report() == first.report()


def test_changed_file_misses_the_cache(
    boundaries: Boundaries, cache_folder: Path, events_file: Path, reads: list[Path]
) -> None:
    first = import_events(events_file, boundaries)
    lines = events_file.read_text(encoding="utf-8").splitlines()
    events_file.write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")
    second = import_events(events_file, boundaries)
    assert len(reads) == 2
    assert second.accepted == first.accepted - 1
    assert not second.rejected


def test_same_content_under_another_name_is_reported_under_that_name(
    boundaries: Boundaries, cache_folder: Path, events_file: Path, tmp_path: Path, reads: list[Path]
) -> None:
    import_events(events_file, boundaries)
    renamed = tmp_path / "renamed.csv"
    shutil.copy(events_file, renamed)
    result = import_events(renamed, boundaries)
    assert result.path == renamed
    assert set(result.events["source_file"]) == {"renamed.csv"}


def test_other_format_and_disabled_cache_parse_again(
    boundaries: Boundaries, cache_folder: Path, events_file: Path, reads: list[Path]
) -> None:
    import_events(events_file, boundaries)
    import_events(events_file, boundaries, "csv")
    import_events(events_file, boundaries, cache=False)
    assert len(reads) == 3


def test_damaged_entry_counts_as_a_miss(
    boundaries: Boundaries, cache_folder: Path, events_file: Path, reads: list[Path]
) -> None:
    first = import_events(events_file, boundaries)
    for entry in cache_folder.glob("*.parquet"):
        entry.write_bytes(b"not parquet")
    second = import_events(events_file, boundaries)
    assert len(reads) == 2
    pd.testing.assert_frame_equal(first.events, second.events)


def test_missing_file_still_raises(boundaries: Boundaries, cache_folder: Path, tmp_path: Path) -> None:
    with pytest.raises(EventFileError, match="file not found"):
        import_events(tmp_path / "absent.csv", boundaries)
