"""Build geo/data/state_names.csv: the Burmese name of each shipped state and region, from MIMU place codes.

Why a script: the map's Burmese labels must come from a cited source, never be typed in. MIMU's place codes
(PyPI ``mm-geo-coder``, the same source as the gazetteer) give every ward its state's English and Burmese
name. MIMU splits Shan (North/South/East) and Bago (East/West); the shipped outline has one Shan and one Bago,
so the part in brackets is dropped from both names (in Burmese it is the bracketed direction too), and the
parts must then agree on one name.

Run: ``python geo/data/build_state_names.py`` (``--out DIR`` writes elsewhere).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
from importlib import metadata, resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "geo" / "data"
SOURCE_PACKAGE = "mm-geo-coder"
SOURCE_DB = "database/mimu_geo_data_public.db"
PART = re.compile(r"\s*\([^)]*\)$")


def mimu_state_names() -> list[tuple[str, str]]:
    """Distinct (English, Burmese) state names of MIMU's wards and villages."""
    database = resources.files("mm_geo_coder").joinpath(SOURCE_DB)
    with resources.as_file(database) as path, sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(
            "SELECT DISTINCT state_eng, state_mmr FROM wards UNION SELECT DISTINCT state_eng, state_mmr FROM villages"
        ).fetchall()


def state_names(shipped: list[str]) -> list[dict[str, str]]:
    """One row per shipped state: its Burmese name, with the MIMU parts it was merged from."""
    merged: dict[str, set[str]] = {}
    parts: dict[str, set[str]] = {}
    for english, burmese in mimu_state_names():
        whole = PART.sub("", english)
        merged.setdefault(whole, set()).add(PART.sub("", burmese))
        parts.setdefault(whole, set()).add(english)
    rows = []
    for name in shipped:
        if name not in merged:
            raise SystemExit(f"state {name!r} of myanmar_states.geojson has no MIMU name")
        if len(merged[name]) != 1:
            raise SystemExit(f"MIMU's parts of {name} disagree on a Burmese name: {sorted(merged[name])}")
        rows.append(
            {
                "name_en": name,
                "name_my": merged[name].pop(),
                "mimu_states": "; ".join(sorted(parts[name])),
                "source": f"MIMU place codes 9.6 via {SOURCE_PACKAGE} {metadata.version(SOURCE_PACKAGE)}",
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder to write state_names.csv into")
    args = parser.parse_args()
    states = json.loads((DATA_DIR / "myanmar_states.geojson").read_text(encoding="utf-8"))
    shipped = sorted(feature["properties"]["name"] for feature in states["features"])
    rows = state_names(shipped)
    with (args.out / "state_names.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} states to {args.out / 'state_names.csv'}")


if __name__ == "__main__":
    main()
