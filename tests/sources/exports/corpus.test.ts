import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { MetricValue } from "../../../src/engine/index.ts";
import { parseExport } from "../../../src/sources/exports/index.ts";
import { type ExpectedFigure, expectedRecords } from "../../fixtures/exports/corpus/expected-records.ts";
import { CORPUS } from "../../fixtures/exports/corpus/manifest.ts";

/**
 * Every file of the export corpus (tests/fixtures/exports/corpus/, written by make-corpus.ts as
 * the back offices write them) is read with its kind detected, no row refused, its totals row
 * and title lines skipped, and each agent-day's figures as its manifest entry says: exact
 * numerators and denominators, finished figures, or pending.
 */

const corpus = join(import.meta.dirname, "../../fixtures/exports/corpus");

/**
 * A figure as the manifest states it: exact, or finished (den 1) with the figure printed and the
 * headers that would have made it exact (none for the generic template, whose figure would be
 * exact as a fraction in its own column).
 */
function stated(value: MetricValue): ExpectedFigure | MetricValue {
  if (!value.finished) return { exact: { num: value.num, den: value.den } };
  return value.den === 1 ? { finished: value.num, needs: value.needs ?? [] } : value;
}

describe.each(CORPUS)("the corpus file $file", (entry) => {
  it(`is read as ${entry.kind}: ${entry.shows}`, async () => {
    const batch = await parseExport(readFileSync(join(corpus, entry.file)), { fileName: entry.file });
    expect(batch.kind).toBe(entry.kind);
    expect(batch.problems).toEqual([]);
    // What the header row alone says; the generic template's cells say it row by row.
    if (entry.kind !== "generic")
      expect(Object.fromEntries(batch.finishedOnly.map((f) => [f.metric, f.needs]))).toEqual(
        entry.finished ?? {},
      );
    const read = batch.records.map((record) => ({
      agent: record.agent,
      day: record.day,
      values: Object.fromEntries(Object.entries(record.values).map(([id, v]) => [id, stated(v)])),
      pending: [...record.pending].sort(),
    }));
    const dated = entry.dayColumn !== undefined;
    expect(read).toEqual(
      expectedRecords(entry).map((e) => ({
        agent: e.account,
        day: dated ? e.day : undefined,
        values: e.values,
        pending: e.pending,
      })),
    );
  });
});

describe("the corpus", () => {
  it("covers each kind as xlsx and text, rates only and counts only, with and without a date column", () => {
    for (const kind of new Set(CORPUS.map((e) => e.kind))) {
      const files = CORPUS.filter((e) => e.kind === kind);
      expect(files.some((e) => e.format === "xlsx")).toBe(true);
      expect(files.some((e) => e.format !== "xlsx")).toBe(true);
      expect(files.some((e) => e.finished && Object.keys(e.finished).length > 0)).toBe(true);
      expect(files.some((e) => e.dayColumn && e.days.length > 1)).toBe(true);
    }
  });
});
