/* Place names on the live map: more towns as the user zooms in, and no two names overlapping.
 *
 * Candidates come ranked (lower priority number = more important). On every view change
 * the ones in view whose minimum zoom is reached are laid out as text in the labels pane,
 * measured together, and kept greedily in rank order when they do not touch a name already
 * kept. Pure helpers are exported for `node --test`.
 */
(function (root, factory) {
    const api = factory();
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.McmLabels = api;
    }
})(typeof self !== "undefined" ? self : this, function () {
    "use strict";

    const GAP = 3; // pixels kept free around every name
    const DOT = 7; // a town's dot sits left of its name

    /** Candidates shown at ``zoom``, most important first (stable for equal priority). */
    function candidatesAt(labels, zoom) {
        return labels
            .map((label, index) => ({label, index}))
            .filter(({label}) => label.minZoom <= zoom)
            .sort((a, b) => a.label.priority - b.label.priority || a.index - b.index)
            .map(({label}) => label);
    }

    /** The box a name of ``kind`` covers when anchored at (x, y) with text ``width`` × ``height``. */
    function labelBox(kind, x, y, width, height) {
        if (kind === "town") {
            return {left: x - DOT, top: y - height / 2, right: x + 6 + width, bottom: y + height / 2};
        }
        if (kind === "crossing") {
            return {left: x - width / 2, top: y + 6, right: x + width / 2, bottom: y + 6 + height};
        }
        return {left: x - width / 2, top: y - height / 2, right: x + width / 2, bottom: y + height / 2};
    }

    function overlaps(a, b) {
        return a.left < b.right + GAP && b.left < a.right + GAP && a.top < b.bottom + GAP && b.top < a.bottom + GAP;
    }

    /** Indices of ``boxes`` (in priority order) kept by a greedy pass: each that touches none kept before. */
    function keepWithoutOverlap(boxes) {
        const kept = [];
        const keptBoxes = [];
        boxes.forEach((box, index) => {
            if (!keptBoxes.some((other) => overlaps(box, other))) {
                kept.push(index);
                keptBoxes.push(box);
            }
        });
        return kept;
    }

    /** Draw ``labels`` while ``group`` is on its map. */
    function attach(group, labels) {
        const L = self.L;
        const Layer = L.Layer.extend({
            onAdd: function (map) {
                this._container = L.DomUtil.create("div", "mcm-labels");
                map.getPane("mcmLabels").appendChild(this._container);
                map.on("zoomend moveend viewreset resize", this._draw, this);
                map.on("zoomstart", this._hide, this);
                this._draw();
            },
            onRemove: function (map) {
                map.off("zoomend moveend viewreset resize", this._draw, this);
                map.off("zoomstart", this._hide, this);
                this._container.remove();
            },
            _hide: function () {
                this._container.style.visibility = "hidden";
            },
            _draw: function () {
                const map = this._map;
                const container = this._container;
                container.replaceChildren();
                container.style.visibility = "";
                const view = map.getBounds().pad(0.05);
                const shown = candidatesAt(labels, map.getZoom()).filter((label) => view.contains([label.lat, label.lon]));
                const placed = shown.map((label) => {
                    const element = document.createElement("div");
                    element.className = `mcm-label mcm-label-${label.kind}`;
                    element.textContent = label.text;
                    if (label.lang) {
                        element.lang = label.lang;
                    }
                    const point = map.latLngToLayerPoint([label.lat, label.lon]);
                    element.style.left = `${point.x}px`;
                    element.style.top = `${point.y}px`;
                    container.appendChild(element);
                    return {element, point, kind: label.kind};
                });
                // All in the page first, then all measured: one layout, not one per name.
                const boxes = placed.map(({element, point, kind}) =>
                    labelBox(kind, point.x, point.y, element.offsetWidth, element.offsetHeight));
                const kept = new Set(keepWithoutOverlap(boxes));
                placed.forEach(({element}, index) => {
                    if (!kept.has(index)) {
                        element.remove();
                    }
                });
            },
        });
        new Layer().addTo(group);
    }

    return {candidatesAt, labelBox, keepWithoutOverlap, attach};
});
