import {
  type AgentDayFigures,
  actualOf,
  builtinCatalogue,
  type ChatlogResult,
  formatQuantity,
  type MetricValue,
} from "../engine/index.ts";
import type { Messages } from "../i18n/index.ts";

/**
 * How `kpi metrics` prints per agent-day figures: a table for people, CSV for `kpi score`. The
 * table's module (cli-table3) loads only when a table is asked for.
 */

/** The figures file of `kpi score`: exact fractions, so that roll-ups into weeks and months stay exact. */
export function agentDaysCsv(rows: readonly AgentDayFigures[]): string {
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const cell = (v: MetricValue | undefined) => (v ? `${tidy(v.num)}/${tidy(v.den)}` : "");
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [["agent", "shop", "date", ...metrics].join(",")];
  for (const r of rows)
    lines.push([quote(r.agent), quote(r.shop), r.day, ...metrics.map((m) => cell(r.values[m]))].join(","));
  return lines.join("\n");
}

function tidy(x: number): string {
  // Counts are most cells: an integer below 10^15 prints the same without the rounding.
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  return String(Number.parseFloat(x.toPrecision(15)));
}

const COLUMNS = [
  "receptions",
  "first_response_time",
  "response_30s_rate",
  "avg_response_time",
  "reply_rate",
  "qa_ratio",
  "long_wait_count",
  "transfer_rate",
  "concurrent_sessions",
  "response_3min_rate",
  "effective_reply_rate",
  "leave_message_reply_rate",
  "resolution_rate",
  "conversion_rate",
  "sales_amount",
  "csat_rate",
  "bad_review_rate",
  "script_compliance",
];

export async function agentDaysTable(result: ChatlogResult, t: Messages): Promise<string> {
  const { terminalTable } = await import("../chat/console/terminal-table.ts");
  const shown = COLUMNS.filter((id) => result.agentDays.some((r) => r.values[id]));
  const name = (id: string) => {
    const m = builtinCatalogue.get(id)!;
    return t.lang === "en" ? m.en : m.zh;
  };
  const table = terminalTable([
    t.lang === "en" ? "agent" : "客服",
    t.lang === "en" ? "day" : "日期",
    ...shown.map(name),
  ]);
  for (const r of result.agentDays) {
    table.push([
      r.shop ? `${r.agent} (${r.shop})` : r.agent,
      r.day,
      ...shown.map((id) => {
        const v = r.values[id];
        const metric = builtinCatalogue.get(id)!;
        const actual = v ? actualOf(metric, v) : null;
        const text = actual === null ? "" : formatQuantity(metric, actual);
        return r.provisional.includes(id) && text ? `${text}*` : text;
      }),
    ]);
  }
  const s = result.stats;
  const footer =
    t.lang === "en"
      ? `${s.lines.toLocaleString("en-US")} lines, ${s.consultations.toLocaleString("en-US")} consultations, ${result.facts.length} facts; * provisional`
      : `共 ${s.lines} 行消息、${s.consultations} 个咨询会话、${result.facts.length} 条明细（超时未回复、禁用话术、低分评价、差评）；带 * 的是暂定值`;
  return `${table.toString()}\n${footer}`;
}
