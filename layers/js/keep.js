/* The page's side of the map: its layers kept between page runs, and its view told to the page.
 *
 * streamlit-folium removes every layer group and runs the script of every group again on
 * each page run, so a filter change used to rebuild the outlines, labels and control areas
 * (and Leaflet redrew all their SVG) though only the events had changed. Here each group
 * comes with a key made from its own script: a group whose key the map already shows stays
 * as it is, a group with a new key is built, and a group whose key is gone is removed.
 *
 * McmKeep.sync(map, parts): ``parts`` is [key, build] pairs in drawing order; ``build()``
 * makes the group, adds it to ``map`` and returns it. Returns {built, kept, removed} counts.
 *
 * McmKeep.showView(map, view, request): move the map to a view the page asks for (a shared
 * link's, a "go to place" choice), once per request number.
 *
 * McmKeep.reportView(map): after each pan or zoom, post the view to the page around the map
 * (ui/maplink.py) in the shape streamlit-folium reports it, so the link and the exports follow
 * the map without the map asking for a page run.
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

    /** Move ``map`` to ``view`` ({lat, lon, zoom}) unless request ``request`` was shown already:
     * every page run sends the request again, and must not undo the reader's own panning. */
    function showView(map, view, request) {
        if (map._mcmViewRequest === request) { return false; }
        map._mcmViewRequest = request;
        map.setView([view.lat, view.lon], view.zoom);
        return true;
    }

    /** The view of ``map`` as streamlit-folium reports it: bounds, centre and zoom. */
    function viewOf(map) {
        const bounds = map.getBounds(), centre = map.getCenter();
        return {
            bounds: {_southWest: {lat: bounds.getSouth(), lng: bounds.getWest()},
                _northEast: {lat: bounds.getNorth(), lng: bounds.getEast()}},
            center: {lat: centre.lat, lng: centre.lng},
            zoom: map.getZoom(),
        };
    }

    function reportView(map, win) {
        const here = win || self;
        if (map._mcmReportsView || !here.parent || here.parent === here) { return; }
        map._mcmReportsView = true;
        // Only a new centre or zoom is news: the frame's resize after load keeps both, and would
        // otherwise start a run of the page's exports while the reader begins to work.
        let told = JSON.stringify([map.getCenter(), map.getZoom()]);
        map.on("moveend", () => {
            const now = JSON.stringify([map.getCenter(), map.getZoom()]);
            if (now === told) { return; }
            told = now;
            here.parent.postMessage({type: "mcm:view", view: viewOf(map)}, here.location.origin);
        });
    }

    return {sync, showView, viewOf, reportView};
});
