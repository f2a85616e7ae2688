"""Controller groups: who holds a place, with one legend name and colour each.

Colours are fixed so a group means the same on the live map, the HTML export and the
static exports. Nine groups take Paul Tol's colour-blind-safe "muted" scheme
(https://personal.sron.nl/~pault/, "muted": rose, indigo, sand, green, cyan, wine,
teal, olive, purple); Chinland and PDF/NUG take two colours of his "light" scheme
(orange, pear), and the fallback and the statuses take greys, which carry no hue
meaning (contested is also hatched, so it never relies on colour alone).

Actor names from ACLED (e.g. "MNDAA: Myanmar National Democratic Alliance Army",
"PDF: People's Defense Force - Sagaing") map to a group by their exact alias or by the
abbreviation before the colon; any other name maps to ``other`` and keeps its own
name for display (:func:`controller_label`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ControllerGroup:
    """A controller: ``id`` is what records store, ``name`` what legends show."""

    id: str
    name: str
    colour: str
    aliases: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    """Abbreviations before an ACLED actor name's colon, and name starts, that mean this group."""


GROUPS: tuple[ControllerGroup, ...] = (
    ControllerGroup(
        "sac",
        "Myanmar military (SAC)",
        "#882255",
        aliases=("SAC", "State Administration Council", "Tatmadaw", "junta", "military", "regime"),
        prefixes=("Military Forces of Myanmar", "Police Forces of Myanmar"),
    ),
    ControllerGroup(
        "mndaa", "MNDAA", "#ddcc77", aliases=("Myanmar National Democratic Alliance Army",), prefixes=("MNDAA",)
    ),
    ControllerGroup("tnla", "TNLA", "#117733", aliases=("Ta'ang National Liberation Army",), prefixes=("TNLA",)),
    ControllerGroup(
        "aa", "Arakan Army (AA)", "#332288", aliases=("Arakan Army", "United League of Arakan"), prefixes=("AA", "ULA")
    ),
    ControllerGroup(
        "kia",
        "KIA",
        "#88ccee",
        aliases=("Kachin Independence Army", "Kachin Independence Organization"),
        prefixes=("KIA", "KIO"),
    ),
    ControllerGroup(
        "uwsa", "UWSA", "#999933", aliases=("United Wa State Army", "United Wa State Party"), prefixes=("UWSA", "UWSP")
    ),
    ControllerGroup(
        "sspp",
        "SSPP/SSA-N",
        "#44aa99",
        aliases=("Shan State Progress Party", "Shan State Army-North"),
        prefixes=("SSPP", "SSPP/SSA-N"),
    ),
    ControllerGroup(
        "rcss",
        "RCSS/SSA-S",
        "#aa4499",
        aliases=("Restoration Council of Shan State", "Shan State Army-South"),
        prefixes=("RCSS", "RCSS/SSA-S"),
    ),
    ControllerGroup(
        "cnf", "CNF/CNA", "#cc6677", aliases=("Chin National Front", "Chin National Army"), prefixes=("CNF", "CNA")
    ),
    ControllerGroup(
        "chinland",
        "Chinland Council and allied Chin forces",
        "#ee8866",
        aliases=("Chinland Council", "Chinland Defense Force", "Chinland Defence Force"),
        prefixes=("CDF", "Chinland Defense Force", "Chinland Defence Force"),
    ),
    ControllerGroup(
        "pdf",
        "PDF/NUG",
        "#bbcc33",
        aliases=("People's Defense Force", "People's Defence Force", "National Unity Government"),
        prefixes=("PDF", "NUG"),
    ),
    ControllerGroup("other", "Other armed group", "#555555"),
)
STATUSES: tuple[ControllerGroup, ...] = (
    ControllerGroup("contested", "Contested", "#bbbbbb"),
    ControllerGroup("unknown", "Unknown", "#dddddd"),
)
BY_ID: dict[str, ControllerGroup] = {group.id: group for group in GROUPS + STATUSES}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


_ALIASES: dict[str, str] = {
    _key(alias): group.id for group in GROUPS for alias in (group.id, group.name, *group.aliases)
} | {_key(status.id): status.id for status in STATUSES}
_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(((_key(prefix), group.id) for group in GROUPS for prefix in group.prefixes), key=lambda item: -len(item[0]))
)


def group_id(actor: str) -> str:
    """The controller group an actor name belongs to; ``other`` when none matches.

    "MNDAA: Myanmar National Democratic Alliance Army" -> "mndaa" (abbreviation before the
    colon); "Military Forces of Myanmar (2021-)" -> "sac" (name start); "mndaa" -> "mndaa".
    """
    key = _key(actor)
    if key in _ALIASES:
        return _ALIASES[key]
    head = key.split(":", 1)[0].strip()
    if head in _ALIASES:
        return _ALIASES[head]
    for prefix, found in _PREFIXES:
        if head == prefix or re.match(re.escape(prefix) + r"\b", key):
            return found
    return "other"


def controller_group(controller: str) -> ControllerGroup:
    """The group (with colour and legend name) of a stored controller value."""
    return BY_ID[group_id(controller)]


def controller_label(controller: str) -> str:
    """What a reader sees: the group's legend name, or the actor's own name for ``other``."""
    group = controller_group(controller)
    return controller.strip() if group.id == "other" and controller.strip() else group.name
