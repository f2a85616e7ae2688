// Control of towns and townships over time, in the map's document. Every place with a record
// arrives once with its timeline: [day, style index, tooltip, state] rows, oldest first, days
// counted from 1970-01-01 (UTC). On each playback step (the "mcm:date" event, detail.day) each
// place takes the style of the row in force that day; before its first row it is hidden and
// lets the pointer through. With a "since" day, a place whose state (controller|status)
// differs from that day's is outlined. Pure functions are exported for `node --test`.
(function (root, factory) {
    const api = factory();
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.McmControl = api;
    }
})(typeof self !== "undefined" ? self : this, function () {
    "use strict";

    const HIDDEN = {opacity: 0, fillOpacity: 0};

    /** The timeline row in force on ``day`` (the last one not after it), or null before the first. */
    function entryOn(entries, day) {
        let found = null;
        for (const entry of entries) {
            if (entry[0] > day) { break; }
            found = entry;
        }
        return found;
    }

    /** A place's style and tooltip on ``day``; outlined when its state differs from that on ``since``. */
    function placeOn(properties, styles, since, day) {
        const entry = entryOn(properties.entries, day);
        if (!entry) { return {style: HIDDEN, label: ""}; }
        const before = since === null ? null : entryOn(properties.entries, since);
        const changed = since !== null && since < day && (!before || before[3] !== entry[3]);
        return {style: Object.assign({}, styles[entry[1]], changed ? properties.outline : {}), label: entry[2]};
    }

    /** Draw the places on ``parent`` (a Leaflet group) and follow the page's playback steps. */
    function show(L, parent, data, styles, since) {
        const layers = [];
        const restyle = (layer, shown) => {
            layer.setStyle(shown.style);
            layer.label = shown.label;
            const element = layer.getElement && layer.getElement();
            if (element) { element.style.pointerEvents = shown.label ? "" : "none"; }
        };
        // Townships with the other data areas, above the state fills (whose tint would otherwise
        // mix into the controller's colour); towns with the points (layers.base.PANES).
        L.geoJson(data, {
            pane: "mcmOverlays",
            style: (feature) => feature.properties.style,
            pointToLayer: (feature, latlng) => L.circleMarker(latlng, Object.assign({pane: "mcmPoints"}, feature.properties.style)),
            onEachFeature: (feature, layer) => {
                layer.bindTooltip(() => {
                    const text = document.createElement("span");
                    text.textContent = layer.label;
                    return text;
                }, {sticky: true});
                layers.push(layer);
            },
        }).addTo(parent);
        layers.forEach((layer) => {
            const properties = layer.feature.properties;
            restyle(layer, {style: properties.style, label: properties.label});
        });
        // A page run draws the layer again: the previous run's listener goes with its shapes.
        if (window.mcmControlStep) { document.removeEventListener("mcm:date", window.mcmControlStep); }
        window.mcmControlStep = (event) => {
            for (const layer of layers) { restyle(layer, placeOn(layer.feature.properties, styles, since, event.detail.day)); }
        };
        document.addEventListener("mcm:date", window.mcmControlStep);
    }

    return {HIDDEN, entryOn, placeOn, show};
});
