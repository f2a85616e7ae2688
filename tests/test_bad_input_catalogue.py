"""Every file, name and link of the bad-input catalogue (tests/hostile.py) through every entry
point that reads it: ``python -m geo.validate``, the page's uploads and URL (AppTest) and
``python -m layers.snapshot``. Each must name the problem, count every row, and never crash.

The CLIs are called through their ``main`` (the same edge ``python -m`` runs, tested as a
subprocess in test_validate_cli.py and test_snapshot_cli.py) to keep 80 cases quick.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import validate
from layers import snapshot
from tests.hostile import (
    EVENT_FILES,
    FRONT_FILES,
    LINK_CASES,
    NAME_CASES,
    FileCase,
    LinkCase,
    NameCase,
    physical_data_lines,
)

TIMEOUT_S = 60


def run_cli(
    main: Callable[[list[str]], int], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of a CLI ``main`` (argparse errors exit via SystemExit)."""
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path: Path, case: FileCase) -> Path:
    path = tmp_path / case.name
    path.write_bytes(case.content)
    return path


def assert_no_crash(err: str) -> None:
    assert "Traceback" not in err and "unexpected" not in err, err


@pytest.mark.parametrize("case", EVENT_FILES, ids=lambda case: case.id)
def test_event_file_through_validate_cli(case: FileCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, case)
    status, out, err = run_cli(
        validate.main, [str(path), "--json", *(["--format", case.fmt] if case.fmt else [])], capsys
    )
    assert_no_crash(err)
    if case.error:
        assert status == 2
        assert case.error in err and len(err.strip().splitlines()) == 1, err
        return
    assert status == 0, err
    summary = json.loads(out)
    assert (summary["accepted"], summary["rejected"]) == (case.accepted, case.rejected)
    lines = summary["lines"]
    assert lines["read"] == lines["accepted"] + lines["rejected"] + lines["blank"]
    if lines["unit"] == "line":
        assert lines["read"] == physical_data_lines(case.content)
    else:
        assert lines["read"] == summary["rows"] == len(json.loads(case.content)["features"])
    if case.problem:
        assert any(case.problem in f"{p['field']}: {p['value']!r} {p['reason']}" for p in summary["problems"])


@pytest.mark.parametrize("case", EVENT_FILES, ids=lambda case: case.id)
def test_event_file_through_page_upload(case: FileCase) -> None:
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S).run()
    if case.fmt:
        if case.fmt not in app.selectbox(key="events_format").options:
            pytest.skip("the page offers only known formats")
        app.selectbox(key="events_format").set_value(case.fmt)
    mime = "application/geo+json" if case.name.endswith("json") else "text/csv"
    app.file_uploader(key="events_upload").set_value((case.name, case.content, mime)).run()
    assert not app.exception
    if case.error:
        assert [e.value for e in app.sidebar.error] == ["The events file could not be loaded:"]
        (message,) = [t.value for t in app.sidebar.text]
        assert message.startswith(f"{case.name}: ") and case.error in message
        assert "Traceback" not in message and "/tmp" not in message
        return
    label = f"Import report: {case.name}: {case.accepted:,} accepted, {case.rejected:,} rejected"
    assert label.replace(".", "\\.") in [e.label for e in app.expander] or label in [e.label for e in app.expander]
    report = "\n".join(t.value for t in app.text)
    assert f"accepted {case.accepted}, rejected {case.rejected}" in report
    assert case.problem in report


@pytest.mark.parametrize("case", EVENT_FILES, ids=lambda case: case.id)
def test_event_file_through_snapshot_cli(case: FileCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if case.fmt:
        pytest.skip("the snapshot CLI reads a file in its sniffed format")
    path, out_file = write(tmp_path, case), tmp_path / "map.svg"
    status, _, err = run_cli(
        snapshot.main, ["--out", str(out_file), "--layers", "states,events", "--events", str(path)], capsys
    )
    assert_no_crash(err)
    if case.error:
        assert status == 2 and case.error in err and len(err.splitlines()) == 1, err
        assert not out_file.exists()
        return
    assert status == 0, err
    assert f"accepted {case.accepted}, rejected {case.rejected}" in err.splitlines()[0]
    ElementTree.parse(out_file)  # valid XML whatever the file's text held


@pytest.mark.parametrize("case", FRONT_FILES, ids=lambda case: case.id)
def test_fronts_file_through_page_upload(case: FileCase) -> None:
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S).run()
    app.file_uploader(key="fronts_upload").set_value((case.name, case.content, "application/geo+json")).run()
    assert not app.exception
    if case.error:
        assert [e.value for e in app.sidebar.error] == ["The fronts file could not be loaded:"]
        (message,) = [t.value for t in app.sidebar.text]
        assert message.startswith(f"{case.name}: ") and case.error in message
        return
    assert not app.sidebar.error
    if case.rejected:
        assert [w.value for w in app.warning] == ["Some fronts were rejected:"]
        report = app.text[0].value
        total = case.accepted + case.rejected
        assert (
            report.splitlines()[0]
            == f"{case.name}: {total} features, accepted {case.accepted}, rejected {case.rejected}"
        )
        assert case.problem in report
    else:
        assert "Some fronts were rejected:" not in [w.value for w in app.warning]


@pytest.mark.parametrize("case", FRONT_FILES, ids=lambda case: case.id)
def test_fronts_file_through_snapshot_cli(case: FileCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, out_file = write(tmp_path, case), tmp_path / "map.svg"
    argv = ["--out", str(out_file), "--layers", "fronts", "--asof", "2023-12-01", "--fronts", str(path)]
    status, _, err = run_cli(snapshot.main, argv, capsys)
    assert_no_crash(err)
    if case.error:
        assert status == 2 and case.error in err and len(err.splitlines()) == 1, err
        return
    assert status == 0, err
    if case.rejected:
        assert f"accepted {case.accepted}, rejected {case.rejected}" in err and case.problem in err
    ElementTree.parse(out_file)  # valid XML whatever the names held


@pytest.mark.parametrize("case", NAME_CASES, ids=lambda case: case.id)
def test_hostile_upload_names_are_stored_and_shown_safely(case: NameCase) -> None:
    content = b"date,lat,lng,event_type\n2023-11-13,23.9,97.9,Battles\n"
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S).run()
    app.file_uploader(key="events_upload").set_value((case.name, content, "text/csv")).run()
    if not case.shown:  # refused inside Streamlit; showErrorDetails = "none" keeps details off the page
        assert [e.message.startswith("This app has encountered an error") for e in app.exception] == [True]
        assert "null" not in app.exception[0].message and not app.exception[0].stack_trace
        return
    assert not app.exception
    assert not app.sidebar.error
    (label,) = [e.label for e in app.expander if e.label.startswith("Import report")]
    assert "1 accepted, 0 rejected" in label
    assert case.shown.replace("<", "\\<").replace(">", "\\>").replace("_", "\\_") in label


@pytest.mark.parametrize("case", LINK_CASES, ids=lambda case: case.id)
def test_hostile_link_is_dropped_with_a_notice(case: LinkCase) -> None:
    app = AppTest.from_file("../dashboard.py", default_timeout=TIMEOUT_S)
    for key, value in case.query.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception
    notices = [w.value.replace("\\", "") for w in app.sidebar.warning]  # markdown escapes removed
    assert any(case.notice in notice for notice in notices), notices
    app.run()  # the page has rewritten its URL (and the map reruns it at once): the notice stays
    assert notices == [w.value.replace("\\", "") for w in app.sidebar.warning]
