// Pure logic of layers/js/events.js: decoding, filtering, time steps, hit-testing, popup rows.
const test = require("node:test");
const assert = require("node:assert/strict");
const events = require("../../layers/js/events.js");

const b64 = (Kind, values) => ({
    data: Buffer.from(new Kind(values).buffer).toString("base64"),
    type: {Uint8Array: "uint8", Uint16Array: "uint16", Uint32Array: "uint32"}[Kind.name],
});
const day = (iso) => Date.parse(iso) / 86400000;

// Three events as layers/events.py packs them (see tests/test_events_layer.py for the Python side).
function packed() {
    const coded = (values) => {
        const table = [...new Set(values)];
        return [b64(Uint8Array, values.map((v) => table.indexOf(v))), table];
    };
    const out = {
        n: 3, lat0: 20, latScale: 0.001, lon0: 92, lonScale: 0.001,
        lat: b64(Uint16Array, [3900, 400, 3700]), lon: b64(Uint16Array, [6600, 800, 6760]),
        day: b64(Uint16Array, [day("2023-10-27"), day("2023-11-13"), day("2024-01-04")]),
        fatalities: b64(Uint16Array, [5, 0, 100]),
        eventType: b64(Uint8Array, [0, 1, 6]),
        precision: b64(Uint8Array, [1, 2, 3]),
        types: ["Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments",
            "Protests", "Riots", "Other"],
        colours: ["#d62728", "#ff7f0e", "#9467bd", "#2ca02c", "#1f77b4", "#8c564b", "#7f7f7f"],
    };
    const columns = {
        subType: ["Armed clash", "Air/drone strike", "NA"],
        actor1: ["MNDAA", "Military Forces of Myanmar (2021-)", "<img src=x onerror=alert(1)>"],
        actor2: ["Military Forces of Myanmar (2021-)", "NA", ""],
        assoc1: ["TNLA", "", "NA"],
        assoc2: ["", "", ""],
        location: ["Chinshwehaw", "Pauktaw", "Myothit village, Paletwa Township"],
        admin3: ["Laukkaing", "Pauktaw", "Paletwa"],
        admin2: ["Laukkaing", "Sittwe", "Matupi"],
        admin1: ["Shan", "Rakhine", "Chin"],
        state: ["Shan", "Rakhine", "Chin"],
        placement: ["", "", "placed at the township centre of Paletwa"],
        source: ["Irrawaddy", "Myanmar Now", "RFA"],
        interaction: ["Rebel group-State forces", "State forces only", ""],
        admin1Raw: ["Shan-North", "Rakhine", "Chin"],
    };
    for (const [key, values] of Object.entries(columns)) { [out[key], out[key + "Table"]] = coded(values); }
    return out;
}

test("decode restores positions, days and radii", () => {
    const e = events.decode(packed());
    assert.equal(e.n, 3);
    assert.ok(Math.abs(e.lat[0] - 23.9) < 1e-9 && Math.abs(e.lon[2] - 98.76) < 1e-9);
    assert.equal(events.isoDay(e.day[1]), "2023-11-13");
    assert.deepEqual([...e.radius], [events.radiusFor(5), 4, 19]);
    assert.ok(e.mx[0] > 0.5 && e.my[0] < 0.5);  // north-east of (0, 0)
    assert.equal(events.decode({n: 0}).n, 0);
});

test("mercator matches Leaflet's EPSG:3857 at the equator and the clamp", () => {
    assert.equal(events.mercatorX(0), 0.5);
    assert.equal(events.mercatorY(0), 0.5);
    assert.ok(Math.abs(events.mercatorY(89) - events.mercatorY(85.0511287798)) < 1e-12);
});

test("filter matches the page's EventFilter: dates, types, actors, states, fatalities, sub-types, interactions, raw states, actor text", () => {
    const e = events.decode(packed());
    const flat = (spec) => events.filterByType(e, spec).flatMap((list) => [...list]).sort();
    assert.deepEqual(flat({}), [0, 1, 2]);
    assert.deepEqual(flat({start: day("2023-11-01")}), [1, 2]);
    assert.deepEqual(flat({end: day("2023-11-13")}), [0, 1]);
    assert.deepEqual(flat({types: ["Battles"]}), [0]);
    assert.deepEqual(flat({actors: ["Military Forces of Myanmar (2021-)"]}), [0, 1]);
    assert.deepEqual(flat({actors: ["nobody"]}), []);
    assert.deepEqual(flat({states: ["Chin", "Shan"]}), [0, 2]);
    assert.deepEqual(flat({minFatalities: 5}), [0, 2]);
    assert.deepEqual(flat({types: [], actors: null}), []);
    assert.deepEqual(flat({subTypes: ["Armed clash", "NA"]}), [0, 2]);
    assert.deepEqual(flat({interactions: ["State forces only"]}), [1]);
    assert.deepEqual(flat({admin1Raw: ["Shan-North", "Chin"], minFatalities: 10}), [2]);
    assert.deepEqual(flat({actorText: "mndaa"}), [0]);
    assert.deepEqual(flat({actorText: "MILITARY"}), [0, 1]);  // on either side
    assert.deepEqual(flat({actorText: ""}), [0, 1, 2]);
    const byType = events.filterByType(e, {});
    assert.deepEqual([...byType[6]], [2]);  // unknown types go to "Other"
});

test("a time step is one slice of each day-sorted list", () => {
    const dayOf = new Uint16Array([10, 12, 12, 15, 20]);
    const sorted = new Uint32Array([0, 1, 2, 3, 4]);
    assert.deepEqual(events.stepSlice(sorted, dayOf, 12, 15), [1, 4]);
    assert.deepEqual(events.stepSlice(sorted, dayOf, 0, 9), [0, 0]);
    assert.deepEqual(events.stepSlice(sorted, dayOf, 21, 30), [5, 5]);
    // A shuffled input sorts by day, ties kept in row order.
    const e = events.decode(packed());
    const lists = events.filterByType({...e, types: ["a"], eventType: new Uint8Array(3), day: new Uint16Array([9, 3, 3])}, {});
    assert.deepEqual([...lists[0]], [1, 2, 0]);
});

test("hit-testing finds the nearest events under the point, newest first", () => {
    const xs = [100, 100, 130, 300], ys = [100, 100.5, 100, 300], radius = [5, 5, 20, 4], dayOf = [1, 9, 5, 3];
    assert.deepEqual(events.eventsAt([0, 1, 2, 3], xs, ys, radius, dayOf, 101, 100), [1, 0]);
    assert.deepEqual(events.eventsAt([0, 1, 2, 3], xs, ys, radius, dayOf, 125, 100), [2]);
    assert.deepEqual(events.eventsAt([0, 1, 2, 3], xs, ys, radius, dayOf, 200, 200), []);
    assert.deepEqual(events.eventsAt([2, 3], xs, ys, radius, dayOf, 101, 100), []);  // 0 and 1 not shown
});

test("links are http or https only; NA reads as empty", () => {
    assert.equal(events.safeLink("https://example.org/a?b=1"), "https://example.org/a?b=1");
    assert.equal(events.safeLink("javascript:alert(1)"), "");
    assert.equal(events.safeLink("data:text/html,x"), "");
    assert.equal(events.safeLink("NA"), "");
    assert.equal(events.present(" NA "), "");
    assert.equal(events.present("NAY"), "NAY");
});

test("popup rows carry every analyst field, associated actors, precision and folded notes", () => {
    const e = events.decode(packed());
    const rows = (i, detail) => Object.fromEntries(events.popupRows(e, i, detail).map((r) => [r.label, r]));
    const first = rows(0, ["MMR1", "Clashes near the border gate.", "https://example.org/r"]);
    assert.equal(first.Date.value, "2023-10-27");
    assert.equal(first.Type.value, "Battles — Armed clash");
    assert.equal(first.Actors.value, "MNDAA (with TNLA) vs Military Forces of Myanmar (2021-)");
    assert.equal(first.Fatalities.value, "5");
    assert.equal(first.Location.value, "Chinshwehaw, Laukkaing township, Laukkaing district, Shan");
    assert.match(first.Precision.value, /^exact/);
    assert.equal(first.Notes.value, "Clashes near the border gate.");
    assert.equal(first.Notes.folded, undefined);
    assert.equal(first["Source link"].link, "https://example.org/r");
    assert.equal(first["Event id"].value, "MMR1");
    assert.equal(first.Source.value, "Irrawaddy");

    const second = rows(1, ["MMR2", "NA", "javascript:alert(1)"]);
    assert.equal(second.Actors.value, "Military Forces of Myanmar (2021-)");  // actor2 "NA" left out
    assert.equal(second.Location.value, "Pauktaw, Sittwe district, Rakhine");  // township = place, named once
    assert.match(second.Precision.value, /^approximate: placed at a nearby town in Pauktaw \(precision 2\)/);
    assert.equal(second.Notes, undefined);
    assert.equal(second["Source link"], undefined);

    const long = "word ".repeat(100).trim();
    const third = rows(2, ["MMR3", long, ""]);
    assert.equal(third.Type.value, "Other");
    assert.equal(third.Location.value, "Myothit village, Paletwa Township, Matupi district, Chin");
    assert.equal(third.Actors.value, "<img src=x onerror=alert(1)>");  // text: the page puts it in a text node
    assert.equal(third.Precision.value, "approximate: placed at the township centre of Paletwa (precision 3)");
    assert.equal(third.Notes.value, long);
    assert.ok(third.Notes.folded.length < 210 && third.Notes.folded.endsWith("…"));
    assert.equal(rows(2, null).Notes, undefined);  // details not loaded: no empty rows
});

test("precision 3 without a placement names the larger area", () => {
    assert.equal(events.precisionText(3, "", "", "Matupi", "Chin"),
        "approximate: placed at the centre of a larger area (Matupi) (precision 3)");
    assert.equal(events.precisionText(2, "", "", "", ""), "approximate: placed at a nearby town (precision 2)");
});

test("markers fade and lose their outlines as the crowd grows, so dense areas stay readable", () => {
    assert.deepEqual(events.densityStyle(500, 0.8), {alpha: 0.8, outline: 0.6, ringEdge: 3, ringWidth: 1.8});
    const tenThousand = events.densityStyle(10000, 0.8), hundredThousand = events.densityStyle(100000, 0.8);
    assert.ok(tenThousand.alpha < 0.8 && tenThousand.outline < 0.6 && tenThousand.outline > 0);
    assert.ok(Math.abs(hundredThousand.alpha - 0.36) < 1e-9);
    assert.equal(hundredThousand.outline, 0);
    assert.equal(hundredThousand.ringEdge, 0);
    assert.ok(Math.abs(hundredThousand.ringWidth - 1) < 1e-9);
    assert.deepEqual(events.densityStyle(1e6, 0.8), hundredThousand);
});

test("a placement the importer wrote is not prefixed twice", () => {
    assert.equal(events.precisionText(2, "approximate: placed at the town of Paletwa", "", "", ""),
        "approximate: placed at the town of Paletwa (precision 2)");
    assert.equal(events.precisionText(3, "placed at the township centre of Matupi", "", "", ""),
        "approximate: placed at the township centre of Matupi (precision 3)");
});

test("stamped shapes: a disc is round and filled, a ring is hollow, both symmetric", () => {
    const disc = events.stampShape(4, 0), ring = events.stampShape(4, 1);
    const has = (shape, x, y) => shape.dx.some((dx, k) => dx === x && shape.dy[k] === y);
    assert.ok(has(disc, 0, 0) && has(disc, 4, 0) && has(disc, 0, -4) && !has(disc, 4, 4));
    assert.ok(!has(ring, 0, 0) && !has(ring, 2, 0) && has(ring, 4, 0) && has(ring, 0, 4));
    assert.ok(ring.dx.length < disc.dx.length);
    for (const shape of [disc, ring]) {
        for (let k = 0; k < shape.dx.length; k++) { assert.ok(has(shape, -shape.dx[k], -shape.dy[k])); }
    }
});

test("stamping paints the shape's pixels in the colour, clipped at the buffer's edges", () => {
    const width = 20, height = 10, pixels = new Uint32Array(width * height);
    const colour = events.colourWord("#d62728"), disc = events.stampShape(3, 0);
    events.stamp(pixels, width, height, 10, 5, disc, colour);
    assert.equal(pixels.filter((p) => p === colour).length, disc.dx.length);
    assert.equal(pixels[5 * width + 10], colour);
    assert.equal(pixels[5 * width + 14], 0);
    pixels.fill(0);
    events.stamp(pixels, width, height, 0, 0, disc, colour);  // only the quarter inside
    const inside = disc.dx.filter((dx, k) => dx >= 0 && disc.dy[k] >= 0).length;
    assert.equal(pixels.filter((p) => p === colour).length, inside);
    assert.equal(pixels[width * height - 1], 0);
});

test("colour words are opaque RGBA in little-endian byte order", () => {
    const bytes = new Uint8Array(new Uint32Array([events.colourWord("#102030")]).buffer);
    assert.deepEqual([...bytes], [0x10, 0x20, 0x30, 255]);
});

test("a stamped edge is the colour darkened toward the outline's grey as far as asked", () => {
    assert.equal(events.edgeWord("#d62728", 0), events.colourWord("#d62728"));
    assert.equal(events.edgeWord("#d62728", 1), events.colourWord("#222222"));
    const bytes = new Uint8Array(new Uint32Array([events.edgeWord("#ff0022", 0.5)]).buffer);
    assert.deepEqual([...bytes], [0x91, 0x11, 0x22, 255]);
});

test("rows by day are made once per data set and sorted by day, ties by row", () => {
    const e = {n: 4, day: new Uint16Array([5, 3, 5, 1])};
    const first = events.rowsByDay(e);
    assert.deepEqual([...first], [3, 1, 0, 2]);
    assert.equal(events.rowsByDay(e), first);
});

test("a .gz columns file is inflated in the browser; other files are read as they come", async () => {
    const zlib = require("node:zlib");
    const value = {n: 2, types: ["Battles"]};
    const gz = new Response(zlib.gzipSync(Buffer.from(JSON.stringify(value))));
    assert.deepEqual(await events.jsonOf(gz, "/app/static/events/v3.3-k/columns.json.gz"), value);
    const plain = new Response(JSON.stringify(value));
    assert.deepEqual(await events.jsonOf(plain, "/app/static/events/v3.3-k/columns.json?x=.gz"), value);
});

// A map as far as the filter needs it: events fired to listeners.
function fakeMap() {
    const listeners = [];
    return {fired: [], on(kind, f) { listeners.push(f); }, fire(kind, e) { this.fired.push([kind, e.spec]); listeners.forEach((f) => f(e)); }};
}

test("filters compare by what they keep: absent, null, 0 and empty text are no restriction", () => {
    assert.ok(events.sameFilter({}, {start: null, types: null, minFatalities: 0, actorText: ""}));
    assert.ok(!events.sameFilter({types: ["Battles"]}, {types: ["Riots"]}));
    assert.ok(!events.sameFilter({minFatalities: 1}, {}));
});

test("the page's filter redraws only when it changes, and never undoes a newer change made on the map", () => {
    const map = fakeMap();
    assert.ok(events.setFilter(map, {types: null}, 0));
    assert.ok(!events.setFilter(map, {minFatalities: 0}, 0));  // the same events: no redraw
    const posted = [];
    const frame = {location: {origin: "http://127.0.0.1:8501"}, parent: {postMessage: (m, o) => posted.push([m, o])}};
    const seq = events.changeFilter(map, {types: ["Battles"]}, frame);
    assert.deepEqual(map._mcmFilter.types, ["Battles"]);
    assert.deepEqual(posted, [[{type: "mcm:filter", types: ["Battles"], seq}, "http://127.0.0.1:8501"]]);
    assert.ok(!events.setFilter(map, {types: null}, seq - 1));  // a run that left before the click
    assert.deepEqual(map._mcmFilter.types, ["Battles"]);
    assert.ok(!events.setFilter(map, {types: ["Battles"]}, seq));  // the page has taken it in: nothing to redraw
    assert.ok(events.setFilter(map, {types: ["Battles"], minFatalities: 3}, seq));  // a later sidebar change
    assert.deepEqual(map.fired.map(([kind]) => kind), ["mcm:filter", "mcm:filter", "mcm:filter"]);
});

test("a change on a map with no page around it (an exported file) is drawn and told to no one", () => {
    const map = fakeMap();
    const alone = {location: {origin: "null"}};
    alone.parent = alone;
    events.changeFilter(map, {types: ["Riots"]}, alone);
    assert.deepEqual(map.fired, [["mcm:filter", {types: ["Riots"]}]]);
});

test("a change the page has not taken in is told again, until a page run sends its number back", () => {
    const map = fakeMap();
    const posted = [], timers = [];
    const frame = {location: {origin: "http://127.0.0.1:8501"}, parent: {postMessage: (m) => posted.push(m.seq)},
        setTimeout: (f) => timers.push(f)};
    const seq = events.changeFilter(map, {types: ["Riots"]}, frame);
    assert.deepEqual(posted, [seq]);
    timers.shift()();  // no page run has answered: told again
    assert.deepEqual(posted, [seq, seq]);
    events.setFilter(map, {types: ["Riots"]}, seq);  // the page's run carries the number
    timers.shift()();
    assert.deepEqual(posted, [seq, seq]);
    assert.equal(timers.length, 0);
});
