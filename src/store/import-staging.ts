import { sql } from "drizzle-orm";
import type { AgentDayRow } from "./agent-day-changes.ts";
import { type CopyIn, copyField, copyIn, copyJson } from "./copy-in.ts";
import type { Db, Tx } from "./database.ts";
import { figuresText } from "./figures-text.ts";

/**
 * A big batch's agent-days, copied into a temporary table of the import's transaction (dropped at
 * its end, whatever the end) as they are read again, so that the server parses rows rather than
 * statements; import-copy-writes.ts moves them into agent_days from there.
 */

export const STAGING_TABLE = "import_staging";

const COLUMNS = [
  { name: "shop_id", type: "text" },
  { name: "agent_id", type: "text" },
  { name: "day", type: "date" },
  { name: "figures", type: "text" },
  { name: "pending", type: "jsonb" },
] as const;

export interface Staging {
  /** Copies a chunk; returns once the previous chunk is taken, so the next is read meanwhile. */
  stage(rows: readonly AgentDayRow[]): Promise<void>;
  /** Waits for every row to be stored. */
  finish(): Promise<void>;
  /** Ends a COPY under way after a failure, so that the transaction can roll back. */
  abort(): Promise<void>;
  /** Rows staged in all, and by day. */
  readonly rows: number;
  readonly rowsByDay: ReadonlyMap<string, number>;
}

const NO_PENDING = "[]";
const pendingText = (pending: readonly string[]) =>
  pending.length === 0 ? NO_PENDING : copyJson(JSON.stringify(pending));

export async function openStaging(db: Db, tx: Tx): Promise<Staging> {
  await tx.execute(
    sql.raw(`CREATE TEMPORARY TABLE ${STAGING_TABLE} (
      shop_id text NOT NULL, agent_id text NOT NULL, day date NOT NULL,
      figures text NOT NULL, pending jsonb NOT NULL
    ) ON COMMIT DROP`),
  );
  let copy: CopyIn | undefined;
  let rows = 0;
  const rowsByDay = new Map<string, number>();
  return {
    get rows() {
      return rows;
    },
    rowsByDay,
    async stage(chunk) {
      // Opened on the first rows: a COPY holds the connection until it ends.
      copy ??= await copyIn(db, tx, { table: STAGING_TABLE, columns: COLUMNS });
      let text = "";
      for (const { shopId, agentId, day, values, pending } of chunk) {
        text += `${copyField(shopId)}\t${copyField(agentId)}\t${copyField(day)}\t${copyJson(figuresText(values))}\t${pendingText(pending)}\n`;
        rowsByDay.set(day, (rowsByDay.get(day) ?? 0) + 1);
      }
      rows += chunk.length;
      await copy.write(text);
    },
    async finish() {
      await copy?.end();
    },
    async abort() {
      await copy?.abort();
    },
  };
}
