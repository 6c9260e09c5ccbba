import { InvalidInput } from "../engine/index.ts";
import { shownValue } from "./exports/cell-values.ts";
import { openExportFile } from "./exports/export-bytes.ts";
import { headerKey } from "./exports/header.ts";
import { tableRows } from "./exports/read-table.ts";
import type { TableRow } from "./exports/table.ts";

/**
 * A team's roster as a supervisor keeps it, read for `kpi init`: CSV (UTF-8, GBK …) or xlsx, one
 * agent a row, headers in English or Chinese. Rows are read as written; whether their teams,
 * roles and supervisors exist is for the configuration to say (bot/init-config.ts).
 */

export type RosterField =
  | "id"
  | "name"
  | "role"
  | "team"
  | "supervisor"
  | "account"
  | "shop"
  | "email"
  | "mobile";

/** Header texts of each field, as data (compared as headerKey folds them). */
export const ROSTER_HEADERS: Readonly<Record<RosterField, readonly string[]>> = {
  id: ["id", "agent id", "工号", "编号", "客服编号"],
  name: ["name", "姓名", "名字", "客服姓名"],
  role: ["role", "角色", "岗位", "职位"],
  team: ["team", "组", "小组", "团队", "组别"],
  supervisor: ["supervisor", "主管", "上级", "组长"],
  account: ["account", "export account", "子账号", "客服账号", "客服昵称", "旺旺", "账号"],
  shop: ["shop", "店铺", "店铺名称"],
  email: ["email", "e-mail", "邮箱", "电子邮箱", "邮件"],
  mobile: ["mobile", "phone", "手机", "手机号", "手机号码", "电话"],
};

const REQUIRED: readonly RosterField[] = ["name", "role", "team"];

export interface RosterRow {
  /** Line of a CSV file or row of the worksheet, for messages. */
  line: number;
  /** The header text of each field as the file writes it, for messages. */
  cells: Partial<Record<RosterField, { header: string; value: string }>>;
}

export interface RosterTable {
  rows: RosterRow[];
  /** Headers no field knows: said, not an error. */
  ignored: string[];
}

const FIELD_OF = new Map(
  (Object.entries(ROSTER_HEADERS) as [RosterField, readonly string[]][]).flatMap(([field, headers]) =>
    headers.map((h) => [headerKey(h), field] as const),
  ),
);

/** Reads the roster file; a header without name, role or team is refused outright. */
export async function readRosterFile(path: string, option = "--roster"): Promise<RosterTable> {
  const file = await openExportFile(path, option);
  try {
    const { rows } = await tableRows(file, path);
    let columns: { index: number; field: RosterField; header: string }[] | undefined;
    const ignored: string[] = [];
    const out: RosterRow[] = [];
    for await (const row of rows) {
      const texts = row.cells.map((cell) => shownValue(cell));
      if (texts.every((t) => t === "")) continue;
      if (columns === undefined) {
        columns = headerOf(texts, ignored, path);
        continue;
      }
      out.push(rowOf(row, texts, columns));
    }
    if (columns === undefined) throw new InvalidInput(option, `${path} holds no header row`);
    return { rows: out, ignored };
  } finally {
    await file.close();
  }
}

function headerOf(texts: string[], ignored: string[], path: string) {
  const columns: { index: number; field: RosterField; header: string }[] = [];
  texts.forEach((header, index) => {
    const field = FIELD_OF.get(headerKey(header));
    if (field === undefined || columns.some((c) => c.field === field)) {
      if (header !== "") ignored.push(header);
    } else columns.push({ index, field, header });
  });
  const absent = REQUIRED.filter((field) => !columns.some((c) => c.field === field));
  if (absent.length > 0)
    throw new InvalidInput(
      "--roster",
      `${path} has no column ${absent.map((f) => `${f} (${ROSTER_HEADERS[f].slice(1, 3).join("/")})`).join(", ")} in its first row`,
    );
  return columns;
}

function rowOf(
  row: TableRow,
  texts: string[],
  columns: { index: number; field: RosterField; header: string }[],
): RosterRow {
  const cells: RosterRow["cells"] = {};
  for (const { index, field, header } of columns) {
    const value = texts[index] ?? "";
    if (value !== "") cells[field] = { header, value };
  }
  return { line: row.line, cells };
}
