/* Vector features published once per content (layers/geojson.py publish_features) and
 * fetched once per page: every later page run names the same address and is served from
 * memory, so a filter change no longer re-sends megabytes of outlines.
 *
 * McmFeatures.load(url, use) calls ``use(data)`` with the parsed FeatureCollection: at once
 * when it is already here, else when the fetch completes. Callers must not change ``data``.
 */
(function (root, factory) {
    const api = factory(typeof fetch === "function" ? fetch.bind(root) : null);
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.McmFeatures = api;
    }
})(typeof self !== "undefined" ? self : this, function (defaultFetch) {
    "use strict";

    /** A loader with its own memory; ``fetcher`` is fetch (tests give their own). */
    function loader(fetcher) {
        const loaded = new Map(), pending = new Map();

        function load(url, use) {
            if (loaded.has(url)) {
                use(loaded.get(url));
                return;
            }
            if (!pending.has(url)) {
                pending.set(
                    url,
                    fetcher(url)
                        .then((response) => {
                            if (!response.ok) { throw new Error(`${url}: HTTP ${response.status}`); }
                            return response.json();
                        })
                        .then((data) => {
                            loaded.set(url, data);
                            return data;
                        })
                        .finally(() => pending.delete(url)),
                );
            }
            pending.get(url).then(use, (error) => console.error("map features not loaded:", error));
        }

        return {load, cached: (url) => loaded.has(url)};
    }

    const shared = defaultFetch ? loader(defaultFetch) : null;
    return {loader, load: (url, use) => shared.load(url, use)};
});
