// node --test: the control layer's timeline lookups (layers/js/control.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const {HIDDEN, entryOn, placeOn} = require("../../layers/js/control.js");

const styles = [{fillColor: "#882255"}, {fillColor: "#117733"}];
const place = {
    entries: [[100, 0, "Town A: military", "sac|held"], [200, 1, "Town A: TNLA", "tnla|held"]],
    outline: {color: "#000000", weight: 3},
};

test("the row in force is the last one not after the day", () => {
    assert.strictEqual(entryOn(place.entries, 99), null);
    assert.strictEqual(entryOn(place.entries, 100)[2], "Town A: military");
    assert.strictEqual(entryOn(place.entries, 199)[2], "Town A: military");
    assert.strictEqual(entryOn(place.entries, 200)[2], "Town A: TNLA");
    assert.strictEqual(entryOn(place.entries, 10000)[2], "Town A: TNLA");
});

test("a place is hidden before its first record", () => {
    assert.deepStrictEqual(placeOn(place, styles, null, 50), {style: HIDDEN, label: ""});
});

test("without a since day nothing is outlined", () => {
    assert.deepStrictEqual(placeOn(place, styles, null, 250), {style: {fillColor: "#117733"}, label: "Town A: TNLA"});
});

test("a change since the comparison day is outlined, no change is not", () => {
    const changed = placeOn(place, styles, 150, 250);
    assert.deepStrictEqual(changed.style, {fillColor: "#117733", color: "#000000", weight: 3});
    assert.deepStrictEqual(placeOn(place, styles, 150, 180).style, {fillColor: "#882255"});
    assert.deepStrictEqual(placeOn(place, styles, 50, 150).style.color, "#000000");  // no record then: a change
    assert.deepStrictEqual(placeOn(place, styles, 250, 200).style, {fillColor: "#117733"});  // since after the day
});

test("styles are copied, never changed in place", () => {
    placeOn(place, styles, 150, 250);
    assert.deepStrictEqual(styles[1], {fillColor: "#117733"});
});
