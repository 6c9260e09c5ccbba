/**
 * Our engine's side of the three-way comparison: its per-agent-day figures as ResponseRows, the
 * shape the SQL versions return (waits in whole milliseconds).
 */
import type { AgentDayFigures } from "../../src/engine/index.ts";
import type { ResponseRow } from "./response-sql.ts";
import type { TransferRow } from "./transfer-sql.ts";

const ms = (seconds: number) => Math.round(seconds * 1000);

export function responseRows(agentDays: readonly AgentDayFigures[]): ResponseRow[] {
  const rows: ResponseRow[] = [];
  for (const r of agentDays) {
    const v = r.values;
    // Rows with counted segments only, as the SQL returns.
    if (!v.reply_rate || v.reply_rate.den === 0) continue;
    rows.push({
      shop: r.shop,
      agent: r.agent,
      day: r.day,
      frtMs: ms(v.first_response_time?.num ?? 0),
      frtCount: v.first_response_time?.den ?? 0,
      within30s: v.response_30s_rate?.num ?? 0,
      counted: v.reply_rate.den,
      artMs: ms(v.avg_response_time?.num ?? 0),
      artCount: v.avg_response_time?.den ?? 0,
      answered: v.reply_rate.num,
      replies: v.qa_ratio?.num ?? 0,
      customerMessages: v.qa_ratio?.den ?? 0,
    });
  }
  return rows;
}

/** transfer_rate's parts per agent-day, the shape transfer-sql.ts returns. */
export function transferRows(agentDays: readonly AgentDayFigures[]): TransferRow[] {
  return agentDays
    .filter((r) => (r.values.transfer_rate?.den ?? 0) > 0)
    .map((r) => ({
      shop: r.shop,
      agent: r.agent,
      day: r.day,
      segments: r.values.transfer_rate!.den,
      transfersOut: r.values.transfer_rate!.num,
    }));
}

/** Our `kpi metrics --format csv` output (exact fractions) read back into agent-day figures. */
export function parseFiguresCsv(text: string): AgentDayFigures[] {
  const [header, ...lines] = text.trim().split("\n");
  const columns = header!.split(",");
  return lines.map((line) => {
    // agent and shop are quoted when they hold commas; the generator's never do.
    const cells = line.split(",");
    const values: AgentDayFigures["values"] = {};
    columns.slice(3).forEach((metric, k) => {
      const cell = cells[k + 3];
      if (!cell) return;
      const [num, den] = cell.split("/").map(Number);
      values[metric] = { num: num!, den: den! };
    });
    return { agent: cells[0]!, shop: cells[1]!, day: cells[2]!, values, provisional: [] };
  });
}

/** Rows that differ between two results, keyed shop|agent|day (an empty list when they agree). */
export function differences<Row extends { shop: string; agent: string; day: string }>(
  a: readonly Row[],
  b: readonly Row[],
): string[] {
  const key = (r: Row) => `${r.shop}|${r.agent}|${r.day}`;
  const byKey = new Map(b.map((r) => [key(r), r]));
  const out: string[] = [];
  for (const row of a) {
    const other = byKey.get(key(row));
    byKey.delete(key(row));
    if (!other) {
      out.push(`${key(row)}: only in the first`);
      continue;
    }
    const fields = (Object.keys(row) as (keyof Row & string)[]).filter((f) => row[f] !== other[f]);
    if (fields.length)
      out.push(`${key(row)}: ${fields.map((f) => `${f} ${row[f]} ≠ ${other[f]}`).join(", ")}`);
  }
  for (const k of byKey.keys()) out.push(`${k}: only in the second`);
  return out;
}
