"""ACLED's coded columns made readable: actor types (``inter1``/``inter2``) and ``interaction``.

ACLED codes each actor's type as a number and the pair as "the lowest joint number" of the
two (ACLED Codebook, "Actor types and interaction codes"; the same table ships as
``acled_interaction_codes`` in ACLED's R package acledR): 1 State forces, 2 Rebel groups,
3 Political militias, 4 Identity militias, 5 Rioters, 6 Protesters, 7 Civilians,
8 External/Other forces; "12" is State forces–Rebel groups, "10" State forces acting alone.
Exports made since ACLED switched to text labels already carry the words; those pass through.
ACLED writes a missing value as the literal text "NA", which :func:`blank_na` empties.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.rowchecks import per_unique

ACTOR_TYPES: dict[str, str] = {
    "1": "State forces",
    "2": "Rebel groups",
    "3": "Political militias",
    "4": "Identity militias",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}
CODED_COLUMNS: tuple[str, ...] = ("inter1", "inter2", "interaction")
"""Read from ACLED files when present; empty for other formats."""
SHAN_PART = re.compile(r"^Shan[\s-]+(?:North|South|East)$", re.IGNORECASE)
"""ACLED splits Shan State into Shan-North, Shan-South and Shan-East in ``admin1``."""


def blank_na(values: pd.Series) -> pd.Series:
    """Text with ACLED's "NA" (and surrounding blanks) turned into ""."""
    return values.where(values.str.strip() != "NA", "")


def _actor_type(code: str) -> str:
    text = code.strip()
    return "" if text in ("", "0") else ACTOR_TYPES.get(text, text)


def _interaction(code: str) -> str:
    text = code.strip()
    if len(text) == 2 and text.isdigit() and text[0] in ACTOR_TYPES:
        first = ACTOR_TYPES[text[0]]
        return f"{first} only" if text[1] == "0" else f"{first}–{ACTOR_TYPES.get(text[1], text[1])}"
    return text


def actor_type_labels(codes: pd.Series) -> pd.Series:
    """inter1/inter2 codes as ACLED's actor-type names; 0 (no actor) and blanks as ""."""
    return per_unique(codes.fillna("").astype(str), lambda distinct: distinct.map(_actor_type)).astype(str)


def interaction_labels(codes: pd.Series) -> pd.Series:
    """interaction codes as "State forces–Rebel groups" or "Protesters only"; text kept."""
    return per_unique(codes.fillna("").astype(str), lambda distinct: distinct.map(_interaction)).astype(str)


def shan_parts(admin1_raw: pd.Series) -> list[str]:
    """The parts of Shan named in ``admin1_raw`` the way ACLED splits it, sorted."""
    names = pd.Series(admin1_raw.dropna().unique(), dtype=object).astype(str)
    return sorted(names[names.str.match(SHAN_PART)], key=str.casefold)
