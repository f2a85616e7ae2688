/* The page's layers kept between page runs.
 *
 * streamlit-folium removes every layer group and runs the script of every group again on
 * each page run, so a filter change used to rebuild the outlines, labels and control areas
 * (and Leaflet redrew all their SVG) though only the events had changed. Here each group
 * comes with a key made from its own script: a group whose key the map already shows stays
 * as it is, a group with a new key is built, and a group whose key is gone is removed.
 *
 * McmKeep.sync(map, parts): ``parts`` is [key, build] pairs in drawing order; ``build()``
 * makes the group, adds it to ``map`` and returns it. Returns {built, kept, removed} counts.
 */
(function (root, factory) {
    const api = factory();
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.McmKeep = api;
    }
})(typeof self !== "undefined" ? self : this, function () {
    "use strict";

    function sync(map, parts) {
        const kept = map._mcmKept || (map._mcmKept = new Map());
        const wanted = new Set(parts.map(([key]) => key));
        let removed = 0, built = 0;
        // Stale groups go first, so a layer's old and new versions are never on the map together.
        for (const [key, group] of kept) {
            if (!wanted.has(key)) {
                map.removeLayer(group);
                kept.delete(key);
                removed++;
            }
        }
        for (const [key, build] of parts) {
            if (!kept.has(key)) {
                kept.set(key, build());
                built++;
            }
        }
        return {built, kept: parts.length - built, removed};
    }

    return {sync};
});
