import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import {
  type AgentPeriod,
  finishedValue,
  InvalidDocument,
  InvalidInput,
  type Issue,
  type MetricCatalogue,
  type MetricDef,
  type MetricValue,
  type MetricValues,
  parsePeriod,
  parseQuantity,
} from "../engine/index.ts";

/**
 * The documented per-agent figures file (README, "Input files"): one record per agent and
 * period, as JSON or CSV with the same columns. Metric columns are named by metric id or by
 * Chinese name; a cell is a figure ("18%", "25s", 180) or an exact fraction ("36/200").
 * The whole file is read or nothing is: every problem is reported with its row and column.
 */

const FIELDS = {
  agent: ["agent", "客服", "客服昵称", "客服名称", "客服账号", "姓名", "name"],
  role: ["role", "岗位", "角色"],
  period: ["period", "date", "周期", "日期", "月份", "统计日期"],
  team: ["team", "组", "小组", "团队", "班组"],
  shop: ["shop", "店铺"],
  category: ["category", "类目"],
  salary: ["salary", "薪资", "薪资基数", "工资基数"],
} as const;
type Field = keyof typeof FIELDS;
const IGNORED = new Set(["note", "notes", "备注", "comment"]);

const fieldByName = new Map<string, Field>(
  Object.entries(FIELDS).flatMap(([field, names]) =>
    names.map((n) => [n.toLowerCase(), field as Field] as const),
  ),
);

export interface MetricFileOptions {
  catalogue: MetricCatalogue;
  /** Names the file in errors. */
  source: string;
  /** Used for records without a role (a scheme set with a single role). */
  defaultRole?: string;
  /** Used for records without a period. */
  defaultPeriod?: string;
}

const fractionDoc = z.strictObject({
  num: z.number(),
  den: z.number().nonnegative(),
  base: z.strictObject({ num: z.number(), den: z.number().nonnegative() }).optional(),
});

const fractionText = /^\s*(-?\d[\d,]*(?:\.\d+)?)\s*\/\s*(\d[\d,]*(?:\.\d+)?)\s*$/;

function readValue(metric: MetricDef, raw: unknown, dayRecord: boolean): MetricValue | undefined {
  if (raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "")) return undefined;
  let value: MetricValue;
  if (typeof raw === "object") {
    const parsed = fractionDoc.safeParse(raw);
    if (!parsed.success) throw new InvalidInput("", "write a figure, or {num, den} with a non-negative den");
    value = {
      num: parsed.data.num,
      den: parsed.data.den,
      ...(parsed.data.base ? { base: parsed.data.base } : {}),
    };
  } else if (typeof raw === "string" && fractionText.test(raw)) {
    const [, num, den] = fractionText.exec(raw)!;
    value = { num: Number(num!.replace(/,/g, "")), den: Number(den!.replace(/,/g, "")) };
  } else if (typeof raw === "string" || typeof raw === "number") {
    const actual = parseQuantity(metric, raw);
    const exact =
      metric.aggregation === "count" || metric.aggregation === "amount" || (metric.perDay && dayRecord);
    value = exact ? { num: actual, den: 1 } : finishedValue(actual);
  } else {
    throw new InvalidInput("", `${JSON.stringify(raw)} is not a figure`);
  }
  if (metric.aggregation !== "change" && value.num < 0) throw new InvalidInput("", "cannot be negative");
  return value;
}

function isKnownColumn(name: string, catalogue: MetricCatalogue): boolean {
  const key = name.trim().toLowerCase();
  return fieldByName.has(key) || IGNORED.has(key) || catalogue.find(name.trim()) !== undefined;
}

interface Cell {
  name: string;
  raw: unknown;
  where: string;
}

function readRecord(
  cells: Cell[],
  where: string,
  options: MetricFileOptions,
  issues: Issue[],
): AgentPeriod | undefined {
  const before = issues.length;
  const fields: Partial<Record<Field, string>> = {};
  const metricCells: [MetricDef, Cell][] = [];
  for (const cell of cells) {
    const field = fieldByName.get(cell.name.trim().toLowerCase());
    if (field) {
      if (cell.raw !== null && cell.raw !== undefined && String(cell.raw).trim() !== "")
        fields[field] = String(cell.raw).trim();
      continue;
    }
    if (IGNORED.has(cell.name.trim().toLowerCase())) continue;
    const metric = options.catalogue.find(cell.name.trim());
    if (metric) metricCells.push([metric, cell]);
    else issues.push({ path: cell.where, message: `"${cell.name}" is neither a metric nor a known column` });
  }
  const agent = fields.agent;
  if (!agent) issues.push({ path: where, message: "the agent is missing" });
  const role = fields.role ?? options.defaultRole;
  if (!role) issues.push({ path: where, message: "the role is missing (the scheme has several roles)" });
  const period = fields.period ?? options.defaultPeriod;
  let dayRecord = false;
  if (!period)
    issues.push({ path: where, message: "the period is missing (give a period column or --period)" });
  else {
    try {
      dayRecord = parsePeriod(period).kind === "day";
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      issues.push({ path: `${where}, period`, message: error.reason });
    }
  }
  let salary: number | undefined;
  if (fields.salary !== undefined) {
    salary = Number(fields.salary.replace(/[,¥￥元]/g, ""));
    if (!Number.isFinite(salary) || salary < 0)
      issues.push({ path: `${where}, salary`, message: `"${fields.salary}" is not an amount` });
  }
  const values: MetricValues = {};
  for (const [metric, cell] of metricCells) {
    try {
      const value = readValue(metric, cell.raw, dayRecord);
      if (value) values[metric.id] = value;
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      issues.push({ path: cell.where, message: `${metric.id}: ${error.reason}` });
    }
  }
  if (issues.length > before) return undefined;
  return {
    agent: agent!,
    role: role!,
    period: parsePeriod(period!).key,
    ...(fields.team ? { team: fields.team } : {}),
    ...(fields.shop ? { shop: fields.shop } : {}),
    ...(fields.category ? { category: fields.category } : {}),
    ...(salary !== undefined ? { salary } : {}),
    values,
  };
}

function fromJson(text: string, options: MetricFileOptions, issues: Issue[]): AgentPeriod[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InvalidInput(options.source, `not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { records?: unknown })?.records;
  if (!Array.isArray(list))
    throw new InvalidInput(options.source, 'expected an array of records, or {"records": [...]}');
  const records: AgentPeriod[] = [];
  list.forEach((item, i) => {
    const where = `records[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      issues.push({ path: where, message: "a record is an object" });
      return;
    }
    const cells: Cell[] = [];
    for (const [name, raw] of Object.entries(item)) {
      if (name === "metrics" && typeof raw === "object" && raw !== null) {
        for (const [m, v] of Object.entries(raw))
          cells.push({ name: m, raw: v, where: `${where}.metrics.${m}` });
      } else cells.push({ name, raw, where: `${where}.${name}` });
    }
    const record = readRecord(cells, where, options, issues);
    if (record) records.push(record);
  });
  return records;
}

function fromCsv(text: string, options: MetricFileOptions, issues: Issue[]): AgentPeriod[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, {
      delimiter: [",", "\t"],
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
    });
  } catch (error) {
    throw new InvalidInput(options.source, `not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...body] = rows;
  if (!header) throw new InvalidInput(options.source, "the file is empty");
  // An unknown column is reported once, for the header, not on every row.
  const known = header.map((name) => isKnownColumn(name, options.catalogue));
  header.forEach((name, c) => {
    if (!known[c])
      issues.push({
        path: `row 1, column ${name}`,
        message: `"${name}" is neither a metric nor a known column`,
      });
  });
  const records: AgentPeriod[] = [];
  body.forEach((row, i) => {
    const where = `row ${i + 2}`;
    const cells = header
      .map((name, c) => ({ name, raw: row[c], where: `${where}, column ${name}` }))
      .filter((_, c) => known[c]);
    const record = readRecord(cells, where, options, issues);
    if (record) records.push(record);
  });
  return records;
}

/** Reads a whole figures file, or throws InvalidDocument listing every bad row. */
export function parseMetricFile(text: string, options: MetricFileOptions): AgentPeriod[] {
  const issues: Issue[] = [];
  const json = /^\s*[[{]/.test(text);
  const records = json ? fromJson(text, options, issues) : fromCsv(text, options, issues);
  if (issues.length > 0) throw new InvalidDocument(`figures file ${options.source}`, issues);
  const seen = new Set<string>();
  for (const r of records) {
    const key = `${r.agent}\u0000${r.role}\u0000${r.period}`;
    if (seen.has(key))
      issues.push({ path: "", message: `${r.agent} (${r.role}) has two records for ${r.period}` });
    seen.add(key);
  }
  if (issues.length > 0) throw new InvalidDocument(`figures file ${options.source}`, issues);
  return records;
}
