/**
 * The precision/recall table of bench/gaming, with its targets: false alerts on honest agents
 * ≤ 1 per 100 agent-weeks (each detector, and all of them together), precision ≥ 0.9, recall ≥
 * 0.9 on blatant and ≥ 0.6 on moderate gamers. Subtle gamers are reported, not targeted: they
 * are planted at the edge of what a week's cases can show.
 */
import type { DetectorRow, JudgedWeek } from "./measure.ts";
import { honestWeeksAlerted, tabulate } from "./measure.ts";

export const TARGETS = {
  falseAlertsPer100: 1,
  precision: 0.9,
  blatantRecall: 0.9,
  moderateRecall: 0.6,
} as const;

/** figure_jump is a backstop behind the conversation rules: its recall is reported, not targeted. */
const RECALL_TARGETED = (row: DetectorRow) => row.kind !== "figure_jump";

export interface TableLine {
  detector: string;
  planted: string;
  subtle: string;
  moderate: string;
  blatant: string;
  precision: string;
  falsePer100: string;
  met: boolean;
}

const ratio = (cell: { caught: number; of: number }) =>
  cell.of === 0 ? "—" : `${(cell.caught / cell.of).toFixed(2)} (${cell.caught}/${cell.of})`;

export function precisionOf(row: DetectorRow): number {
  const alerts = row.truePositives + row.falseAlerts;
  return alerts === 0 ? 1 : row.truePositives / alerts;
}

export function per100(alerts: number, weeks: number): number {
  return weeks === 0 ? 0 : (100 * alerts) / weeks;
}

export function rowMet(row: DetectorRow): boolean {
  const rate = (c: { caught: number; of: number }) => (c.of === 0 ? 1 : c.caught / c.of);
  const recallMet =
    !RECALL_TARGETED(row) ||
    (rate(row.recall.blatant) >= TARGETS.blatantRecall &&
      rate(row.recall.moderate) >= TARGETS.moderateRecall);
  return (
    per100(row.falseAlerts, row.honestWeeks) <= TARGETS.falseAlertsPer100 &&
    precisionOf(row) >= TARGETS.precision &&
    recallMet
  );
}

export function tableLines(judged: readonly JudgedWeek[]): { lines: TableLine[]; allMet: boolean } {
  const rows = tabulate(judged);
  const lines: TableLine[] = rows.map((row) => ({
    detector: row.kind,
    planted: row.planted.join(", "),
    subtle: ratio(row.recall.subtle),
    moderate: ratio(row.recall.moderate),
    blatant: ratio(row.recall.blatant),
    precision: precisionOf(row).toFixed(2),
    falsePer100: per100(row.falseAlerts, row.honestWeeks).toFixed(2),
    met: rowMet(row),
  }));
  const any = honestWeeksAlerted(judged);
  const anyPer100 = per100(any.alerted, any.of);
  lines.push({
    detector: "any (honest agent-weeks with an alert)",
    planted: "",
    subtle: "",
    moderate: "",
    blatant: "",
    precision: "",
    falsePer100: anyPer100.toFixed(2),
    met: anyPer100 <= TARGETS.falseAlertsPer100,
  });
  return { lines, allMet: lines.every((l) => l.met) };
}

export function markdownTable(lines: readonly TableLine[]): string {
  const head =
    "| detector | planted kinds counted | recall subtle | recall moderate | recall blatant | precision | false alerts / 100 honest agent-weeks | targets met |\n" +
    "|---|---|---|---|---|---|---|---|";
  const body = lines.map(
    (l) =>
      `| ${l.detector} | ${l.planted} | ${l.subtle} | ${l.moderate} | ${l.blatant} | ${l.precision} | ${l.falsePer100} | ${l.met ? "met" : "NOT MET"} |`,
  );
  return [head, ...body].join("\n");
}
