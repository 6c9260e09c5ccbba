import { desc, eq } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { auditLog } from "./schema.ts";

/** Who changed what, when: corrected imports, re-scores, roster and scheme changes. */
export interface AuditEntry {
  at: Date;
  /** A person (chat user), "config", "import", "scheduler" … */
  actor: string;
  /** e.g. import.replace, scorecard.rescore, roster.sync, scheme.version */
  action: string;
  /** What it is about: "agent:zhang 2026-11-22", "import:17", "roster". */
  subject: string;
  detail: Record<string, unknown>;
}

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

/** Many entries in one statement (a corrected month touches thousands of agent-days). */
export async function recordAudits(db: Queryable, entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await db.insert(auditLog).values(entries);
}

export async function auditEntries(db: Queryable, action?: string): Promise<AuditEntry[]> {
  const query = db
    .select({
      at: auditLog.at,
      actor: auditLog.actor,
      action: auditLog.action,
      subject: auditLog.subject,
      detail: auditLog.detail,
    })
    .from(auditLog)
    .orderBy(desc(auditLog.id));
  const rows = action === undefined ? await query : await query.where(eq(auditLog.action, action));
  return rows.map((r) => ({ ...r, detail: r.detail as Record<string, unknown> }));
}
