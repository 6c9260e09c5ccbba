import { terminalTable } from "../chat/console/terminal-table.ts";
import type { Messages } from "../i18n/index.ts";
import type { ScorecardView } from "../present/scorecard-view.ts";

/** A scorecard as a terminal table; cli-table3 measures CJK characters as two columns wide. */
export function renderTable(view: ScorecardView, t: Messages): string {
  const c = t.columns;
  const table = terminalTable(
    [c.metric, c.target, c.actual, c.score, c.weight, c.weighted],
    ["left", "right", "right", "right", "right", "right"],
  );
  for (const r of view.rows) table.push([r.metric, r.target, r.actual, r.score, r.weight, r.weighted]);
  const lines = [view.heading];
  if (view.seasons) lines.push(view.seasons);
  lines.push(table.toString(), view.summary);
  if (view.pay) lines.push(view.pay);
  for (const split of view.splits ?? []) lines.push(split);
  if (view.pendingNote) lines.push(view.pendingNote);
  if (view.correctedNote) lines.push(view.correctedNote);
  for (const note of view.itemNotes ?? []) lines.push(note);
  for (const advice of view.advice ?? []) lines.push(`→ ${advice}`);
  return lines.join("\n");
}
