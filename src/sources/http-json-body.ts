import { z } from "zod";
import {
  dayKey,
  finishedValue,
  InvalidInput,
  type Issue,
  type MetricCatalogue,
  type MetricDef,
  type MetricValue,
  type MetricValues,
  parseDay,
  parseQuantity,
} from "../engine/index.ts";
import { formatPath } from "../engine/scheme-doc.ts";
import type { AgentDayRecord, RowProblem, SourceFact } from "./source.ts";

/**
 * The body an internal data service answers with (docs/http-source.md), read into records and
 * facts. Structure is checked with zod; figures with the engine's own parsing (parseQuantity),
 * so "85%", "25s" and "¥1,280" mean here what they mean in a figures file. A JSON number is in
 * engine units: 0.85 for 85%, seconds, yuan. Bad figures reject the body; an unknown metric is
 * a problem of its record (the importer decides), not a reason to drop the rest.
 */

/** A real calendar day written YYYY-MM-DD. */
export const isDay = (text: string): boolean => {
  try {
    return dayKey(parseDay(text)) === text;
  } catch (error) {
    if (error instanceof InvalidInput) return false;
    throw error;
  }
};
const day = z.string().refine(isDay, { message: "not a day (YYYY-MM-DD)" });
const name = z.string().trim().min(1);

const record = z.strictObject({
  shop: name.optional(),
  agent: name,
  day: day.optional(),
  values: z.record(z.string(), z.unknown()),
  pending: z.array(z.string()).optional(),
});

const fact = z.strictObject({
  kind: z.enum(["long_wait", "forbidden_phrase", "low_rating", "bad_review"]),
  shop: name.optional(),
  agent: name.nullable().default(null),
  day: day.optional(),
  at: z.iso.datetime({ offset: true }),
  ref: name,
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
});

// Unknown top-level keys (generatedAt, version …) are ignored; inside records and facts a
// misspelt key would lose data, so they are strict.
export const httpBody = z.object({
  day: day.optional(),
  records: z.array(record),
  facts: z.array(fact).optional(),
});

const fraction = z.strictObject({
  num: z.number(),
  den: z.number().nonnegative(),
  base: z.strictObject({ num: z.number(), den: z.number().nonnegative() }).optional(),
});

/** Percentages that may pass 100%: more agent messages than customer ones. */
const UNBOUNDED = new Set(["qa_ratio"]);

function bounded(metric: MetricDef): boolean {
  const percent = metric.unit === "percent" || metric.unit === "permille";
  return percent && metric.aggregation === "ratio" && !UNBOUNDED.has(metric.id);
}

/** A figure in engine units; throws InvalidInput with the reason. */
export function readFigure(metric: MetricDef, raw: unknown): MetricValue {
  let value: MetricValue;
  if (typeof raw === "object" && raw !== null) {
    const parsed = fraction.safeParse(raw);
    if (!parsed.success) throw new InvalidInput("", 'write {"num": …, "den": …} with a non-negative den');
    const { num, den, base } = parsed.data;
    value = base ? { num, den, base } : { num, den };
    if (bounded(metric) && num > den) throw new InvalidInput("", `num ${num} is more than den ${den}`);
  } else if (typeof raw === "number" || typeof raw === "string") {
    const actual = typeof raw === "number" ? raw : parseQuantity(metric, raw);
    if (!Number.isFinite(actual)) throw new InvalidInput("", `${raw} is not a figure`);
    if (typeof raw === "number" && bounded(metric) && actual > 1)
      throw new InvalidInput("", `${raw} is more than 1: write a fraction (0.85) or a percentage ("85%")`);
    // Every record is one day, so a day's receptions or online hours are exact as they are.
    const exact = metric.aggregation === "count" || metric.aggregation === "amount" || metric.perDay;
    value = exact ? { num: actual, den: 1 } : finishedValue(actual);
  } else {
    throw new InvalidInput("", `${JSON.stringify(raw)} is not a figure`);
  }
  if (metric.aggregation !== "change" && value.num < 0) throw new InvalidInput("", "cannot be negative");
  return value;
}

export interface ReadBody {
  records: AgentDayRecord[];
  facts: SourceFact[];
  problems: RowProblem[];
  /** Reasons to reject the whole body; empty when it is good. */
  issues: Issue[];
}

/** Reads a parsed JSON body for `requestedDay`. */
export function readHttpBody(doc: unknown, requestedDay: string, catalogue: MetricCatalogue): ReadBody {
  const out: ReadBody = { records: [], facts: [], problems: [], issues: [] };
  const parsed = httpBody.safeParse(doc);
  if (!parsed.success) {
    out.issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path) || "body", message: i.message }));
    return out;
  }
  const body = parsed.data;
  if (body.day !== undefined && body.day !== requestedDay)
    out.issues.push({
      path: "day",
      message: `the body is for ${body.day}, not the day asked for, ${requestedDay}`,
    });
  const seen = new Map<string, number>();
  body.records.forEach((r, i) => {
    const where = `records[${i}]`;
    const values: MetricValues = {};
    for (const [key, raw] of Object.entries(r.values)) {
      const metric = catalogue.find(key.trim());
      if (!metric) {
        out.problems.push({
          line: 0,
          column: `${where}.values.${key}`,
          reason: `"${key}" is not a known metric`,
        });
        continue;
      }
      if (raw === null) continue;
      try {
        values[metric.id] = readFigure(metric, raw);
      } catch (error) {
        if (!(error instanceof InvalidInput)) throw error;
        out.issues.push({ path: `${where}.values.${key}`, message: error.reason });
      }
    }
    const pending = new Set<string>();
    r.pending?.forEach((key, j) => {
      const metric = catalogue.find(key.trim());
      if (metric) pending.add(metric.id);
      else
        out.problems.push({
          line: 0,
          column: `${where}.pending[${j}]`,
          reason: `"${key}" is not a known metric`,
        });
    });
    const recordDay = r.day ?? requestedDay;
    const identity = `${r.shop ?? ""}\u0000${r.agent}\u0000${recordDay}`;
    const first = seen.get(identity);
    if (first !== undefined)
      out.issues.push({
        path: where,
        message: `a second record for ${r.agent} on ${recordDay} (see records[${first}])`,
      });
    else seen.set(identity, i);
    out.records.push({
      line: 0,
      ...(r.shop !== undefined ? { shop: r.shop } : {}),
      agent: r.agent,
      day: recordDay,
      values,
      pending: [...pending],
    });
  });
  out.facts = (body.facts ?? []).map((f) => ({
    kind: f.kind,
    ...(f.shop !== undefined ? { shop: f.shop } : {}),
    agent: f.agent,
    day: f.day ?? requestedDay,
    at: f.at,
    ref: f.ref,
    detail: f.detail,
  }));
  return out;
}
