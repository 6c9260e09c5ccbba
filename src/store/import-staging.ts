import { sql } from "drizzle-orm";
import type { AgentDayRow, ImportRun } from "./agent-day-changes.ts";
import { type CopyIn, copyField, copyIn } from "./copy-in.ts";
import type { Db, Tx } from "./database.ts";
import { dayFiguresText, type HeldAccount, type HeldRows } from "./import-held-rows.ts";

/**
 * A big batch's agent-days by COPY as they are read again, so that the server parses rows rather
 * than statements: straight into agent_days when there is nothing stored to compare them with
 * (import-copy-writes.ts holds other writers off meanwhile), else into a temporary table of the
 * import's transaction (dropped at its end, whatever the end), to be moved from there.
 */

export const STAGING_TABLE = "import_staging";

const STAGED_COLUMNS = [
  { name: "shop_id", type: "text" },
  { name: "agent_id", type: "text" },
  { name: "day", type: "date" },
  { name: "figures", type: "text" },
  { name: "pending", type: "jsonb" },
] as const;

/** agent_days' columns as insertAgentDays (agent-day-changes.ts) fills them. */
const STORED_COLUMNS = [
  { name: "shop_id", type: "text" },
  { name: "agent_id", type: "text" },
  { name: "day", type: "date" },
  { name: "values", type: "text" },
  { name: "pending", type: "jsonb" },
  { name: "source", type: "text" },
  { name: "import_run_id", type: "integer" },
  { name: "updated_at", type: "timestamptz" },
] as const;

export interface Staging {
  /** Copies a chunk; returns once the previous chunk is taken, so the next is read meanwhile. */
  stage(rows: readonly AgentDayRow[]): Promise<void>;
  /**
   * Copies rows kept as COPY text by the census (import-held-rows.ts), as `held` (the census)
   * counts them, telling `onRows` of each piece handed on.
   */
  stageHeld(
    held: HeldRows,
    agentOf: (account: HeldAccount) => string,
    onRows?: (rows: number) => void,
  ): Promise<void>;
  /** Waits for every row to be stored. */
  finish(): Promise<void>;
  /** Ends a COPY under way after a failure, so that the transaction can roll back. */
  abort(): Promise<void>;
  /** Rows staged in all, and by day. */
  readonly rows: number;
  readonly rowsByDay: ReadonlyMap<string, number>;
}

/** Rows into the staging table, created here. */
export async function openStaging(db: Db, tx: Tx): Promise<Staging> {
  await tx.execute(
    sql.raw(`CREATE TEMPORARY TABLE ${STAGING_TABLE} (
      shop_id text NOT NULL, agent_id text NOT NULL, day date NOT NULL,
      figures text NOT NULL, pending jsonb NOT NULL
    ) ON COMMIT DROP`),
  );
  return copying(db, tx, STAGING_TABLE, STAGED_COLUMNS, "");
}

/** Rows straight into agent_days, of this import run. */
export function openStoring(db: Db, tx: Tx, run: ImportRun): Staging {
  const rest = `\t${copyField(run.source)}\t${run.runId}\t${run.options.now.toISOString()}`;
  return copying(db, tx, "agent_days", STORED_COLUMNS, rest);
}

/** Each row's shop, agent, day, figures and pending, then `rest` (the same for every row). */
function copying(
  db: Db,
  tx: Tx,
  table: string,
  columns: readonly { name: string; type: string }[],
  rest: string,
): Staging {
  let copy: CopyIn | undefined;
  let rows = 0;
  let rowsByDay = new Map<string, number>();
  return {
    get rows() {
      return rows;
    },
    get rowsByDay() {
      return rowsByDay;
    },
    async stage(chunk) {
      // Opened on the first rows: a COPY holds the connection until it ends.
      copy ??= await copyIn(db, tx, { table, columns });
      let text = "";
      for (const { shopId, agentId, day, values, pending } of chunk) {
        text += `${copyField(shopId)}\t${copyField(agentId)}\t${dayFiguresText(day, values, pending)}${rest}\n`;
        rowsByDay.set(day, (rowsByDay.get(day) ?? 0) + 1);
      }
      rows += chunk.length;
      await copy.write(text);
    },
    async stageHeld(held, agentOf, onRows) {
      copy ??= await copyIn(db, tx, { table, columns });
      const before = held.accounts.map((a) =>
        Buffer.from(`${copyField(a.shop)}\t${copyField(agentOf(a))}\t`, "utf8"),
      );
      const after = Buffer.from(`${rest}\n`, "utf8");
      rowsByDay = new Map(held.rowsByDay);
      for (const piece of held.copyText((account) => before[account]!, after)) {
        await copy.write(piece.text);
        rows += piece.rows;
        onRows?.(rows);
      }
    },
    async finish() {
      await copy?.end();
    },
    async abort() {
      await copy?.abort();
    },
  };
}
