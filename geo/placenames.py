"""Names of the shipped states and regions in Burmese (geo/data/state_names.csv, from MIMU place codes)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
MYANMAR_SCRIPT = range(0x1000, 0x10A0)


class PlaceNamesError(ValueError):
    """The state names file is missing a column or holds a row that cannot be a Burmese name."""


@cache
def load_state_names(path: Path = DATA_DIR / "state_names.csv") -> dict[str, str]:
    """English state or region name -> Burmese name; a bad row fails naming file, row and field."""
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        missing = {"name_en", "name_my"} - set(reader.fieldnames or ())
        if missing:
            raise PlaceNamesError(f"{path}: missing columns {sorted(missing)}")
        names = {}
        for line, row in enumerate(reader, start=2):
            english, burmese = (row["name_en"] or "").strip(), (row["name_my"] or "").strip()
            if not english:
                raise PlaceNamesError(f"{path}, row {line}, field name_en: empty")
            if not burmese or not any(ord(char) in MYANMAR_SCRIPT for char in burmese):
                raise PlaceNamesError(f"{path}, row {line}, field name_my: {burmese!r} is not in Myanmar script")
            names[english] = burmese
    return names
