// Playback: a control on the map that steps through the page's period (day, week or month),
// shows the step's date large on the map and announces each step to the layers that change
// with time:  document.dispatchEvent(new CustomEvent("mcm:date", {detail: {day, start, end}}))
// with whole days since 1970-01-01 (UTC), start..end the step shown and day its last day.
// Everything runs in the browser: no Streamlit rerun per frame. Pure step arithmetic is
// exported for `node --test`; the Leaflet control is built only in a browser.
(function (root, factory) {
    const api = factory();
    if (typeof module === "object" && module.exports) {
        module.exports = api;
    } else {
        root.McmPlayback = api;
    }
})(typeof self !== "undefined" ? self : this, function () {
    "use strict";

    const DAY_MS = 86400000;
    const STEPS = ["day", "week", "month"];
    const SPEEDS = [1, 2, 4, 8, 15, 30, 60];  // steps per second

    function isoDay(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

    /** The step (whole days, inclusive) of kind ``step`` containing ``day``; weeks start on Monday. */
    function stepBounds(day, step) {
        if (step === "day") { return {start: day, end: day}; }
        if (step === "week") {
            const monday = day - ((day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
            return {start: monday, end: monday + 6};
        }
        if (step === "month") {
            const date = new Date(day * DAY_MS);
            const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
            const next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
            return {start: first, end: next - 1};
        }
        throw new Error("unknown step " + step + ": expected one of " + STEPS.join(", "));
    }

    /** The step containing ``day`` clipped to the period: the detail of one mcm:date event. */
    function frameAt(day, step, first, last) {
        const bounds = stepBounds(Math.min(Math.max(day, first), last), step);
        const start = Math.max(bounds.start, first), end = Math.min(bounds.end, last);
        return {day: end, start, end};
    }

    /** Every frame of a playback of first..last in steps of ``step``. */
    function frames(first, last, step) {
        const all = [];
        for (let day = first; day <= last; day = all[all.length - 1].end + 1) { all.push(frameAt(day, step, first, last)); }
        return all;
    }

    /** The large date shown on the map for ``frame``. */
    function label(frame, step) {
        if (step === "day" || frame.start === frame.end) { return isoDay(frame.day); }
        if (step === "month") {
            const date = new Date(frame.start * DAY_MS);
            return date.toLocaleString("en-GB", {month: "long", year: "numeric", timeZone: "UTC"}) +
                (frame.end - frame.start < stepBounds(frame.start, "month").end - stepBounds(frame.start, "month").start ?
                    " (" + isoDay(frame.start) + " – " + isoDay(frame.end) + ")" : "");
        }
        return isoDay(frame.start) + " – " + isoDay(frame.end);
    }

    function announce(frame) {
        document.dispatchEvent(new CustomEvent("mcm:date", {detail: frame}));
    }

    function element(tag, parent, properties) {
        const node = document.createElement(tag);
        Object.assign(node, properties || {});
        if (parent) { parent.appendChild(node); }
        return node;
    }

    /** The play control for ``first``..``last`` (days): play/pause, step, speed, a scrubber, the date. */
    function control(L, first, last) {
        const Playback = L.Control.extend({
            options: {position: "bottomleft"},
            onAdd: function (map) {
                const box = element("div", null, {className: "leaflet-bar mcm-playback"});
                box.style.cssText = "background:rgba(255,255,255,0.95);padding:6px 8px;font:13px sans-serif;" +
                    "display:flex;gap:6px;align-items:center;flex-wrap:wrap;max-width:560px";
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                this.play = element("button", box, {type: "button", textContent: "▶ Play", title: "Play through the period"});
                this.stepChoice = element("select", box, {title: "Step"});
                for (const step of STEPS) { element("option", this.stepChoice, {value: step, textContent: "by " + step}); }
                this.stepChoice.value = last - first > 120 ? "week" : "day";
                this.speedChoice = element("select", box, {title: "Steps per second"});
                for (const speed of SPEEDS) { element("option", this.speedChoice, {value: String(speed), textContent: speed + "/s"}); }
                this.speedChoice.value = "2";
                this.scrubber = element("input", box, {type: "range", min: String(first), max: String(last), step: "1",
                    value: String(first), title: "Drag to a date"});
                this.scrubber.style.width = "180px";
                this.reset = element("button", box, {type: "button", textContent: "All dates",
                    title: "Stop and show the whole period again"});
                this.banner = element("div", map.getContainer(), {className: "mcm-playback-date"});
                this.banner.style.cssText = "position:absolute;top:12px;left:50%;transform:translateX(-50%);" +
                    "z-index:800;font:bold 30px/1.2 sans-serif;color:#1a1a1a;background:rgba(255,255,255,0.8);" +
                    "padding:2px 14px;border-radius:6px;pointer-events:none;display:none;white-space:nowrap";
                this.playing = false;
                this.frame = null;
                this.play.addEventListener("click", () => (this.playing ? this.pause() : this.start()));
                this.reset.addEventListener("click", () => this.showAll());
                this.scrubber.addEventListener("input", () => { this.pause(); this.show(Number(this.scrubber.value)); });
                this.stepChoice.addEventListener("change", () => { if (this.frame) { this.show(this.frame.start); } });
                return box;
            },
            onRemove: function () {
                this.pause();
                this.banner.remove();
            },
            /** Show the step containing ``day``. */
            show: function (day) {
                const step = this.stepChoice.value;
                this.frame = frameAt(day, step, first, last);
                this.scrubber.value = String(this.frame.start);
                this.banner.textContent = label(this.frame, step);
                this.banner.style.display = "block";
                announce(this.frame);
            },
            start: function () {
                if (!this.frame || this.frame.end >= last) { this.show(first); }
                this.playing = true;
                this.play.textContent = "❚❚ Pause";
                let previous = performance.now(), owed = 0;
                const tick = (now) => {
                    if (!this.playing) { return; }
                    owed += (now - previous) * Number(this.speedChoice.value) / 1000;
                    previous = now;
                    if (owed >= 1) {
                        owed = Math.min(owed - 1, 1);  // a slow frame skips ahead at most one step
                        if (this.frame.end >= last) { this.pause(); return; }
                        this.show(this.frame.end + 1);
                    }
                    this._request = requestAnimationFrame(tick);
                };
                this._request = requestAnimationFrame(tick);
            },
            pause: function () {
                this.playing = false;
                cancelAnimationFrame(this._request);
                this.play.textContent = "▶ Play";
            },
            /** Stop and give the whole period back to the layers. */
            showAll: function () {
                this.pause();
                this.frame = null;
                this.scrubber.value = String(first);
                this.banner.style.display = "none";
                announce({day: last, start: first, end: last});
            },
        });
        return new Playback();
    }

    return {stepBounds, frameAt, frames, label, isoDay, control, STEPS, SPEEDS};
});
