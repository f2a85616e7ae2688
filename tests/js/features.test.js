// node --test: features published once are fetched once per page (run from tests/test_js.py).
const test = require("node:test");
const assert = require("node:assert/strict");
const {loader} = require("../../layers/js/features.js");

function countingFetch(bodies) {
    const calls = [];
    const fetcher = (url) => {
        calls.push(url);
        if (!(url in bodies)) { return Promise.resolve({ok: false, status: 404}); }
        return Promise.resolve({ok: true, json: () => Promise.resolve(structuredClone(bodies[url]))});
    };
    return {fetcher, calls};
}

test("one fetch per address, however many page runs ask while it loads and after", async () => {
    const collection = {type: "FeatureCollection", features: [{type: "Feature", properties: {label: "Shan"}}]};
    const {fetcher, calls} = countingFetch({"/a.json": collection});
    const features = loader(fetcher);
    const seen = [];
    features.load("/a.json", (data) => seen.push(data));
    features.load("/a.json", (data) => seen.push(data)); // a second run before the first fetch completed
    assert.equal(seen.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(seen.length, 2);
    assert.deepEqual(seen[0], collection);
    assert.equal(seen[0], seen[1]);
    let now = null;
    features.load("/a.json", (data) => { now = data; }); // later runs: at once, from memory
    assert.equal(now, seen[0]);
    assert.deepEqual(calls, ["/a.json"]);
});

test("a failed fetch calls nothing, is reported and is tried again by the next run", async () => {
    const {fetcher, calls} = countingFetch({});
    const features = loader(fetcher);
    const errors = [], original = console.error;
    console.error = (...args) => errors.push(args.join(" "));
    try {
        features.load("/missing.json", () => assert.fail("no data for a missing file"));
        await new Promise((resolve) => setTimeout(resolve, 0));
        features.load("/missing.json", () => assert.fail("no data for a missing file"));
        await new Promise((resolve) => setTimeout(resolve, 0));
    } finally {
        console.error = original;
    }
    assert.deepEqual(calls, ["/missing.json", "/missing.json"]);
    assert.equal(features.cached("/missing.json"), false);
    assert.match(errors[0], /\/missing\.json: HTTP 404/);
});
