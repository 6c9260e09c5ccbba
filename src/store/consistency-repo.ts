import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "./database.ts";
import { agentDays, agents, scorecards } from "./schema.ts";

/**
 * Scorecards that do not match the figures they are scored from, whatever left them so (a crash
 * before owed_scoring existed, a hand edit, a bug): per period and role, the agents with figures
 * and no card, and those whose card was computed before their newest figure was stored. Days,
 * weeks and months; a fortnight's cards are for new hires on probation only, which the figures
 * alone cannot tell.
 */

export interface PeriodMismatch {
  periodKind: "day" | "week" | "month";
  periodKey: string;
  role: string;
  /** Agents with figures in the period and no card. */
  missing: number;
  /** Agents whose card is older than their newest figure in the period. */
  stale: number;
}

export async function periodMismatches(db: Queryable): Promise<PeriodMismatch[]> {
  // The keys as src/engine/period.ts writes them: 2026-11-22, 2026-W47, 2026-11.
  const rows = rowsOf<{
    kind: string;
    key: string;
    role: string;
    missing: string | number;
    stale: string | number;
  }>(
    await db.execute(sql`
      WITH figures AS (
        SELECT d.agent_id, p.kind, p.key, max(d.updated_at) AS changed
        FROM ${agentDays} d,
          LATERAL (VALUES ('day', to_char(d.day, 'YYYY-MM-DD')),
                          ('week', to_char(d.day, 'IYYY-"W"IW')),
                          ('month', to_char(d.day, 'YYYY-MM'))) AS p(kind, key)
        GROUP BY d.agent_id, p.kind, p.key
      )
      SELECT f.kind, f.key, a.role,
        count(*) FILTER (WHERE s.agent_id IS NULL) AS missing,
        count(*) FILTER (WHERE s.computed_at < f.changed) AS stale
      FROM figures f
      JOIN ${agents} a ON a.id = f.agent_id
      LEFT JOIN ${scorecards} s
        ON s.agent_id = f.agent_id AND s.period_kind = f.kind AND s.period_key = f.key
      GROUP BY f.kind, f.key, a.role
      HAVING count(*) FILTER (WHERE s.agent_id IS NULL) > 0
          OR count(*) FILTER (WHERE s.computed_at < f.changed) > 0
      ORDER BY f.key, a.role`),
  );
  return rows.map((r) => ({
    periodKind: r.kind as PeriodMismatch["periodKind"],
    periodKey: r.key,
    role: r.role,
    missing: Number(r.missing),
    stale: Number(r.stale),
  }));
}
