"""Playback: a play control on the map that steps the time-dependent layers through the period.

Not a layer (it draws nothing and has no legend): the page and the HTML export add its
group beside the layers' groups (:func:`playback_group`).

The control (layers/js/playback.js) runs in the browser: each step dispatches the
``mcm:date`` event (whole days since 1970-01-01: ``{day, start, end}``) that the events
layer, and the control-over-time layer, listen for. No page run per frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import folium
import numpy as np
from jinja2 import Template

from layers.base import MapData, VerbatimScript, safe_json
from layers.events import EPOCH

if TYPE_CHECKING:
    from datetime import date


PLAYBACK_JS = ("mcm-playback", "https://local.invalid/mcm/playback.js")
"""The control's script as an asset name; layers.assets maps it to the local copy of layers/js/playback.js."""


def days_since_epoch(day: date) -> int:
    return int((np.datetime64(day, "D") - EPOCH).astype(int))


class PlaybackControl(VerbatimScript):
    """The play control for the days ``first``..``last``, added to the map with its group."""

    default_js: ClassVar[list[tuple[str, str]]] = [PLAYBACK_JS]
    default_css: ClassVar[list[tuple[str, str]]] = []

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (group) {
            const playback = McmPlayback.control(L, {{ this.period }}[0], {{ this.period }}[1]);
            group.on("add", () => playback.addTo(group._map));
            group.on("remove", () => playback.remove());
            if (group._map) { playback.addTo(group._map); }
            group.playback = playback;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, first: date, last: date) -> None:
        super().__init__()
        self._name = "PlaybackControl"
        if last < first:
            raise ValueError(f"playback ends ({last}) before it starts ({first})")
        self.period = safe_json([days_since_epoch(first), days_since_epoch(last)])


def playback_group(data: MapData) -> folium.FeatureGroup | None:
    """The play control for ``data.period`` in its own group (sent with the layers on each run)."""
    if data.period is None:
        return None
    group = folium.FeatureGroup(name="Playback", control=False)
    PlaybackControl(*data.period).add_to(group)
    return group
