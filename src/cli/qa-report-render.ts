import { terminalTable } from "../chat/console/terminal-table.ts";
import type { Lang } from "../i18n/index.ts";
import { type QaReport, type QaReportRow, tallyFigure } from "../qa/qa-report.ts";

/** The 质检报告 as `kpi qa` prints or exports it: a table, CSV, JSON or an xlsx workbook. */

interface Words {
  title: (from: string, to: string) => string;
  agent: string;
  team: string;
  fixed: string[];
  pass: (criterion: string) => string;
  mean: (criterion: string) => string;
  score: string;
  notes: string;
  noteHead: string[];
  none: string;
  sheets: [agents: string, teams: string, notes: string];
}

const WORDS: Record<Lang, Words> = {
  "zh-CN": {
    title: (from, to) => `质检报告 ${from} ~ ${to}`,
    agent: "客服",
    team: "小组",
    fixed: ["类型", "编号", "姓名", "小组", "抽检", "已评", "待评", "逾期"],
    pass: (c) => `${c}合格率%`,
    mean: (c) => `${c}均分`,
    score: "质检得分",
    notes: "备注",
    noteHead: ["会话", "日期", "客服", "质检员", "备注"],
    none: "这段时间没有抽检的会话",
    sheets: ["客服", "小组", "备注"],
  },
  en: {
    title: (from, to) => `QA report ${from} – ${to}`,
    agent: "agent",
    team: "team",
    fixed: ["kind", "id", "name", "team", "sampled", "rated", "pending", "overdue"],
    pass: (c) => `${c} pass %`,
    mean: (c) => `${c} mean`,
    score: "QA score",
    notes: "notes",
    noteHead: ["conversation", "day", "agent", "reviewer", "note"],
    none: "No conversations were sampled for review in this period",
    sheets: ["Agents", "Teams", "Notes"],
  },
};

type Cell = string | number | null;

function header(report: QaReport, lang: Lang): string[] {
  const w = WORDS[lang];
  const name = (c: QaReport["rubric"][number]) => (lang === "en" ? c.en : c.zh);
  return [
    ...w.fixed,
    ...report.rubric.map((c) => (c.scale === "pass" ? w.pass(name(c)) : w.mean(name(c)))),
    w.score,
  ];
}

function cells(report: QaReport, row: QaReportRow, kind: "agent" | "team", lang: Lang): Cell[] {
  const w = WORDS[lang];
  return [
    kind === "agent" ? w.agent : w.team,
    row.id,
    row.name,
    kind === "agent" ? (row.teamName ?? row.teamId ?? "") : "",
    row.sampled,
    row.rated,
    row.pending,
    row.overdue,
    ...report.rubric.map((c) => tallyFigure(row.criteria[c.id], c.scale)),
    tallyFigure(row.score, "score"),
  ];
}

function notesOf(report: QaReport, agentId: string): string {
  return report.notes
    .filter((n) => n.agentId === agentId)
    .map((n) => `#${n.conversationId} ${n.day}: ${n.note}`)
    .join(" | ");
}

/** Agents' rows then teams', each with the agents' notes in the last column. */
function rows(report: QaReport, lang: Lang): Cell[][] {
  return [
    [...header(report, lang), WORDS[lang].notes],
    ...report.agents.map((a) => [...cells(report, a, "agent", lang), notesOf(report, a.id)]),
    ...report.teams.map((t) => [...cells(report, t, "team", lang), ""]),
  ];
}

export function qaReportTable(report: QaReport, lang: Lang): string {
  const w = WORDS[lang];
  const title = w.title(report.from, report.to);
  if (report.agents.length === 0) return `${title}\n${w.none}`;
  const show = (c: Cell) => (c === null ? "—" : String(c));
  const table = (list: QaReportRow[], kind: "agent" | "team") => {
    const t = terminalTable(header(report, lang));
    for (const row of list) t.push(cells(report, row, kind, lang).map(show));
    return t.toString();
  };
  const parts = [title, table(report.agents, "agent"), table(report.teams, "team")];
  if (report.notes.length > 0) {
    const t = terminalTable(w.noteHead);
    for (const n of report.notes) t.push([`#${n.conversationId}`, n.day, n.agentName, n.reviewerId, n.note]);
    parts.push(`${w.notes}\n${t.toString()}`);
  }
  return parts.join("\n\n");
}

export function qaReportCsv(report: QaReport, lang: Lang): string {
  const quote = (c: Cell) => {
    const text = c === null ? "" : String(c);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return rows(report, lang)
    .map((r) => r.map(quote).join(","))
    .join("\n");
}

export function qaReportJson(report: QaReport): string {
  const figures = (row: QaReportRow) => ({
    id: row.id,
    name: row.name,
    team: row.teamId,
    sampled: row.sampled,
    rated: row.rated,
    pending: row.pending,
    overdue: row.overdue,
    criteria: Object.fromEntries(report.rubric.map((c) => [c.id, tallyFigure(row.criteria[c.id], c.scale)])),
    score: tallyFigure(row.score, "score"),
  });
  return JSON.stringify(
    {
      from: report.from,
      to: report.to,
      rubric: report.rubric.map((c) => ({ id: c.id, zh: c.zh, en: c.en, scale: c.scale })),
      agents: report.agents.map(figures),
      teams: report.teams.map(figures),
      notes: report.notes,
    },
    null,
    2,
  );
}

/** A workbook of three sheets: agents, teams, notes. Rates as numbers, so Excel can sort them. */
export async function writeQaReportXlsx(report: QaReport, lang: Lang, path: string): Promise<void> {
  const w = WORDS[lang];
  // ExcelJS whole is heavy: only `kpi qa report --format xlsx` loads it.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  const [agentsName, teamsName, notesName] = w.sheets;
  const sheet = (name: string, head: string[], body: Cell[][]) => {
    const s = workbook.addWorksheet(name);
    s.addRow(head).font = { bold: true };
    for (const r of body) s.addRow(r);
    s.columns.forEach((column) => {
      column.width = 14;
    });
  };
  sheet(
    agentsName,
    [...header(report, lang), w.notes],
    report.agents.map((a) => [...cells(report, a, "agent", lang), notesOf(report, a.id)]),
  );
  sheet(
    teamsName,
    header(report, lang),
    report.teams.map((t) => cells(report, t, "team", lang)),
  );
  sheet(
    notesName,
    w.noteHead,
    report.notes.map((n) => [n.conversationId, n.day, n.agentName, n.reviewerId, n.note]),
  );
  await workbook.xlsx.writeFile(path);
}
