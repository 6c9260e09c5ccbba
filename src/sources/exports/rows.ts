import type { MetricCatalogue, MetricValue, MetricValues } from "../../engine/index.ts";
import type { AgentDayRecord, RecordChunk, RowProblem } from "../source.ts";
import { normalText, type Reading, readDay, readText, shownValue } from "./cell-values.ts";
import { SUMMARY_LABELS } from "./cell-words.ts";
import { detached } from "./detached.ts";
import { figureOf } from "./figure-cells.ts";
import { FigureSlots, figuresOf, type RowFigures } from "./figures.ts";
import { FirstLines } from "./first-lines.ts";
import type { ColumnPlan, HeaderPlan } from "./header.ts";
import { readMetricCell } from "./kinds/generic.ts";
import { isBlank, type TableCell, type TableRow } from "./table.ts";

/**
 * The rows under the header: one record per agent (and day), summary rows skipped, every bad
 * cell of every row reported. A row with a problem yields no record.
 */

const summary = new Set(SUMMARY_LABELS);

interface RowReadings {
  fields: Partial<Record<"agent" | "day" | "shop", string>>;
  /** By the index of the plan's column: the table's arrays, filled afresh for each row. */
  numbers: FigureSlots;
  metrics: [metric: string, Reading<MetricValue>][];
  problems: RowProblem[];
  hasFigure: boolean;
}

function readRow(
  row: TableRow,
  cells: readonly TableCell[],
  columns: readonly ColumnPlan[],
  catalogue: MetricCatalogue,
  numbers: FigureSlots,
): RowReadings {
  numbers.clear();
  const result: RowReadings = {
    fields: {},
    numbers,
    metrics: [],
    problems: [],
    hasFigure: false,
  };
  for (let c = 0; c < columns.length; c++) {
    const { index, header, column } = columns[c]!;
    const cell = cells[index];
    const { key, read } = column;
    let reading: Reading<unknown>;
    if (read === "text" || read === "day") {
      const text = read === "text" ? readText(cell) : readDay(cell);
      if (text.state === "value") result.fields[key as "agent" | "day" | "shop"] = text.value;
      reading = text;
    } else if (read === "metric") {
      const metric = readMetricCell(cell, catalogue.get(key)!);
      result.metrics.push([key, metric]);
      reading = metric;
    } else {
      const figure = figureOf(cell, read);
      if (typeof figure === "number") {
        numbers.set(c, figure);
        result.hasFigure = true;
        continue;
      }
      if (figure.state === "pending") numbers.setPending(c);
      reading = figure;
    }
    if (reading.state === "bad")
      result.problems.push({
        line: row.line,
        column: header,
        value: shownValue(cell),
        reason: reading.reason,
      });
    if (read !== "text" && read !== "day" && reading.state !== "empty") result.hasFigure = true;
  }
  return result;
}

/**
 * 汇总, and the ways back offices and shops' own sheets dress it: "合计：", "总计(2人)", "店铺汇总",
 * "Total". An agent is never named so; a totals row read as an agent would be scored as one.
 */
function isSummaryLabel(cell: TableCell | undefined): boolean {
  const text = normalText(shownValue(cell));
  if (summary.has(text)) return true;
  const bare = text
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/[:：]$/, "")
    .replace(/\([^()]*\)$/, "")
    .replace(/^(店铺|全店|团队|全部|所有客服|客服)/, "")
    .toLowerCase();
  return summary.has(bare) || SUMMARY_WORDS.has(bare);
}

const SUMMARY_WORDS = new Set(["total", "grandtotal", "subtotal", "sum", "average", "avg", "mean"]);

function isSummary(cells: readonly TableCell[], agentColumn: ColumnPlan): boolean {
  return isSummaryLabel(cells[agentColumn.index]) || (agentColumn.index !== 0 && isSummaryLabel(cells[0]));
}

/** A record's pending metrics when there are none: one array for the many records without any. */
const NO_PENDING: string[] = Object.freeze([]) as unknown as string[];

/**
 * Reads the rows under the header one at a time, into records (or problems). The agents', shops'
 * and days' names are kept once each, not once per row: a month of a big shop's export repeats
 * each agent 31 times and each day 10,000 times.
 */
export class RecordReader {
  records: AgentDayRecord[] = [];
  problems: RowProblem[] = [];
  private readonly agentColumn: ColumnPlan;
  private readonly dayColumn: ColumnPlan | undefined;
  private readonly firstLine = new FirstLines();
  private readonly figuresOfRow: (readings: FigureSlots) => RowFigures;
  private readonly numbers: FigureSlots;
  private readonly names = new Map<string, string>();

  constructor(
    private readonly plan: HeaderPlan,
    private readonly catalogue: MetricCatalogue,
  ) {
    this.agentColumn = plan.columns.find((c) => c.column.key === "agent")!;
    this.dayColumn = plan.columns.find((c) => c.column.key === "day");
    const slots = new Map(plan.columns.map((c, index) => [c.column.key, index]));
    // A key the file has no column for has the slot past the columns, which holds nothing.
    this.figuresOfRow = figuresOf(
      plan.table,
      (key) => slots.get(key) ?? plan.columns.length,
      (key) => slots.has(key),
    );
    this.numbers = new FigureSlots(plan.columns.length);
  }

  private headerOf(key: string): string {
    return this.plan.columns.find((c) => c.column.key === key)?.header ?? key;
  }

  /** The one copy of a name, cut loose from the text it was read from. */
  private kept(name: string): string {
    let kept = this.names.get(name);
    if (kept === undefined) {
      kept = detached(name);
      this.names.set(kept, kept);
    }
    return kept;
  }

  /** The records and problems read since the last take, handed over. */
  take(): RecordChunk {
    const chunk = { records: this.records, problems: this.problems };
    this.records = [];
    this.problems = [];
    return chunk;
  }

  /** Reads one row under the header. */
  add(row: TableRow): void {
    const { plan, agentColumn, dayColumn } = this;
    // CSV rows make their cells on each reading: once per row here.
    const cells = row.cells;
    if (cells.every(isBlank) || isSummary(cells, agentColumn)) return;
    const readings = readRow(row, cells, plan.columns, this.catalogue, this.numbers);
    // A note under the table ("数据来源：…") has no figures; a row with figures needs its agent.
    if (!readings.hasFigure) return;
    const { agent, day, shop } = readings.fields;
    const rowProblems = [...readings.problems];
    if (!agent)
      rowProblems.unshift({ line: row.line, column: agentColumn.header, reason: "the agent is missing" });
    const dayIsBad = rowProblems.some((p) => p.column === dayColumn?.header);
    if (dayColumn && !day && !dayIsBad)
      rowProblems.push({ line: row.line, column: dayColumn.header, reason: "the day is missing" });
    if (agent && (!dayColumn || day)) {
      const earlier = this.firstLine.earlier(
        shop === undefined ? "" : this.kept(shop),
        day === undefined ? "" : this.kept(day),
        this.kept(agent),
        row.line,
      );
      if (earlier !== undefined)
        rowProblems.push({
          line: row.line,
          column: agentColumn.header,
          value: agent,
          reason: `has another row${day ? ` for ${day}` : ""} on line ${earlier}`,
        });
    }
    const figures = this.figuresOfRow(readings.numbers);
    for (const { key: blamed, moreThan } of figures.problems)
      rowProblems.push({
        line: row.line,
        column: this.headerOf(blamed),
        value: shownValue(cells[plan.columns.find((c) => c.column.key === blamed)!.index]),
        reason: `is more than ${moreThan.map((key) => this.headerOf(key)).join(" + ")}`,
      });
    if (rowProblems.length > 0) {
      for (const problem of rowProblems)
        this.problems.push(
          problem.value === undefined ? problem : { ...problem, value: detached(problem.value) },
        );
      return;
    }
    const values = figures.values;
    const pending = figures.pending;
    for (const [metric, reading] of readings.metrics) {
      if (reading.state === "value") values[metric] = reading.value;
      else if (reading.state === "pending") pending.push(metric);
    }
    this.records.push(
      recordOf(
        row.line,
        shop ? this.kept(shop) : undefined,
        this.kept(agent!),
        day ? this.kept(day) : undefined,
        values,
        pending.length === 0 ? NO_PENDING : pending,
      ),
    );
  }
}

/**
 * A record as an object literal of its own shape: one built with spreads (`...(shop ? { shop } :
 * {})`) takes about four times the memory, and a month of a big shop is a million records.
 */
function recordOf(
  line: number,
  shop: string | undefined,
  agent: string,
  day: string | undefined,
  values: MetricValues,
  pending: string[],
): AgentDayRecord {
  if (shop === undefined)
    return day === undefined ? { line, agent, values, pending } : { line, agent, day, values, pending };
  return day === undefined
    ? { line, shop, agent, values, pending }
    : { line, shop, agent, day, values, pending };
}
