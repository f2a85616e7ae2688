"""Messages the map posts to the page are outside input: only a well-formed type list passes."""

from __future__ import annotations

import math

import pytest

from ui.maplink import take_map_change


def test_a_legend_change_gives_the_types_in_the_sidebars_order_and_its_number() -> None:
    assert take_map_change({"type": "mcm:filter", "types": ["Riots", "Battles"], "seq": 1764577200123}) == (
        ["Battles", "Riots"],
        1764577200123.0,
    )
    assert take_map_change({"types": None, "seq": 5}) == (None, 5.0)  # every switch on: no type filter


@pytest.mark.parametrize(
    "message",
    [
        None,
        "Battles",
        {"types": ["Battles"]},  # no number
        {"types": ["Battles"], "seq": True},
        {"types": ["Battles"], "seq": math.nan},
        {"types": ["Battles"], "seq": "12"},
        {"types": [], "seq": 1},  # "none" has no sidebar form
        {"types": ["Battles", "<img src=x onerror=alert(1)>"], "seq": 1},
        {"types": "Battles", "seq": 1},
        {"types": [["Battles"]], "seq": 1},
    ],
)
def test_anything_else_is_not_taken(message: object) -> None:
    assert take_map_change(message) is None
