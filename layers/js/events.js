// Conflict events on one canvas, drawn from packed columns that reach the browser once.
//
// The page sends the columns of a data set once (a content-keyed file under /app/static/events/,
// or inline in an exported HTML file); every later page run sends only the filter, and this
// script computes the view from the columns it already holds. Pure logic (decoding, filtering,
// binning by time step, hit-testing, popup fields) is exported for `node --test`; the Leaflet
// layer is built only in a browser. Event text only ever reaches the page as DOM text nodes.
(function (root, factory) {
    const api = factory();
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.McmEvents = api;
    }
})(typeof self !== "undefined" ? self : this, function () {
    "use strict";

    const CODED = ["subType", "actor1", "actor2", "assoc1", "assoc2", "location", "admin3", "admin2", "admin1",
        "state", "placement", "source", "interaction", "admin1Raw"];
    const KINDS = {uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array};
    const DAY_MS = 86400000;
    const NOTES_FOLDED_ABOVE = 280;

    /** A packed column ({data: base64 little-endian, type}) as a typed array. */
    function column(packed) {
        const raw = atob(packed.data);
        const bytes = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
        return new KINDS[packed.type](bytes.buffer);
    }

    /** Web Mercator position in [0, 1) of the world (Leaflet's EPSG:3857 at scale 1). */
    function mercatorX(lon) { return (lon + 180) / 360; }
    function mercatorY(lat) {
        const clamped = Math.max(Math.min(lat, 85.0511287798), -85.0511287798) * Math.PI / 180;
        return 0.5 - Math.log(Math.tan(Math.PI / 4 + clamped / 2)) / (2 * Math.PI);
    }

    function radiusFor(fatalities) { return Math.round(Math.min(4 + 1.5 * Math.sqrt(fatalities), 20)); }

    /** Fill opacity and outline width for ``count`` markers drawn at once: thousands of markers
     * at full opacity with dark outlines merge into black blobs where fighting is dense, so both
     * fade as the crowd grows (unchanged up to 1,000; outlines gone and fills at 45% by 100,000).
     * Rings (approximate positions) lose their dark edge and thin the same way. */
    function densityStyle(count, opacity) {
        const crowd = count <= 1000 ? 0 : Math.min(Math.log10(count / 1000) / 2, 1);
        return {
            alpha: opacity * (1 - 0.55 * crowd),
            outline: 0.6 * (1 - crowd),
            ringEdge: 3 * (1 - crowd),
            ringWidth: 1.8 - 0.8 * crowd,
        };
    }

    /** Above this many events in view the canvas is painted pixel by pixel (:func:`stamp`):
     * Chromium's software canvas rasterises anti-aliased vector circles at about 10 ms per
     * thousand when the frame is painted (100,000: half a second, 10,000: 0.1 s), while a
     * stamped frame of any size is painted within two frames. */
    const STAMP_ABOVE = 3000;

    /** The pixels of a disc (``ring`` 0) or of a ring ``ring`` pixels wide, radius ``radius``:
     * {dx, dy} offsets from the centre pixel. */
    function stampShape(radius, ring) {
        const dx = [], dy = [], outer = (radius + 0.5) ** 2, inner = ring > 0 ? Math.max(radius - ring + 0.5, 0) ** 2 : -1;
        for (let y = -radius; y <= radius; y++) {
            for (let x = -radius; x <= radius; x++) {
                const d = x * x + y * y;
                if (d <= outer && d > inner) { dx.push(x); dy.push(y); }
            }
        }
        return {radius, dx: Int16Array.from(dx), dy: Int16Array.from(dy)};
    }

    /** Paint ``shape`` at pixel (x, y) of ``pixels`` (a width x height RGBA buffer as 32-bit
     * words) in ``colour`` (a word in the buffer's byte order), opaque: the canvas itself is
     * made translucent, so crowded events do not have to be blended one by one. */
    function stamp(pixels, width, height, x, y, shape, colour) {
        const {radius, dx, dy} = shape;
        if (x >= radius && y >= radius && x + radius < width && y + radius < height) {
            const centre = y * width + x;
            for (let k = 0; k < dx.length; k++) { pixels[centre + dy[k] * width + dx[k]] = colour; }
            return;
        }
        for (let k = 0; k < dx.length; k++) {  // near an edge: pixel by pixel
            const px = x + dx[k], py = y + dy[k];
            if (px >= 0 && py >= 0 && px < width && py < height) { pixels[py * width + px] = colour; }
        }
    }

    /** "#rrggbb" as an opaque RGBA word as canvas pixels lie in little-endian memory (every
     * browser's). */
    function colourWord(hex) {
        const r = parseInt(hex.slice(1, 3), 16), g = parseInt(hex.slice(3, 5), 16), b = parseInt(hex.slice(5, 7), 16);
        return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
    }

    /** ``colourWord`` of "#rrggbb" darkened toward the outline's grey (#222) by ``share`` (0..1):
     * a stamped one-pixel edge reads as the vector drawing's thinner, anti-aliased outline. */
    function edgeWord(hex, share) {
        const mix = (at) => Math.round(parseInt(hex.slice(at, at + 2), 16) * (1 - share) + 0x22 * share);
        return ((255 << 24) | (mix(5) << 16) | (mix(3) << 8) | mix(1)) >>> 0;
    }

    /** The packed data set decoded once: typed arrays, string tables, projected positions. */
    function decode(packed) {
        const n = packed.n || 0;
        const events = {n, types: packed.types || [], colours: packed.colours || [], codes: {}, tables: {},
            details: packed.details || null};
        if (!n) { return events; }
        const lat = column(packed.lat), lon = column(packed.lon);
        events.lat = new Float64Array(n);
        events.lon = new Float64Array(n);
        events.mx = new Float64Array(n);
        events.my = new Float64Array(n);
        for (let i = 0; i < n; i++) {
            events.lat[i] = packed.lat0 + lat[i] * packed.latScale;
            events.lon[i] = packed.lon0 + lon[i] * packed.lonScale;
            events.mx[i] = mercatorX(events.lon[i]);
            events.my[i] = mercatorY(events.lat[i]);
        }
        events.day = column(packed.day);
        events.fatalities = column(packed.fatalities);
        events.eventType = column(packed.eventType);
        events.precision = column(packed.precision);
        events.radius = new Uint8Array(n);
        for (let i = 0; i < n; i++) { events.radius[i] = radiusFor(events.fatalities[i]); }
        for (const key of CODED) {
            events.codes[key] = column(packed[key]);
            events.tables[key] = packed[key + "Table"];
        }
        return events;
    }

    function text(events, key, i) { return events.tables[key][events.codes[key][i]]; }

    /** ACLED writes "NA" for an empty field; both read as nothing. */
    function present(value) {
        if (value === undefined || value === null) { return ""; }
        const trimmed = String(value).trim();
        return trimmed === "NA" ? "" : trimmed;
    }

    /** Codes in a string table of the names wanted; null (no restriction) stays null. */
    function codeSet(table, names) {
        if (names === null || names === undefined) { return null; }
        const wanted = new Set(names), codes = new Set();
        table.forEach((value, code) => { if (wanted.has(value)) { codes.add(code); } });
        return codes;
    }

    /** Codes in a string table containing ``text`` whatever its case; null for no text. */
    function codesContaining(table, text) {
        if (!text) { return null; }
        const wanted = text.toUpperCase(), codes = new Set();
        table.forEach((value, code) => { if (value.toUpperCase().includes(wanted)) { codes.add(code); } });
        return codes;
    }

    /** Row numbers sorted by day (ties by row), made once per data set: a counting sort, linear in the rows. */
    function rowsByDay(events) {
        if (events.byDay) { return events.byDay; }
        const day = events.day;
        let first = Infinity, last = -Infinity;
        for (let i = 0; i < events.n; i++) { first = Math.min(first, day[i]); last = Math.max(last, day[i]); }
        const counts = new Uint32Array(last - first + 2);
        for (let i = 0; i < events.n; i++) { counts[day[i] - first + 1]++; }
        for (let d = 1; d < counts.length; d++) { counts[d] += counts[d - 1]; }
        const byDay = new Uint32Array(events.n);
        for (let i = 0; i < events.n; i++) { byDay[counts[day[i] - first]++] = i; }
        events.byDay = byDay;
        return byDay;
    }

    /**
     * Events passing ``spec`` (the page's EventFilter: start/end days, types, actors on either
     * side, states, minimum fatalities, sub-event types, interactions, the file's own state
     * names, text in either actor), one Uint32Array per event type, each sorted by day (ties
     * by row) so a time step is one slice of each.
     */
    function filterByType(events, spec) {
        const types = events.types.map(() => []);
        if (!events.n) { return types.map(() => new Uint32Array(0)); }
        const start = spec.start ?? -Infinity, end = spec.end ?? Infinity, minimum = spec.minFatalities || 0;
        const typeCodes = spec.types ? new Set(spec.types.map((name) => events.types.indexOf(name))) : null;
        const actors1 = codeSet(events.tables.actor1, spec.actors), actors2 = codeSet(events.tables.actor2, spec.actors);
        const states = codeSet(events.tables.state, spec.states);
        const text1 = codesContaining(events.tables.actor1, spec.actorText);
        const text2 = codesContaining(events.tables.actor2, spec.actorText);
        // Each coded column's wanted codes: [codes, column], only for the fields the filter sets.
        const named = [["subType", spec.subTypes], ["interaction", spec.interactions], ["admin1Raw", spec.admin1Raw]]
            .filter(([, names]) => names !== null && names !== undefined)
            .map(([key, names]) => [codeSet(events.tables[key], names), events.codes[key]]);
        const {day, fatalities, eventType, codes} = events;
        for (const i of rowsByDay(events)) {
            if (day[i] < start || day[i] > end || fatalities[i] < minimum) { continue; }
            if (typeCodes && !typeCodes.has(eventType[i])) { continue; }
            if (actors1 && !actors1.has(codes.actor1[i]) && !actors2.has(codes.actor2[i])) { continue; }
            if (states && !states.has(codes.state[i])) { continue; }
            if (text1 && !text1.has(codes.actor1[i]) && !text2.has(codes.actor2[i])) { continue; }
            if (named.length && !named.every(([wanted, column]) => wanted.has(column[i]))) { continue; }
            types[eventType[i]].push(i);
        }
        return types.map((list) => Uint32Array.from(list));
    }

    /** First position in ``sorted`` (indices sorted by day) whose day is >= ``target``. */
    function lowerBound(sorted, day, target) {
        let low = 0, high = sorted.length;
        while (low < high) {
            const middle = (low + high) >>> 1;
            if (day[sorted[middle]] < target) { low = middle + 1; } else { high = middle; }
        }
        return low;
    }

    /** [from, to) of the events in ``sorted`` dated start..end (whole days, inclusive). */
    function stepSlice(sorted, day, start, end) {
        return [lowerBound(sorted, day, start), lowerBound(sorted, day, end + 1)];
    }

    /**
     * The events under a point: those whose circle (plus ``slack`` pixels) contains it and
     * whose centre lies within a pixel of the nearest such centre (events often share a
     * town's point); newest first. ``xs``/``ys``/``radius`` are indexed by event.
     */
    function eventsAt(candidates, xs, ys, radius, day, x, y, slack = 2) {
        const hits = [];
        for (const i of candidates) {
            const distance = Math.hypot(xs[i] - x, ys[i] - y);
            if (distance <= radius[i] + slack) { hits.push([distance, i]); }
        }
        if (!hits.length) { return []; }
        const nearest = Math.min(...hits.map((hit) => hit[0]));
        return hits.filter((hit) => hit[0] <= nearest + 1).map((hit) => hit[1]).sort((a, b) => day[b] - day[a] || a - b);
    }

    function isoDay(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

    /** An address a popup may link to: http or https only, else "". */
    function safeLink(url) {
        const value = present(url);
        return /^https?:\/\/[^\s]+$/i.test(value) ? value : "";
    }

    /** How sure the position is, in words; geo_precision follows ACLED's codebook. */
    function precisionText(precision, placement, township, district, state) {
        if (precision === 1) { return "exact: the place named in the report (precision 1)"; }
        if (placement) {  // the importer's own words, which already start "approximate: "
            const said = /^approximate: /i.test(placement) ? placement : "approximate: " + placement;
            return said + " (precision " + precision + ")";
        }
        if (precision === 2) {
            const where = township || district;
            return "approximate: placed at a nearby town" + (where ? " in " + where : "") + " (precision 2)";
        }
        const area = district || state;
        return "approximate: placed at the centre of a larger area" + (area ? " (" + area + ")" : "") +
            " (precision 3)";
    }

    function withAssociates(actor, associate) {
        return actor && associate ? actor + " (with " + associate + ")" : actor || associate;
    }

    /**
     * The popup's rows for event ``i``: {label, value} plus ``link`` (a safe URL) or ``folded``
     * (a long text shown by its first words). ``detail`` is the event's [id, notes, url] or null.
     */
    function popupRows(events, i, detail) {
        const get = (key) => present(text(events, key, i));
        const rows = [];
        const add = (label, value, extra) => { if (value !== "") { rows.push({label, value, ...extra}); } };
        add("Date", isoDay(events.day[i]));
        const sub = get("subType");
        add("Type", events.types[events.eventType[i]] + (sub ? " — " + sub : ""));
        const side1 = withAssociates(get("actor1"), get("assoc1"));
        const side2 = withAssociates(get("actor2"), get("assoc2"));
        add("Actors", side1 && side2 ? side1 + " vs " + side2 : side1 || side2);
        add("Fatalities", String(events.fatalities[i]));
        const township = get("admin3"), district = get("admin2"), state = get("admin1");
        const location = get("location");
        const named = (part) => location.toLowerCase().includes(part.toLowerCase());  // "X Township" in the place
        add("Location", [location, township && !named(township) ? township + " township" : "",
            district ? district + " district" : "", state].filter(Boolean).join(", "));
        add("Precision", precisionText(events.precision[i], get("placement"), township, district, state));
        if (detail) {
            const notes = present(detail[1]);
            add("Notes", notes, notes.length > NOTES_FOLDED_ABOVE ?
                {folded: notes.slice(0, NOTES_FOLDED_ABOVE - 80).replace(/\s+\S*$/, "") + "…"} : {});
        }
        add("Source", get("source"));
        if (detail) {
            const link = safeLink(detail[2]);
            add("Source link", link, link ? {link} : {});
            add("Event id", present(detail[0]));
        }
        return rows;
    }

    const FILTER_FIELDS = ["start", "end", "types", "actors", "states", "minFatalities", "subTypes", "interactions",
        "admin1Raw", "actorText"];

    /** Whether two filters keep the same events (absent, null, 0 and "" all mean "no restriction"). */
    function sameFilter(a, b) {
        const canonical = (spec) => JSON.stringify(FILTER_FIELDS.map((key) => spec[key] || null));
        return canonical(a || {}) === canonical(b || {});
    }

    /** How long a change made on the map outranks the page's runs that have not yet taken it in. */
    const LOCAL_CHANGE_MS = 10000;

    /**
     * Draw ``map``'s events with ``spec``. The page calls this on every run with ``seq``, the
     * newest change made on the map that the page had taken in; a run still without the map's
     * latest change is skipped, so a click is not undone by a run already on its way (unless
     * the page never answers). Fires "mcm:filter" on the map when the events shown change.
     */
    function setFilter(map, spec, seq) {
        map._mcmTaken = Math.max(map._mcmTaken || 0, seq || 0);
        const local = map._mcmLocalChange;
        if (local && seq < local && Date.now() - local < LOCAL_CHANGE_MS) { return false; }
        if (map._mcmFilter && sameFilter(map._mcmFilter, spec)) { return false; }
        map._mcmFilter = spec;
        map.fire("mcm:filter", {spec});
        return true;
    }

    /** How often, and how long apart, a change the page has not taken in is told again. */
    const RETELL = {times: 4, afterMs: 2000};

    /** A filter change made on the map (the legend): drawn at once, then told to the page
     * around it, which updates its filter widgets, counts and link (ui/maplink.py). The page is
     * told once the redrawn frame is painted: the page's work on the message shares the map's
     * thread, and would hold the new picture back by a tenth of a second. A page busy with
     * another run can drop the message: until a page run sends this change's number back
     * (setFilter), it is told again. */
    function changeFilter(map, changes, win) {
        const seq = Date.now();
        map._mcmLocalChange = seq;
        map._mcmFilter = {...(map._mcmFilter || {}), ...changes};
        map.fire("mcm:filter", {spec: map._mcmFilter});
        const here = win || self;
        if (!here.parent || here.parent === here) { return seq; }  // an exported file: no page to tell
        const tell = (left) => {
            here.parent.postMessage({type: "mcm:filter", ...changes, seq}, here.location.origin);
            if (left > 0 && here.setTimeout) {
                here.setTimeout(() => {
                    if ((map._mcmTaken || 0) < seq && map._mcmLocalChange === seq) { tell(left - 1); }
                }, RETELL.afterMs);
            }
        };
        if (here.requestAnimationFrame) {
            here.requestAnimationFrame(() => here.setTimeout(() => tell(RETELL.times), 0));  // after the next paint
        } else {
            tell(RETELL.times);
        }
        return seq;
    }

    // ------------------------------------------------------------------ browser only

    const loaded = new Map();

    /** The decoded data set of ``source`` ({url, key} or {inline}), fetched once per key. */
    /** The JSON a response carries; a ".gz" file (compressed once by the server, served as it
     * is) is inflated here. */
    function jsonOf(response, url) {
        if (!/\.gz$/.test(new URL(url, "http://x/").pathname)) { return response.json(); }
        return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).json();
    }

    function load(source) {
        if (source.inline) { return Promise.resolve(decode(source.inline)); }
        if (!loaded.has(source.key)) {
            const promise = fetch(source.url).then((response) => {
                if (!response.ok) { throw new Error("events data " + source.url + ": HTTP " + response.status); }
                return jsonOf(response, source.url);
            }).then(decode);
            promise.catch(() => loaded.delete(source.key));
            loaded.set(source.key, promise);
        }
        return loaded.get(source.key);
    }

    const detailChunks = new Map();

    /** [id, notes, url] of each of ``indices``, from the chunk files of ``source`` or inline. */
    function details(events, source, indices) {
        if (events.details) { return Promise.resolve(indices.map((i) => events.details.rows[i])); }
        const size = source.detailChunk;
        const chunks = [...new Set(indices.map((i) => Math.floor(i / size)))];
        return Promise.all(chunks.map((chunk) => {
            const url = source.detailsUrl.replace("{chunk}", String(chunk));
            if (!detailChunks.has(url)) {
                const promise = fetch(url).then((response) => {
                    if (!response.ok) { throw new Error("event details " + url + ": HTTP " + response.status); }
                    return response.json();
                });
                promise.catch(() => detailChunks.delete(url));
                detailChunks.set(url, promise);
            }
            return detailChunks.get(url);
        })).then((loadedChunks) => {
            const byChunk = new Map(chunks.map((chunk, k) => [chunk, loadedChunks[k]]));
            return indices.map((i) => byChunk.get(Math.floor(i / size))[i % size]);
        }, () => indices.map(() => null));
    }

    function popupContent(events, indices, detailRows, listed) {
        const box = document.createElement("div");
        box.className = "event-popup";
        box.style.cssText = "max-height:320px;overflow-y:auto";
        if (indices.length > 1) {
            const heading = document.createElement("b");
            heading.textContent = indices.length + " events at this point";
            box.appendChild(heading);
        }
        indices.slice(0, listed).forEach((i, k) => {
            const table = document.createElement("table");
            table.style.marginBottom = "6px";
            for (const row of popupRows(events, i, detailRows[k])) {
                const tr = table.insertRow();
                const th = document.createElement("th");
                th.textContent = row.label;
                th.style.cssText = "text-align:left;padding-right:6px;vertical-align:top";
                tr.appendChild(th);
                const cell = tr.insertCell();
                if (row.link) {
                    const anchor = document.createElement("a");
                    anchor.href = row.link;
                    anchor.target = "_blank";
                    anchor.rel = "noopener noreferrer";
                    anchor.textContent = row.link;
                    anchor.style.wordBreak = "break-all";
                    cell.appendChild(anchor);
                } else if (row.folded) {
                    const fold = document.createElement("details");
                    const summary = document.createElement("summary");
                    summary.textContent = row.folded;
                    fold.appendChild(summary);
                    fold.appendChild(document.createTextNode(row.value));
                    cell.appendChild(fold);
                } else {
                    cell.textContent = row.value;
                }
            }
            box.appendChild(table);
        });
        if (indices.length > listed) {
            const more = document.createElement("i");
            more.textContent = "… and " + (indices.length - listed) + " more: zoom in or see the table";
            box.appendChild(more);
        }
        return box;
    }

    const MAX_LISTED = 10;

    function openPopup(L, map, events, source, indices) {
        const shown = indices.slice(0, MAX_LISTED);
        return details(events, source, shown).then((rows) => {
            const latlng = L.latLng(events.lat[indices[0]], events.lon[indices[0]]);
            L.popup({maxWidth: 400}).setLatLng(latlng).setContent(popupContent(events, indices, rows, MAX_LISTED))
                .openOn(map);
        });
    }

    const PAD = 0.5;  // draw half a view beyond each edge so a pan reveals drawn events

    /** The Leaflet layer class drawing ``events`` on one canvas (built once per Leaflet). */
    function canvasLayerClass(L) {
        return L.Layer.extend({
            initialize: function (events, source, spec, opacity) {
                this.events = events;
                this.source = source;
                this.opacity = opacity;
                this.spec = spec;  // null: the map's filter (setFilter), followed as it changes
                this.byType = spec ? filterByType(events, spec) : null;
                this.packedCount = events.n;
                this.step = null;  // {start, end} while playback shows one step
                this.frames = 0;
                this.xs = new Float32Array(events.n);
                this.ys = new Float32Array(events.n);
                this._onDate = (e) => { this.showStep(e.detail); };
            },
            _onFilter: function (e) {
                this.byType = filterByType(this.events, e.spec);
                this.redraw();
            },
            onAdd: function (map) {
                if (!this.byType) { this.byType = filterByType(this.events, map._mcmFilter || {}); }
                map.on("mcm:filter", this._onFilter, this);
                this._canvas = L.DomUtil.create("canvas", "packed-events");
                // Its own pane above the vector layers (whose SVG Leaflet may re-insert on a
                // rerun), and no pointer events, so tooltips and clicks reach what lies below.
                this._canvas.style.cssText = "position:absolute;pointer-events:none";
                const pane = map.getPane("packedEvents") || map.createPane("packedEvents");
                pane.style.zIndex = 450;
                pane.appendChild(this._canvas);
                map.on("moveend zoomend resize viewreset", this.redraw, this);
                map.on("zoomstart", this._hide, this);
                map.on("click", this._click, this);
                document.addEventListener("mcm:date", this._onDate);
                this.redraw();
            },
            onRemove: function (map) {
                map.off("mcm:filter", this._onFilter, this);
                L.DomUtil.remove(this._canvas);
                map.off("moveend zoomend resize viewreset", this.redraw, this);
                map.off("zoomstart", this._hide, this);
                map.off("click", this._click, this);
                document.removeEventListener("mcm:date", this._onDate);
            },
            _hide: function () { this._canvas.style.visibility = "hidden"; },
            /** Show only the events dated start..end (playback); null shows the page's dates. */
            showStep: function (step) {
                this.step = step ? {start: step.start, end: step.end} : null;
                if (this._map) { this.redraw(); }
            },
            /** [type, from, to] slices of the per-type lists that are shown now. */
            slices: function () {
                return this.byType.map((sorted, type) => {
                    if (!this.step) { return [type, 0, sorted.length]; }
                    const [from, to] = stepSlice(sorted, this.events.day, this.step.start, this.step.end);
                    return [type, from, to];
                });
            },
            redraw: function () {
                const map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
                const pad = size.multiplyBy(PAD), full = size.add(pad.multiplyBy(2));
                const canvas = this._canvas;
                L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint(pad.multiplyBy(-1)));
                if (canvas.width !== full.x * ratio || canvas.height !== full.y * ratio) {
                    canvas.width = full.x * ratio;
                    canvas.height = full.y * ratio;
                    canvas.style.width = full.x + "px";
                    canvas.style.height = full.y + "px";
                }
                const ctx = canvas.getContext("2d");
                ctx.setTransform(1, 0, 0, 1, 0, 0);
                ctx.clearRect(0, 0, canvas.width, canvas.height);
                const slices = this.slices();
                const count = slices.reduce((n, [, from, to]) => n + to - from, 0);
                const style = densityStyle(count, this.opacity);
                // Container position of a Mercator point: world pixels minus the container's origin.
                const scale = 256 * Math.pow(2, map.getZoom());
                const origin = map.getPixelOrigin().add(map.containerPointToLayerPoint([0, 0]));
                const view = {pad, full, ratio, scale, origin};
                this.drawnCount = count > STAMP_ABOVE ? this._stamp(ctx, slices, style, view) : this._paths(ctx, slices, style, view);
                this.frames++;
                canvas.style.visibility = "visible";
            },
            /** Anti-aliased circles with outlines, blended one by one: for the events of a few thousand. */
            _paths: function (ctx, slices, style, {pad, full, ratio, scale, origin}) {
                const events = this.events, {mx, my, radius, precision} = events, xs = this.xs, ys = this.ys;
                this._canvas.style.opacity = "";
                ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
                ctx.globalAlpha = style.alpha;
                let drawn = 0;
                for (const [type, from, to] of slices) {
                    const sorted = this.byType[type];
                    const exact = new Path2D(), approximate = new Path2D();
                    for (let k = from; k < to; k++) {
                        const i = sorted[k], x = mx[i] * scale - origin.x, y = my[i] * scale - origin.y;
                        xs[i] = x;
                        ys[i] = y;
                        const r = radius[i], px = x + pad.x, py = y + pad.y;
                        if (px < -r || py < -r || px > full.x + r || py > full.y + r) { continue; }
                        const path = precision[i] > 1 ? approximate : exact;
                        path.moveTo(px + r, py);
                        path.arc(px, py, r, 0, 2 * Math.PI);
                        drawn++;
                    }
                    const colour = events.colours[type];
                    ctx.fillStyle = colour;
                    ctx.strokeStyle = "#222";
                    ctx.lineWidth = style.outline;
                    ctx.fill(exact);
                    if (style.outline > 0) { ctx.stroke(exact); }
                    // Approximate positions are hollow: a ring in the type's colour on a dark edge.
                    if (style.ringEdge > 0) {
                        ctx.lineWidth = style.ringEdge;
                        ctx.strokeStyle = "#222";
                        ctx.stroke(approximate);
                    }
                    ctx.lineWidth = style.ringWidth;
                    ctx.strokeStyle = colour;
                    ctx.stroke(approximate);
                }
                return drawn;
            },
            /** Opaque discs and rings painted into the pixels, the canvas made translucent as a
             * whole: for crowds. Each shape gets a one-pixel edge darkened as far as the vector
             * drawing's outline would be at this crowd, so overlapping circles stay apart. */
            _stamp: function (ctx, slices, style, {pad, ratio, scale, origin}) {
                const events = this.events, {mx, my, radius, precision} = events, xs = this.xs, ys = this.ys;
                const width = this._canvas.width, height = this._canvas.height;
                if (!this._image || this._image.width !== width || this._image.height !== height) {
                    this._image = ctx.createImageData(width, height);
                    this._pixels = new Uint32Array(this._image.data.buffer);
                    this._shapes = new Map();
                }
                const pixels = this._pixels, shapes = this._shapes;
                const ring = Math.max(1, Math.round(style.ringWidth * ratio)), edge = Math.max(1, Math.round(ratio));
                const discEdge = Math.min(1, style.outline * 1.5), ringEdge = Math.min(1, style.ringEdge / 3) * 0.9;
                const shapeOf = (r, width) => {  // in canvas pixels; rings thin as the crowd grows
                    const key = r * 256 + width;
                    if (!shapes.has(key)) { shapes.set(key, stampShape(r, width)); }
                    return shapes.get(key);
                };
                pixels.fill(0);
                let drawn = 0;
                for (const [type, from, to] of slices) {
                    const sorted = this.byType[type], hex = events.colours[type], colour = colourWord(hex);
                    const edges = [edgeWord(hex, discEdge), edgeWord(hex, ringEdge)];
                    for (let k = from; k < to; k++) {
                        const i = sorted[k], x = mx[i] * scale - origin.x, y = my[i] * scale - origin.y;
                        xs[i] = x;
                        ys[i] = y;
                        const r = Math.round(radius[i] * ratio), hollow = precision[i] > 1 ? 1 : 0;
                        const px = Math.round((x + pad.x) * ratio), py = Math.round((y + pad.y) * ratio);
                        if (px < -r - edge || py < -r - edge || px >= width + r + edge || py >= height + r + edge) { continue; }
                        if (hollow) {
                            if (ringEdge > 0.05) { stamp(pixels, width, height, px, py, shapeOf(r + edge, ring + 2 * edge), edges[1]); }
                            stamp(pixels, width, height, px, py, shapeOf(r, ring), colour);
                        } else if (discEdge > 0.05) {
                            stamp(pixels, width, height, px, py, shapeOf(r, 0), edges[0]);
                            stamp(pixels, width, height, px, py, shapeOf(r - edge, 0), colour);
                        } else {
                            stamp(pixels, width, height, px, py, shapeOf(r, 0), colour);
                        }
                        drawn++;
                    }
                }
                ctx.putImageData(this._image, 0, 0);
                this._canvas.style.opacity = String(style.alpha);
                return drawn;
            },
            /** Indices of the events shown now. */
            shownIndices: function () {
                const shown = [];
                for (const [type, from, to] of this.slices()) {
                    for (let k = from; k < to; k++) { shown.push(this.byType[type][k]); }
                }
                return shown;
            },
            eventsAt: function (x, y) {
                const e = this.events;
                return eventsAt(this.shownIndices(), this.xs, this.ys, e.radius, e.day, x, y);
            },
            _click: function (e) {
                const indices = this.eventsAt(e.containerPoint.x, e.containerPoint.y);
                if (indices.length) { openPopup(L, this._map, this.events, this.source, indices); }
            },
            eventPoint: function (i) { return this._map.latLngToContainerPoint([this.events.lat[i], this.events.lon[i]]); },
        });
    }

    /** Clustered events are DOM markers (Leaflet.markercluster); one icon per type and size is shared. */
    function clusterLayer(L, events, source, spec, opacity) {
        const icons = {};
        const dot = (type, radius) => {
            const key = type + ":" + radius;
            if (!icons[key]) {
                // Markup from numbers and the layer's own colour table only: no event text.
                const size = 2 * radius;
                icons[key] = L.divIcon({className: "", iconSize: [size, size], html:
                    '<div style="width:' + size + 'px;height:' + size + 'px;border-radius:50%;' +
                    'border:1px solid #222;box-sizing:border-box;opacity:' + Number(opacity) + ';' +
                    'background:' + events.colours[type] + '"></div>'});
            }
            return icons[key];
        };
        const markers = L.markerClusterGroup({chunkedLoading: true});
        const fill = (wanted) => {
            const batch = [];
            for (const sorted of filterByType(events, wanted)) {
                for (const i of sorted) {
                    const marker = L.marker([events.lat[i], events.lon[i]], {icon: dot(events.eventType[i], events.radius[i])});
                    marker.eventIndex = i;
                    batch.push(marker);
                }
            }
            markers.clearLayers();
            markers.addLayers(batch);
        };
        const follow = (e) => fill(e.spec);
        markers.on("add", () => {
            fill(spec || markers._map._mcmFilter || {});
            markers._map.on("mcm:filter", follow);
        });
        markers.on("remove", () => markers._map.off("mcm:filter", follow));  // Leaflet clears _map after "remove"
        markers.on("click", (e) => openPopup(L, markers._map, events, source, [e.layer.eventIndex]));
        markers.packedCount = events.n;
        return markers;
    }

    let CanvasLayer = null;

    /**
     * Draw the events of ``options.source`` passing ``options.filter`` into ``group``: on one
     * canvas, or as clusters with ``options.cluster``. A null filter follows the map's own
     * (:func:`setFilter`). The columns load once per key.
     */
    function attach(L, group, options) {
        CanvasLayer = CanvasLayer || canvasLayerClass(L);
        return load(options.source).then((events) => {
            if (!events.n) { return null; }
            const layer = options.cluster ?
                clusterLayer(L, events, options.source, options.filter, options.opacity) :
                new CanvasLayer(events, options.source, options.filter, options.opacity);
            group.addLayer(layer);
            return layer;
        });
    }

    return {column, decode, jsonOf, present, rowsByDay, sameFilter, setFilter, changeFilter, stampShape, stamp, colourWord, edgeWord, STAMP_ABOVE, filterByType, stepSlice, eventsAt, safeLink, precisionText, popupRows,
        isoDay, mercatorX, mercatorY, radiusFor, densityStyle, attach, load};
});
