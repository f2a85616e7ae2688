"""Who held each town and township on the "as of" date, in each controller's fixed colour.

Townships are filled in their controller's colour, paler when the control is only
claimed; contested places are hatched; towns are circles in the controller's colour.
Places whose control changed since the "changes since" date get a thick black outline.
"""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING, ClassVar

import folium
import shapely
from jinja2 import Template
from matplotlib.colors import to_hex, to_rgba

from geo.control import ControlMap, ControlRecord, PlaceTimeline, in_force_on
from geo.controllers import BY_ID, GROUPS
from geo.derive_control import DERIVED_EDITOR
from layers.base import LegendEntry, MapData, MapLayer, VerbatimScript, safe_json
from layers.geojson import PublishableJson

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes


FILL_OPACITY = 1.0
CLAIMED_TINT = 0.4
"""A claimed place's fill: this share of its controller's colour, the rest white (opaque, so the
states' own fill underneath cannot tint it into another group's colour)."""
CHANGED_OUTLINE = "#000000"
HATCH_PREFIX = "mcm-hatch-"


DERIVED_CREDIT = "; territory changes in the loaded events file, each place at the nearest town (derived)"


class HatchPatterns(VerbatimScript):
    """SVG stripe patterns, one per controller colour, that contested areas use as their fill.

    Leaflet writes ``fillColor`` into the path's ``fill`` attribute, so ``url(#id)``
    fills with a pattern defined anywhere in the map's document.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (colours) {
            if (document.getElementById("mcm-hatch-defs")) { return; }
            const ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
            svg.setAttribute("id", "mcm-hatch-defs");
            svg.setAttribute("width", "0");
            svg.setAttribute("height", "0");
            svg.style.position = "absolute";
            const defs = document.createElementNS(ns, "defs");
            for (const [id, colour] of Object.entries(colours)) {
                const pattern = document.createElementNS(ns, "pattern");
                pattern.setAttribute("id", id);
                pattern.setAttribute("patternUnits", "userSpaceOnUse");
                pattern.setAttribute("width", "8");
                pattern.setAttribute("height", "8");
                pattern.setAttribute("patternTransform", "rotate(45)");
                const stripe = document.createElementNS(ns, "rect");
                stripe.setAttribute("width", "3");
                stripe.setAttribute("height", "8");
                stripe.setAttribute("fill", colour);
                pattern.appendChild(stripe);
                defs.appendChild(pattern);
            }
            svg.appendChild(defs);
            document.body.appendChild(svg);
        })({{ this.colours_json }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "HatchPatterns"
        self.colours_json = safe_json({HATCH_PREFIX + group.id: group.colour for group in BY_ID.values()})


def _colour(group: str) -> str:
    return BY_ID[group].colour


def _fill(group: str, confidence: str) -> str:
    """The controller's colour, or for claimed control the same hue mixed with white."""
    if confidence != "claimed":
        return _colour(group)
    red, green, blue, _ = to_rgba(_colour(group))
    return to_hex([CLAIMED_TINT * part + (1 - CLAIMED_TINT) for part in (red, green, blue)])


def _tooltip(row: object, kind: str) -> str:
    """One line on hover. No popup: a popup's click would stop at the place and never reach the
    events drawn over it, whose own popups open from the map's click."""
    changed = "; changed since the comparison date" if row.changed else ""
    source = str(row.source).split("; ")[0]
    held = f"{row.label}, {row.status}, {row.confidence}, since {row.since}"
    return f"{row.name} ({kind} {row.pcode}): {held}{changed}. {source}"


HIDDEN = {"opacity": 0, "fillOpacity": 0}
CHANGED_AREA = {"color": CHANGED_OUTLINE, "weight": 3.5}
CHANGED_TOWN = {"color": CHANGED_OUTLINE, "weight": 3, "radius": 8}
EPOCH_DAY = date(1970, 1, 1)


def _day(day: date) -> int:
    """Whole days since 1970-01-01, the timeline contract's unit."""
    return (day - EPOCH_DAY).days


def _state(record: ControlRecord) -> str:
    """What "changed" compares: controller and status."""
    return f"{record.controller}|{record.status}"


def place_key(place: PlaceTimeline) -> tuple[str, str]:
    return (place.kind, place.pcode)


def _row(place: PlaceTimeline, record: ControlRecord, changed: bool = False) -> SimpleNamespace:
    """A place's control from one record, in the shape the style and tooltip functions read."""
    return SimpleNamespace(
        name=place.name,
        pcode=place.pcode,
        label=record.label,
        group=record.group,
        status=record.status,
        confidence=record.confidence,
        since=record.valid_from.isoformat(),
        source=record.source_text(),
        changed=changed,
    )


class ControlPlaces(PublishableJson):
    """Every place with a record, styled as of the page's date; on each playback step (the
    ``mcm:date`` event) each is restyled from its own timeline, with no page rerun
    (``layers/js/control.js``, served locally). On the page the places travel once per
    content (:func:`layers.geojson.publish_features`)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (show) {
            {% if this.data_url %}
            McmFeatures.load({{ this.data_url }}, show);
            {% else %}
            show({{ this.data_json }});
            {% endif %}
        })((data) => McmControl.show(L, {{ this._parent.get_name() }}, data, {{ this.styles_json }},
            {{ this.since_day }}));
        {% endmacro %}
        """
    )
    default_js: ClassVar[list[tuple[str, str]]] = [("mcm-control", "layers/js/control.js")]

    def __init__(self, data_json: str, styles_json: str, since_day: str) -> None:
        super().__init__(data_json)
        self._name = "ControlPlaces"
        self.styles_json, self.since_day = styles_json, since_day


class ControlLayer(MapLayer):
    """Control per township (areas) and town (circles) as of the chosen date.

    Options
    -------
    town_radius : town circle radius in pixels.
    """

    id = "control"
    title = "Control (as of date)"
    z_order = 45
    legend = tuple(LegendEntry(group.name, group.colour, "area") for group in GROUPS)
    asset_elements = (ControlPlaces,)
    attribution = "Control: cited control history (geo/data/control_history.csv) and analysts' edits, per record"

    def credits(self, data: MapData) -> tuple[str, ...]:
        """The cited history and analysts' edits, and the loaded events file when control drawn
        comes from its territory-change events (:mod:`geo.derive_control`)."""
        control = data.control
        derived = control is not None and any(
            (frame["editor"] == DERIVED_EDITOR).any() for frame in (control.towns, control.townships)
        )
        return (self.attribution + (DERIVED_CREDIT if derived else ""),)

    def __init__(self, town_radius: int = 6) -> None:
        self.town_radius = town_radius
        self._built: tuple[ControlMap, tuple[str, str, str]] | None = None  # the last map's JSON: reruns reuse it

    def legend_entries(self, data: MapData) -> tuple[LegendEntry, ...]:
        """Only the groups shown, then the styles that occur (claimed, contested, changed)."""
        control = data.control
        if control is None:
            return ()
        frames = [frame for frame in (control.townships, control.towns) if not frame.empty]
        if not frames:
            return ()
        shown = {group for frame in frames for group in frame["group"]}
        entries = [
            LegendEntry(self._group_label(group.id, frames), group.colour, "area")
            for group in BY_ID.values()
            if group.id in shown
        ]
        statuses = {status for frame in frames for status in frame["status"]}
        if "contested" in statuses:
            entries.append(LegendEntry("Contested: hatched", _colour("contested"), "area"))
        if any((frame["confidence"] == "claimed").any() for frame in frames):
            entries.append(LegendEntry("Claimed, not assessed: paler", _colour("unknown"), "area"))
        if any(frame["changed"].any() for frame in frames) and control.since is not None:
            entries.append(LegendEntry(f"Changed since {control.since.isoformat()}", CHANGED_OUTLINE, "line"))
        return tuple(entries)

    @staticmethod
    def _group_label(group_id: str, frames: list[gpd.GeoDataFrame]) -> str:
        """The group's legend name; for ``other``, the groups' own names too."""
        if group_id != "other":
            return BY_ID[group_id].name
        names = sorted({label for frame in frames for label in frame.loc[frame["group"] == "other", "label"]})
        return f"{BY_ID['other'].name}: {', '.join(names)}"

    def add_to_group(self, group: folium.FeatureGroup, data: MapData) -> None:
        control = data.control
        if control is None or not control.timeline:
            return
        HatchPatterns().add_to(group)
        if self._built is None or self._built[0] is not control:
            self._built = (control, self._timeline_json(control))
        ControlPlaces(*self._built[1]).add_to(group)

    def _timeline_json(self, control: ControlMap) -> tuple[str, str, str]:
        """Features (townships first, towns on top) with their style on ``as_of`` and their timeline
        as [day, style index, tooltip, state] rows; the distinct styles; the since day (or null)."""
        styles: dict[str, int] = {}

        def style_index(style: dict[str, object]) -> int:
            return styles.setdefault(json.dumps(style, sort_keys=True), len(styles))

        changed = {(row.kind, row.pcode) for row in control.changes}
        features = []
        for place in sorted(control.timeline, key=lambda place: place.kind != "township"):
            draw = self._area_style if place.kind == "township" else self._town_style
            rows = [_row(place, record) for record in place.entries]
            now = in_force_on(place.entries, control.as_of)
            current = None if now is None else _row(place, now, changed=place_key(place) in changed)
            features.append(
                {
                    "type": "Feature",
                    "geometry": shapely.geometry.mapping(place.geometry),
                    "properties": {
                        "style": HIDDEN if current is None else draw(current),
                        "label": "" if current is None else _tooltip(current, place.kind),
                        "outline": CHANGED_TOWN if place.kind == "town" else CHANGED_AREA,
                        "entries": [
                            [_day(record.valid_from), style_index(draw(row)), _tooltip(row, place.kind), _state(record)]
                            for record, row in zip(place.entries, rows, strict=True)
                        ],
                    },
                }
            )
        style_list = [json.loads(style) for style in styles]
        since = "null" if control.since is None else str(_day(control.since))
        return safe_json({"type": "FeatureCollection", "features": features}), safe_json(style_list), since

    @staticmethod
    def _area_style(row: object) -> dict[str, object]:
        colour = _colour(row.group)
        fill = f"url(#{HATCH_PREFIX}{row.group})" if row.status == "contested" else _fill(row.group, row.confidence)
        outline = CHANGED_AREA if row.changed else {"color": colour, "weight": 1}
        return {"opacity": 1.0, **outline, "fillColor": fill, "fillOpacity": FILL_OPACITY}

    def _town_style(self, row: object) -> dict[str, object]:
        style = {
            "opacity": 1.0,
            "radius": self.town_radius,
            "color": "#222222",
            "weight": 1,
            "dashArray": "3 2" if row.status == "contested" else None,
            "fillColor": _fill(row.group, row.confidence),
            "fillOpacity": 1.0,
        }
        return {**style, **CHANGED_TOWN} if row.changed else style

    def draw_static(self, ax: Axes, data: MapData) -> None:
        control: ControlMap | None = data.control
        if control is None:
            return
        for row in control.townships.itertuples():
            colour = _colour(row.group)
            contested = row.status == "contested"
            shape = control.townships.loc[[row.Index]]
            shape.plot(
                ax=ax,
                facecolor="white" if contested else to_rgba(_fill(row.group, row.confidence), FILL_OPACITY),
                edgecolor=colour,
                hatch="////" if contested else None,
                linewidth=0.6,
                zorder=self.z_order,
            )
            if row.changed:
                shape.boundary.plot(ax=ax, color=CHANGED_OUTLINE, linewidth=2, zorder=self.z_order + 1)
        towns = control.towns
        if towns.empty:
            return
        ax.scatter(
            towns.geometry.x,
            towns.geometry.y,
            s=[(self.town_radius + (2 if changed else 0)) ** 2 * 1.5 for changed in towns["changed"]],
            c=[_fill(group, confidence) for group, confidence in zip(towns["group"], towns["confidence"], strict=True)],
            edgecolors=[CHANGED_OUTLINE if changed else "#222222" for changed in towns["changed"]],
            linewidths=[2.2 if changed else 0.6 for changed in towns["changed"]],
            zorder=self.z_order + 2,
        )


LAYER = ControlLayer()
