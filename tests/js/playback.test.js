// Step arithmetic of layers/js/playback.js.
const test = require("node:test");
const assert = require("node:assert/strict");
const playback = require("../../layers/js/playback.js");

const day = (iso) => Date.parse(iso) / 86400000;
const iso = playback.isoDay;

test("days, Monday weeks and calendar months", () => {
    assert.deepEqual(playback.stepBounds(day("2023-10-27"), "day"), {start: day("2023-10-27"), end: day("2023-10-27")});
    const week = playback.stepBounds(day("2023-10-27"), "week");  // a Friday
    assert.deepEqual([iso(week.start), iso(week.end)], ["2023-10-23", "2023-10-29"]);
    const sunday = playback.stepBounds(day("2023-10-29"), "week");
    assert.equal(iso(sunday.start), "2023-10-23");
    const february = playback.stepBounds(day("2024-02-10"), "month");
    assert.deepEqual([iso(february.start), iso(february.end)], ["2024-02-01", "2024-02-29"]);
    const early = playback.stepBounds(day("1969-12-31"), "week");
    assert.deepEqual([iso(early.start), iso(early.end)], ["1969-12-29", "1970-01-04"]);
    assert.throws(() => playback.stepBounds(0, "year"), /unknown step year/);
});

test("frames cover the period once, clipped to its ends", () => {
    const first = day("2023-10-27"), last = day("2024-01-31");
    for (const step of playback.STEPS) {
        const all = playback.frames(first, last, step);
        assert.equal(all[0].start, first);
        assert.equal(all.at(-1).end, last);
        for (let k = 1; k < all.length; k++) { assert.equal(all[k].start, all[k - 1].end + 1); }
        for (const frame of all) { assert.equal(frame.day, frame.end); }
    }
    assert.equal(playback.frames(first, last, "day").length, last - first + 1);
    assert.equal(playback.frames(first, last, "month").length, 4);
    assert.equal(playback.frames(first, last, "week").length, 15);
});

test("the large date reads as a day, a week range or a month", () => {
    const first = day("2023-10-27"), last = day("2024-01-31");
    assert.equal(playback.label(playback.frameAt(day("2023-11-05"), "day", first, last), "day"), "2023-11-05");
    assert.equal(playback.label(playback.frameAt(day("2023-11-05"), "week", first, last), "week"),
        "2023-10-30 – 2023-11-05");
    assert.equal(playback.label(playback.frameAt(day("2023-12-05"), "month", first, last), "month"), "December 2023");
    assert.equal(playback.label(playback.frameAt(first, "month", first, last), "month"),
        "October 2023 (2023-10-27 – 2023-10-31)");
});
