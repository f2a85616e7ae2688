// node --test: a page run rebuilds only the groups whose script changed (run from tests/test_js.py).
const test = require("node:test");
const assert = require("node:assert/strict");
const {sync} = require("../../layers/js/keep.js");

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
