"""Build geo/data/fronts.geojson: reported-control areas derived from the sample events.

The method is geo.fronts.derive_control_areas (see its module docstring), the same one
the dashboard applies to a user's own ACLED export. Rebuild with
``python geo/data/build_fronts.py`` after the sample events change; the output is
deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from geo.events import read_events  # noqa: E402
from geo.fronts import derive_control_areas  # noqa: E402

SAMPLE_EVENTS = REPO / "geo" / "data" / "sample_events.csv"
OUTPUT = REPO / "geo" / "data" / "fronts.geojson"


def fronts_geojson() -> str:
    result = read_events(SAMPLE_EVENTS)
    if result.rejected:
        raise SystemExit(f"sample events have rejected rows:\n{result.report()}")
    fronts = derive_control_areas(result.events)
    for column in ("valid_from", "valid_to"):
        fronts[column] = fronts[column].dt.strftime("%Y-%m-%d").fillna("")
    document = json.loads(fronts.to_json(drop_id=True, to_wgs84=True))
    for feature in document["features"]:
        feature["geometry"]["coordinates"] = _rounded(feature["geometry"]["coordinates"])
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _rounded(coordinates: list) -> list:
    if coordinates and isinstance(coordinates[0], float):
        return [round(value, 5) for value in coordinates]
    return [_rounded(part) for part in coordinates]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help="GeoJSON file to write")
    out = parser.parse_args(argv).out
    out.write_text(fronts_geojson(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
