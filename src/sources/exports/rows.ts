import type { MetricCatalogue, MetricValue } from "../../engine/index.ts";
import type { AgentDayRecord, RowProblem } from "../source.ts";
import { normalText, type Reading, readDay, readFigure, readText, shownValue } from "./cell-values.ts";
import { SUMMARY_LABELS } from "./cell-words.ts";
import { figuresOf } from "./figures.ts";
import type { ColumnPlan, HeaderPlan } from "./header.ts";
import { readMetricCell } from "./kinds/generic.ts";
import { isBlank, type TableCell, type TableRow } from "./table.ts";

/**
 * The rows under the header: one record per agent (and day), summary rows skipped, every bad
 * cell of every row reported. A row with a problem yields no record.
 */

const summary = new Set(SUMMARY_LABELS);

export interface RowsResult {
  records: AgentDayRecord[];
  problems: RowProblem[];
}

interface RowReadings {
  fields: Partial<Record<"agent" | "day" | "shop", string>>;
  numbers: Map<string, Reading<number>>;
  metrics: Map<string, Reading<MetricValue>>;
  problems: RowProblem[];
  hasFigure: boolean;
}

function readRow(row: TableRow, columns: readonly ColumnPlan[], catalogue: MetricCatalogue): RowReadings {
  const result: RowReadings = {
    fields: {},
    numbers: new Map(),
    metrics: new Map(),
    problems: [],
    hasFigure: false,
  };
  for (const { index, header, column } of columns) {
    const cell = row.cells[index];
    const { key, read } = column;
    let reading: Reading<unknown>;
    if (read === "text" || read === "day") {
      const text = read === "text" ? readText(cell) : readDay(cell);
      if (text.state === "value") result.fields[key as "agent" | "day" | "shop"] = text.value;
      reading = text;
    } else if (read === "metric") {
      const metric = readMetricCell(cell, catalogue.get(key)!);
      result.metrics.set(key, metric);
      reading = metric;
    } else {
      const figure = readFigure(cell, read);
      result.numbers.set(key, figure);
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

const isSummaryLabel = (cell: TableCell | undefined) => summary.has(normalText(shownValue(cell)));

function isSummary(row: TableRow, agentColumn: ColumnPlan): boolean {
  return (
    isSummaryLabel(row.cells[agentColumn.index]) || (agentColumn.index !== 0 && isSummaryLabel(row.cells[0]))
  );
}

export function readRecords(
  rows: readonly TableRow[],
  plan: HeaderPlan,
  catalogue: MetricCatalogue,
): RowsResult {
  const agentColumn = plan.columns.find((c) => c.column.key === "agent")!;
  const headerOf = (key: string) => plan.columns.find((c) => c.column.key === key)?.header ?? key;
  const records: AgentDayRecord[] = [];
  const problems: RowProblem[] = [];
  const firstLine = new Map<string, number>();
  const dayColumn = plan.columns.find((c) => c.column.key === "day");
  const figuresOfRow = figuresOf(plan.table.recipes);
  for (const row of rows.slice(plan.rowIndex + 1)) {
    if (row.cells.every(isBlank) || isSummary(row, agentColumn)) continue;
    const readings = readRow(row, plan.columns, catalogue);
    // A note under the table ("数据来源：…") has no figures; a row with figures needs its agent.
    if (!readings.hasFigure) continue;
    const { agent, day, shop } = readings.fields;
    const rowProblems = [...readings.problems];
    if (!agent)
      rowProblems.unshift({ line: row.line, column: agentColumn.header, reason: "the agent is missing" });
    const dayIsBad = rowProblems.some((p) => p.column === dayColumn?.header);
    if (dayColumn && !day && !dayIsBad)
      rowProblems.push({ line: row.line, column: dayColumn.header, reason: "the day is missing" });
    if (agent && (!dayColumn || day)) {
      const key = `${shop ?? ""}\u0000${agent}\u0000${day ?? ""}`;
      const earlier = firstLine.get(key);
      if (earlier === undefined) firstLine.set(key, row.line);
      else
        rowProblems.push({
          line: row.line,
          column: agentColumn.header,
          value: agent,
          reason: `has another row${day ? ` for ${day}` : ""} on line ${earlier}`,
        });
    }
    const figures = figuresOfRow(readings.numbers);
    for (const { key: blamed, moreThan } of figures.problems)
      rowProblems.push({
        line: row.line,
        column: headerOf(blamed),
        value: shownValue(row.cells[plan.columns.find((c) => c.column.key === blamed)!.index]),
        reason: `is more than ${moreThan.map(headerOf).join(" + ")}`,
      });
    if (rowProblems.length > 0) {
      problems.push(...rowProblems);
      continue;
    }
    const values = figures.values;
    const pending = figures.pending;
    for (const [metric, reading] of readings.metrics) {
      if (reading.state === "value") values[metric] = reading.value;
      else if (reading.state === "pending") pending.push(metric);
    }
    records.push({
      line: row.line,
      ...(shop ? { shop } : {}),
      agent: agent!,
      ...(day ? { day } : {}),
      values,
      pending,
    });
  }
  return { records, problems };
}
