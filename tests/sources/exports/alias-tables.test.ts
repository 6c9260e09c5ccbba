import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_METRICS, builtinCatalogue, MetricCatalogue } from "../../../src/engine/index.ts";
import {
  EXPORT_TABLES,
  GENERIC_FIELDS,
  headerKey,
  NO_FIGURE,
  PENDING_MARKERS,
  parseExport,
  RECORD_FIELDS,
  recipeKeys,
  SUMMARY_LABELS,
} from "../../../src/sources/exports/index.ts";

const docs = readFileSync(join(import.meta.dirname, "../../../docs/imports.md"), "utf8");
const readme = readFileSync(join(import.meta.dirname, "../../../README.md"), "utf8");
const tables = Object.values(EXPORT_TABLES);

describe("the export header tables", () => {
  it.each(tables.map((t) => [t.kind, t] as const))("%s names only metrics of the catalogue", (_, table) => {
    const ids = new Set(BUILTIN_METRICS.map((m) => m.id));
    for (const { metric } of table.recipes) expect(ids, metric).toContain(metric);
    // A column keyed like a metric is that metric's own figure, and must have a recipe.
    for (const column of table.columns)
      if (ids.has(column.key)) expect(table.recipes.map((r) => r.metric)).toContain(column.key);
  });

  it.each(tables.map((t) => [t.kind, t] as const))("%s reads every column it names", (_, table) => {
    const used = new Set([...RECORD_FIELDS, ...table.recipes.flatMap((r) => r.from.flatMap(recipeKeys))]);
    for (const column of table.columns) expect(used, column.key).toContain(column.key);
    const keys = new Set(table.columns.map((c) => c.key));
    for (const key of used) expect(keys, key).toContain(key);
  });

  it.each(tables.map((t) => [t.kind, t] as const))("%s gives each header text one meaning", (_, table) => {
    const headers = table.columns.flatMap((c) => c.headers.map(headerKey));
    expect(new Set(headers).size).toBe(headers.length);
  });

  it("has an agent column in every table, the generic template's included", () => {
    for (const table of tables) expect(table.columns.some((c) => c.key === "agent")).toBe(true);
    expect(GENERIC_FIELDS.map((c) => c.key)).toEqual(["agent", "day", "shop"]);
  });

  it("refuses a catalogue that lacks a metric the tables fill in", async () => {
    const catalogue = new MetricCatalogue(BUILTIN_METRICS.filter((m) => m.id !== "csat_score"));
    const bytes = new TextEncoder().encode("客服昵称,接待人数\n小张,1\n");
    await expect(parseExport(bytes, { fileName: "a.csv", catalogue })).rejects.toThrow(
      'the chitu export table names unknown metric "csat_score"',
    );
    const batch = await parseExport(bytes, { fileName: "a.csv", catalogue: builtinCatalogue });
    expect(batch.records).toHaveLength(1);
  });
});

describe("docs/imports.md", () => {
  it.each(tables.map((t) => [t.kind, t] as const))("lists every header text and key of %s", (_, table) => {
    for (const column of table.columns) {
      expect(docs, column.key).toContain(`\`${column.key}\``);
      for (const header of column.headers) expect(docs, header).toContain(`\`${header}\``);
    }
    for (const { metric } of table.recipes) expect(docs, metric).toContain(`\`${metric}\``);
  });

  it.each(tables.map((t) => [t.kind, t] as const))("is copied into the README for %s", (_, table) => {
    for (const column of table.columns)
      for (const header of column.headers) expect(readme, header).toContain(`\`${header}\``);
  });

  it("lists the generic template's fields", () => {
    for (const column of GENERIC_FIELDS)
      for (const header of column.headers) expect(docs, header).toContain(`\`${header}\``);
  });

  it("lists the no-figure, pending and summary markers", () => {
    for (const marker of [...NO_FIGURE, ...PENDING_MARKERS, ...SUMMARY_LABELS])
      expect(docs, marker).toContain(`\`${marker}\``);
  });
});
