// node --test: a page run rebuilds only the groups whose script changed (run from tests/test_js.py).
const test = require("node:test");
const assert = require("node:assert/strict");
const {sync, showView, reportView} = require("../../layers/js/keep.js");

function fakeMap() {
    const layers = new Set(), builds = [];
    return {
        layers, builds,
        removeLayer: (group) => layers.delete(group),
        part: (key) => [key, () => { const group = {key}; builds.push(key); layers.add(group); return group; }],
    };
}

test("the first run builds every group in order", () => {
    const map = fakeMap();
    assert.deepEqual(sync(map, [map.part("states:1"), map.part("events:a")]), {built: 2, kept: 0, removed: 0});
    assert.deepEqual(map.builds, ["states:1", "events:a"]);
    assert.deepEqual([...map.layers].map((g) => g.key), ["states:1", "events:a"]);
});

test("a filter change rebuilds only the changed group and removes its old version", () => {
    const map = fakeMap();
    sync(map, [map.part("states:1"), map.part("events:a")]);
    const states = [...map.layers][0];
    assert.deepEqual(sync(map, [map.part("states:1"), map.part("events:b")]), {built: 1, kept: 1, removed: 1});
    assert.deepEqual(map.builds, ["states:1", "events:a", "events:b"]);
    assert.ok(map.layers.has(states), "the unchanged group is the same object, never removed");
    assert.deepEqual([...map.layers].map((g) => g.key).sort(), ["events:b", "states:1"]);
});

test("a layer turned off is removed; turned on again it is built again", () => {
    const map = fakeMap();
    sync(map, [map.part("states:1"), map.part("labels:en")]);
    assert.deepEqual(sync(map, [map.part("states:1")]), {built: 0, kept: 1, removed: 1});
    assert.deepEqual([...map.layers].map((g) => g.key), ["states:1"]);
    sync(map, [map.part("states:1"), map.part("labels:en")]);
    assert.deepEqual(map.builds, ["states:1", "labels:en", "labels:en"]);
});

test("no layers at all clears the map", () => {
    const map = fakeMap();
    sync(map, [map.part("states:1"), map.part("events:a")]);
    assert.deepEqual(sync(map, []), {built: 0, kept: 0, removed: 2});
    assert.equal(map.layers.size, 0);
});

test("after each pan or zoom the view goes to the page around the map, once per map", () => {
    const handlers = [];
    let centre = {lat: 21, lng: 95.5};
    const map = {
        on: (kind, handler) => handlers.push([kind, handler]),
        getBounds: () => ({getSouth: () => 20, getWest: () => 92, getNorth: () => 24, getEast: () => 99}),
        getCenter: () => centre,
        getZoom: () => 7.25,
    };
    const posted = [];
    const frame = {location: {origin: "http://127.0.0.1:8501"}, parent: {postMessage: (m, o) => posted.push([m, o])}};
    reportView(map, frame);
    reportView(map, frame);  // every page run asks again: one listener
    assert.deepEqual(handlers.map(([kind]) => kind), ["moveend"]);
    handlers[0][1]();  // a resize that kept the centre and zoom: nothing new to tell
    assert.deepEqual(posted, []);
    centre = {lat: 22, lng: 95.5};
    handlers[0][1]();
    assert.deepEqual(posted, [[{type: "mcm:view", view: {
        bounds: {_southWest: {lat: 20, lng: 92}, _northEast: {lat: 24, lng: 99}},
        center: {lat: 22, lng: 95.5}, zoom: 7.25,
    }}, "http://127.0.0.1:8501"]]);
    const alone = {location: {origin: "null"}};
    alone.parent = alone;
    const other = {on: () => assert.fail("a map with no page around it has no one to tell")};
    reportView(other, alone);
});

test("a view the page asks for is shown once per request, so later runs leave the reader's panning alone", () => {
    const moves = [];
    const map = {setView: (centre, zoom) => moves.push([centre, zoom])};
    assert.ok(showView(map, {lat: 23.6961, lon: 98.7621, zoom: 8}, 1));
    assert.ok(!showView(map, {lat: 23.6961, lon: 98.7621, zoom: 8}, 1));  // the next page run
    assert.ok(showView(map, {lat: 23.6961, lon: 98.7621, zoom: 8}, 2));  // the same place asked again
    assert.deepEqual(moves, [[[23.6961, 98.7621], 8], [[23.6961, 98.7621], 8]]);
});
