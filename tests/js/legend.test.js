// node --test: the legend's pure parts (run from tests/test_js.py).
const test = require("node:test");
const assert = require("node:assert/strict");
const {visibleSections, swatchStyle, render} = require("../../layers/js/legend.js");

test("sections: empty ones dropped, top layer first", () => {
    const sections = [
        {id: "states", title: "States", order: 10, entries: [{label: "Shan", color: "#e8743b", kind: "area"}]},
        {id: "heatmap", title: "Density", order: 55, entries: []},
        {id: "events", title: "Events", order: 60, entries: [{label: "Battles", color: "#d62728", kind: "point"}]},
    ];
    assert.deepEqual(visibleSections(sections).map((s) => s.id), ["events", "states"]);
});

test("swatches match what is drawn", () => {
    assert.equal(swatchStyle("area", "#123456").background, "#123456");
    assert.equal(swatchStyle("line", "#c0142c").borderTop, "3px solid #c0142c");
    assert.equal(swatchStyle("point", "#d62728").borderRadius, "50%");
    const hollow = swatchStyle("hollow-point", "#d62728");
    assert.equal(hollow.background, "transparent");
    assert.equal(hollow.border, "2px solid #d62728");
    assert.throws(() => swatchStyle("blob", "#000"), /unknown legend swatch kind "blob"/);
});

// A minimal DOM: enough to check that labels become text nodes, never markup.
function fakeDocument() {
    const node = (tag) => ({
        tag, className: "", style: {}, childNodes: [], textContent: "",
        get firstChild() { return this.childNodes[0]; },
        appendChild(child) { this.childNodes.push(child); return child; },
        removeChild(child) { this.childNodes.splice(this.childNodes.indexOf(child), 1); },
    });
    return {createElement: node, createTextNode: (text) => ({tag: "#text", text})};
}

test("render writes labels as text nodes and replaces earlier content", () => {
    const doc = fakeDocument();
    const container = doc.createElement("div");
    container.appendChild(doc.createElement("old"));
    const label = "<img src=x onerror=alert(1)>";
    const count = render(container, [
        {id: "fronts", title: "Fronts", order: 50, entries: [{label, color: "#1f77b4", kind: "area"}]},
    ], doc);
    assert.equal(count, 1);
    const [section] = container.childNodes;
    assert.equal(section.className, "mcm-legend-section mcm-legend-fronts"); // map.css restyles by layer
    assert.equal(section.childNodes[0].textContent, "Fronts");
    const row = section.childNodes[1];
    assert.equal(row.childNodes[0].className, "mcm-legend-swatch mcm-swatch-area");
    assert.deepEqual(row.childNodes[1], {tag: "#text", text: label});
});
