/* The live map's legend: one section per layer that is on, built from text nodes.
 *
 * Each layer's feature group carries a script calling McmLegend.attach(group, section);
 * the section shows while the group is on the map and goes when the group is removed
 * (a sidebar toggle, or the page's rerun replacing every group). A row with a ``toggle``
 * (the event types) is a button: a click shows or hides its events at once through the
 * map's filter (McmEvents.changeFilter), which also tells the page. Pure helpers are
 * exported for `node --test`.
 */
(function (root, factory) {
    const api = factory();
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.McmLegend = api;
    }
})(typeof self !== "undefined" ? self : this, function () {
    "use strict";

    const SWATCH_KINDS = ["area", "line", "point", "hollow-point"];

    /** Sections to show: non-empty ones, bottom layer last (as a map reader scans top down). */
    function visibleSections(sections) {
        return sections
            .filter((section) => section.entries.length > 0)
            .slice()
            .sort((a, b) => b.order - a.order || a.title.localeCompare(b.title));
    }

    /** CSS for one swatch: a filled box, a stroke, a filled dot or a ring, in ``color``. */
    function swatchStyle(kind, color) {
        if (!SWATCH_KINDS.includes(kind)) {
            throw new Error(`unknown legend swatch kind ${JSON.stringify(kind)}`);
        }
        const base = {display: "inline-block", marginRight: "6px", verticalAlign: "middle", boxSizing: "border-box"};
        switch (kind) {
            case "area":
                return {...base, width: "16px", height: "11px", background: color, opacity: "0.85",
                    border: "1px solid rgba(0,0,0,0.35)"};
            case "line":
                return {...base, width: "16px", height: "0", borderTop: `3px solid ${color}`};
            case "point":
                return {...base, width: "11px", height: "11px", borderRadius: "50%", background: color,
                    border: "1px solid rgba(0,0,0,0.5)", margin: "0 8px 0 2px"};
            default: // hollow-point: an approximate position
                return {...base, width: "11px", height: "11px", borderRadius: "50%", background: "transparent",
                    border: `2px solid ${color}`, margin: "0 8px 0 2px"};
        }
    }

    /** Whether the events of a toggle row are shown under ``spec`` (no list: all are). */
    function isOn(spec, entry) {
        const wanted = (spec || {})[entry.toggle];
        return wanted === null || wanted === undefined || wanted.includes(entry.label);
    }

    /**
     * The filter list after a click on ``entry``: its field's values with the entry's flipped,
     * sorted as the page sorts them; null once every row of the section is on again (no
     * restriction, as the sidebar's empty box); undefined when the click would hide the last
     * one (the sidebar cannot say "none") or the row is fixed (a kind the page cannot pick).
     */
    function toggled(spec, entries, entry) {
        if (entry.fixed) { return undefined; }
        const rows = entries.filter((e) => e.toggle === entry.toggle && !e.fixed).map((e) => e.label);
        const on = new Set(rows.filter((label) => isOn(spec, {toggle: entry.toggle, label})));
        if (on.has(entry.label)) { on.delete(entry.label); } else { on.add(entry.label); }
        if (on.size === 0) { return undefined; }
        return rows.every((label) => on.has(label)) ? null : [...on].sort();
    }

    /** Fill ``container`` with the sections as DOM built from text nodes (no markup from data);
     * toggle rows show their state under ``spec`` and call ``onToggle(section, entry)``. */
    function render(container, sections, doc, spec, onToggle) {
        while (container.firstChild) {
            container.removeChild(container.firstChild);
        }
        for (const section of visibleSections(sections)) {
            const block = doc.createElement("div");
            block.className = `mcm-legend-section mcm-legend-${section.id}`;
            const heading = doc.createElement("div");
            heading.className = "mcm-legend-title";
            heading.textContent = section.title;
            block.appendChild(heading);
            if (section.hint) {
                const hint = doc.createElement("div");
                hint.className = "mcm-legend-hint";
                hint.textContent = section.hint;
                block.appendChild(hint);
            }
            for (const entry of section.entries) {
                const row = doc.createElement(entry.toggle && !entry.fixed ? "button" : "div");
                row.className = "mcm-legend-row";
                row.title = entry.label; // the full text where a long name is cut short
                if (entry.toggle) {
                    const on = isOn(spec, entry);
                    row.className += on ? "" : " mcm-legend-off";
                    if (!entry.fixed) {
                        row.type = "button";
                        row.className += " mcm-legend-switch";
                        row.setAttribute("aria-pressed", String(on));
                        row.setAttribute("data-label", entry.label);
                        row.title = `${entry.label}: ${on ? "shown, click to hide" : "hidden, click to show"}`;
                        row.addEventListener("click", () => onToggle(section, entry));
                    } else if (!on) {
                        row.title = `${entry.label}: hidden while the event types are filtered`;
                    }
                }
                const swatch = doc.createElement("span");
                swatch.className = `mcm-legend-swatch mcm-swatch-${entry.kind}`;
                Object.assign(swatch.style, swatchStyle(entry.kind, entry.color));
                row.appendChild(swatch);
                row.appendChild(doc.createTextNode(entry.label));
                block.appendChild(row);
            }
            container.appendChild(block);
        }
        return container.childNodes.length;
    }

    /** The legend control of ``map``, made on first use: a header that folds it, and a body. */
    function control(map) {
        if (map._mcmLegend) {
            return map._mcmLegend;
        }
        const L = self.L;
        const legend = {sections: new Map(), body: null, box: null};
        const Control = L.Control.extend({
            options: {position: "bottomright"},
            onAdd: function () {
                const box = L.DomUtil.create("div", "mcm-legend leaflet-bar");
                const toggle = L.DomUtil.create("button", "mcm-legend-toggle", box);
                toggle.type = "button";
                toggle.textContent = "Legend";
                toggle.setAttribute("aria-expanded", "true");
                legend.body = L.DomUtil.create("div", "mcm-legend-body", box);
                // At most half of a short map's height (70% of a tall one's), scrolling inside, so the
                // map stays readable.
                const fit = () => {
                    const height = map.getSize().y;
                    legend.body.style.maxHeight = `${Math.round(height * (height < 800 ? 0.5 : 0.7))}px`;
                };
                fit();
                map.on("resize", fit);
                // Small screens start folded; a click folds or unfolds.
                const folded = map.getSize().x < 600;
                box.classList.toggle("mcm-folded", folded);
                toggle.setAttribute("aria-expanded", String(!folded));
                const fold = (folded) => {
                    box.classList.toggle("mcm-folded", folded);
                    toggle.setAttribute("aria-expanded", String(!folded));
                };
                L.DomEvent.on(toggle, "click", () => fold(!box.classList.contains("mcm-folded")));
                // Controls sit above popups: an open popup folds the legend, and closing it unfolds
                // it again unless the reader had folded it.
                let foldedByPopup = false;
                map.on("popupopen", () => {
                    foldedByPopup = !box.classList.contains("mcm-folded");
                    fold(true);
                });
                map.on("popupclose", () => {
                    if (foldedByPopup) { fold(false); }
                    foldedByPopup = false;
                });
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                legend.box = box;
                return box;
            },
        });
        new Control().addTo(map);
        const onToggle = (section, entry) => {
            const next = toggled(map._mcmFilter, section.entries, entry);
            if (next !== undefined) { self.McmEvents.changeFilter(map, {[entry.toggle]: next}); }
        };
        legend.refresh = () => {
            // A switch pressed from the keyboard keeps the focus though its row is drawn anew.
            const active = document.activeElement;
            const focused = legend.body.contains(active) ? active.getAttribute("data-label") : null;
            const count = render(legend.body, [...legend.sections.values()], document, map._mcmFilter, onToggle);
            legend.box.style.display = count ? "" : "none";
            const again = [...legend.body.querySelectorAll("button.mcm-legend-switch")]
                .find((button) => button.getAttribute("data-label") === focused);
            if (focused !== null && again) { again.focus(); }
        };
        map.on("mcm:filter", legend.refresh);
        map._mcmLegend = legend;
        return legend;
    }

    /** Show ``section`` while ``group`` is on its map (Leaflet clears ``_map`` only after "remove"). */
    function attach(group, section) {
        const legendOf = () => control(group._map);
        const show = () => {
            const legend = legendOf();
            legend.sections.set(section.id, section);
            legend.refresh();
        };
        group.on("add", show);
        group.on("remove", () => {
            const legend = legendOf();
            if (legend.sections.get(section.id) === section) {
                legend.sections.delete(section.id);
                legend.refresh();
            }
        });
        if (group._map) {
            show();
        }
    }

    return {visibleSections, swatchStyle, isOn, toggled, render, attach};
});
