import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configurations, measure, phraseTable, readLabelled } from "../../bench/phrases/measure.ts";

/**
 * The forbidden-phrase rules on the labelled agent replies (tests/fixtures/phrases/labelled.csv):
 * no polite use is flagged, and docs/chatlog.md states the figures they reach.
 */
const replies = readLabelled();
const results = configurations().map((c) => measure(c, replies));

describe("the forbidden-phrase rules on labelled replies", () => {
  it("is a set of at least 300 replies across five kinds of shop, each polite use holding its phrase", () => {
    expect(replies.length).toBeGreaterThanOrEqual(300);
    expect(new Set(replies.map((r) => r.domain))).toEqual(
      new Set(["apparel", "electronics", "beauty", "food", "after-sales"]),
    );
    for (const category of ["polite", "violation", "near-miss"])
      expect(replies.filter((r) => r.category === category).length).toBeGreaterThan(50);
    for (const r of replies.filter((r) => r.category !== "near-miss")) expect(r.text).toContain(r.phrase);
    expect(replies.filter((r) => r.category === "polite").every((r) => !r.violation)).toBe(true);
    expect(replies.filter((r) => r.category === "violation").every((r) => r.violation)).toBe(true);
  });

  it("flags no polite use, with the default rules or the suggested ones switched on", () => {
    for (const shipped of results.slice(0, 2)) {
      const flagged = shipped.judged.filter((j) => j.hit && j.reply.category === "polite");
      expect(
        flagged.map((j) => j.reply.text),
        shipped.configuration,
      ).toEqual([]);
    }
    // The substring match they replace flagged nearly every one.
    expect(results[2]!.politeHits).toBeGreaterThan(100);
  });

  it("reaches the precision and recall docs/chatlog.md states", () => {
    const docs = readFileSync(join(import.meta.dirname, "../../docs/chatlog.md"), "utf8");
    expect(docs).toContain(phraseTable(results));
    const count = (category: string) => replies.filter((r) => r.category === category).length;
    expect(docs).toContain(`${replies.length} labelled replies`);
    expect(docs).toContain(
      `${count("polite")} polite uses of a phrase, ${count("violation")} true violations`,
    );
    expect(docs).toContain(`and ${count("near-miss")} near misses`);
  });
});
