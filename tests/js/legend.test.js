// node --test: the legend's pure parts (run from tests/test_js.py).
const test = require("node:test");
const assert = require("node:assert/strict");
const {visibleSections, swatchStyle, isOn, toggled, render} = require("../../layers/js/legend.js");

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
        tag, className: "", style: {}, childNodes: [], textContent: "", attributes: {}, listeners: {},
        setAttribute(name, value) { this.attributes[name] = value; },
        addEventListener(kind, listener) { this.listeners[kind] = listener; },
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

const TYPES = ["Battles", "Explosions/Remote violence", "Riots"].map((label) => ({label, color: "#000", kind: "point", toggle: "types"}));
const OTHER = {label: "Other", color: "#7f7f7f", kind: "point", toggle: "types", fixed: true};

test("a type row is on unless the filter lists types without it; Other only with no type filter", () => {
    assert.ok(isOn({}, TYPES[0]) && isOn({types: null}, TYPES[0]) && isOn({types: ["Battles"]}, TYPES[0]));
    assert.ok(!isOn({types: ["Riots"]}, TYPES[0]));
    assert.ok(isOn({types: null}, OTHER) && !isOn({types: ["Riots"]}, OTHER));
});

test("a click flips one type; all on again is no filter; the last type and fixed rows do not switch off", () => {
    const entries = [...TYPES, OTHER];
    assert.deepEqual(toggled({}, entries, TYPES[0]), ["Explosions/Remote violence", "Riots"]);
    assert.deepEqual(toggled({types: ["Riots"]}, entries, TYPES[0]), ["Battles", "Riots"]);  // sorted as the page sorts
    assert.equal(toggled({types: ["Battles", "Explosions/Remote violence"]}, entries, TYPES[2]), null);
    assert.equal(toggled({types: ["Riots"]}, entries, TYPES[2]), undefined);
    assert.equal(toggled({}, entries, OTHER), undefined);
    // A type the sidebar picked that this data set lacks is not a row: it drops out with the first click.
    assert.deepEqual(toggled({types: ["Protests", "Riots", "Battles"]}, entries, TYPES[2]), ["Battles"]);
});

test("type rows render as switches with their state; a click reports its row", () => {
    const doc = fakeDocument();
    const container = doc.createElement("div");
    const clicked = [];
    const section = {id: "events", title: "Conflict events", hint: "Click a type to hide or show it", order: 60,
        entries: [...TYPES, OTHER]};
    render(container, [section], doc, {types: ["Battles"]}, (s, entry) => clicked.push([s.id, entry.label]));
    const [title, hint, battles, explosions, , other] = container.childNodes[0].childNodes;
    assert.equal(title.textContent, "Conflict events");
    assert.equal(hint.textContent, "Click a type to hide or show it");
    assert.equal(battles.tag, "button");
    assert.equal(battles.attributes["aria-pressed"], "true");
    assert.equal(explosions.attributes["aria-pressed"], "false");
    assert.match(explosions.className, /mcm-legend-off/);
    assert.equal(other.tag, "div");  // fixed: not a switch, shown off while types are filtered
    assert.match(other.className, /mcm-legend-off/);
    explosions.listeners.click();
    assert.deepEqual(clicked, [["events", "Explosions/Remote violence"]]);
});
