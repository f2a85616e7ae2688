"""Check an event file before it goes on the map: ``python -m geo.validate PATH``.

Prints how many rows were accepted and rejected and why, how the accepted events
fall into states by spatial join with the shipped boundaries, and how often the
file's own admin1 agrees with that join. Exit status 0 when the file loaded
(even with rejected rows), 2 when the file itself is unusable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.eventfile import EventFileError
from geo.events import FORMATS, ImportResult, read_events
from geo.guard import cli_edge

OUTSIDE = "(outside Myanmar)"
SHOWN_PROBLEMS = 50


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo.validate",
        description=(
            "Validate a conflict-event file (ACLED CSV, UCDP GED CSV, GeoJSON points "
            "or a plain CSV with latitude/longitude) and report rejected rows, events "
            "per state and admin1 agreement. Exit 0 if the file loaded, 2 if not."
        ),
    )
    parser.add_argument("path", type=Path, help="event file to check")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="file format; guessed from the extension and header when omitted",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument(
        "--states",
        type=Path,
        help="state polygons (GeoJSON with name and kind); default: the shipped Myanmar states",
    )
    return parser


def _load_states(path: Path | None) -> gpd.GeoDataFrame:
    """Shipped or given state polygons; imported lazily so reading events needs no boundary data."""
    from geo.boundaries import load_states

    return load_states() if path is None else load_states(path)


def _placement(result: ImportResult, states: gpd.GeoDataFrame) -> tuple[dict[str, int], float | None]:
    """Events per state and the share of rows with admin1 whose admin1 matches the join."""
    from geo.enrich import assign_state

    placed = assign_state(result.events, states)
    counts = placed["state"].fillna(OUTSIDE).value_counts()
    by_state = {str(name): int(count) for name, count in counts.items()}
    judged = placed["admin1_agrees"].dropna()
    agreement = float(judged.mean()) if len(judged) else None
    return by_state, agreement


def _text(result: ImportResult, by_state: dict[str, int] | None, agreement: float | None, note: str) -> str:
    lines = [result.report(SHOWN_PROBLEMS)]
    if by_state is None:
        lines.append(f"Events per state: not computed ({note})")
    else:
        lines.append("Events per state (spatial join):")
        width = max((len(name) for name in by_state), default=0)
        lines += [f"  {name:<{width}}  {count}" for name, count in by_state.items()]
        if agreement is None:
            lines.append("admin1 agreement: no accepted rows have admin1")
        else:
            lines.append(f"admin1 agrees with the spatial join for {agreement:.1%} of rows that have admin1")
    return "\n".join(lines)


@cli_edge("python -m geo.validate")
def main(argv: list[str] | None = None) -> int:
    """Run the check; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        result = read_events(args.path, args.format)
    except EventFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    by_state: dict[str, int] | None = None
    agreement: float | None = None
    note = ""
    try:
        states = _load_states(args.states)
    except (ValueError, OSError) as exc:  # BoundaryDataError is a ValueError
        if args.states is not None:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        note = f"state boundaries unavailable: {exc}"
        print(f"warning: {note}", file=sys.stderr)
    else:
        by_state, agreement = _placement(result, states)

    if args.json:
        summary: dict[str, Any] = result.summary_dict()
        summary["by_state"] = by_state
        summary["admin1_agreement"] = agreement
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(_text(result, by_state, agreement, note))
    return 0


if __name__ == "__main__":
    sys.exit(main())
