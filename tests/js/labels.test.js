// node --test: which names show at a zoom and the greedy collision pass (run from tests/test_js.py).
const test = require("node:test");
const assert = require("node:assert/strict");
const {candidatesAt, labelBox, keepWithoutOverlap} = require("../../layers/js/labels.js");

const labels = [
    {text: "Lashio", kind: "town", priority: 3, minZoom: 0, lat: 22.9, lon: 97.7},
    {text: "Shan", kind: "state", priority: 1, minZoom: 0, lat: 21.5, lon: 98},
    {text: "Hsipaw", kind: "town", priority: 5, minZoom: 8, lat: 22.6, lon: 97.3},
    {text: "China", kind: "country", priority: 0, minZoom: 0, lat: 25, lon: 102},
    {text: "Tangyan", kind: "town", priority: 3, minZoom: 0, lat: 22.5, lon: 98.4},
];

test("more towns as the user zooms in, most important first", () => {
    assert.deepEqual(candidatesAt(labels, 5).map((l) => l.text), ["China", "Shan", "Lashio", "Tangyan"]);
    assert.deepEqual(candidatesAt(labels, 8).map((l) => l.text), ["China", "Shan", "Lashio", "Tangyan", "Hsipaw"]);
});

test("a town's box starts at its dot and runs right; an area name is centred", () => {
    assert.deepEqual(labelBox("town", 100, 50, 40, 14), {left: 93, top: 43, right: 146, bottom: 57});
    assert.deepEqual(labelBox("state", 100, 50, 40, 14), {left: 80, top: 43, right: 120, bottom: 57});
    assert.equal(labelBox("crossing", 100, 50, 40, 14).top, 56);
});

test("the greedy pass keeps the first of two colliding names and every name clear of others", () => {
    const boxes = [
        {left: 0, top: 0, right: 50, bottom: 14}, // kept
        {left: 40, top: 5, right: 90, bottom: 19}, // overlaps the first: dropped
        {left: 52, top: 0, right: 90, bottom: 14}, // within the 3 px gap of the first: dropped
        {left: 60, top: 30, right: 100, bottom: 44}, // clear: kept
        {left: 0, top: 18, right: 30, bottom: 32}, // 4 px below the first: kept
    ];
    assert.deepEqual(keepWithoutOverlap(boxes), [0, 3, 4]);
    assert.deepEqual(keepWithoutOverlap([]), []);
});
