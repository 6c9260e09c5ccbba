/**
 * The commands benchmark's database: 1,000 agents (ten teams of 100 with a supervisor each) and
 * 400 days of their Chitu figures up to yesterday, imported the way `kpi import` stores them, with
 * the months that `/kpi me month` reads (this month, the one before for the change line, and the
 * one before that) scored. Every agent has a Slack id, U00001 … U01000.
 */
import { inArray } from "drizzle-orm";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { hashBytes, storeBatch } from "../../src/bot/store-batches.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { parseConfig } from "../../src/config.ts";
import { dayKey, parseDay, parsePeriod, periodOfDay, previousPeriod } from "../../src/engine/index.ts";
import { parseExport } from "../../src/sources/exports/index.ts";
import type { Db } from "../../src/store/database.ts";
import { agents, chatIdentities } from "../../src/store/schema.ts";
import { generateConfig, generateExport, SHOP } from "../import/generate.ts";

export interface SeedOptions {
  agents: number;
  days: number;
  /** The last day with figures (yesterday of the benchmark's clock). */
  lastDay: string;
}

export const slackIdOf = (i: number) => `U${String(i + 1).padStart(5, "0")}`;

/** Seeds the database; returns the roster's configuration (for the bot) and how many agent-days went in. */
export async function seedCommandsBench(
  db: Db,
  options: SeedOptions,
  now: Date,
): Promise<{ rows: number; configText: string }> {
  const from = dayKey(parseDay(options.lastDay) - options.days + 1);
  const configText = generateConfig({ agents: options.agents, days: options.days, from });
  const config = parseConfig(configText, "bench");
  await syncConfig(db, { config, origin: "bench", baseDir: "." }, now);
  const ids = config.agents.filter((a) => a.role !== "supervisor").map((a) => a.id);
  const known = await db.select({ id: agents.id }).from(agents).where(inArray(agents.id, ids));
  if (known.length !== ids.length) throw new Error("the roster was not stored");
  await db
    .insert(chatIdentities)
    .values(ids.map((agentId, i) => ({ platform: "slack", userId: slackIdOf(i), agentId })))
    .onConflictDoNothing();
  const bytes = generateExport({ agents: options.agents, days: options.days, from });
  const { kind: _k, ignoredColumns: _i, ...batch } = await parseExport(bytes, { fileName: "bench.csv" });
  const outcome = await storeBatch(db, batch, {
    fileHash: hashBytes(bytes),
    fileName: "bench.csv",
    shopId: SHOP.id,
    unknownAgents: "reject",
    defaultRole: "presales",
    actor: "bench",
    now,
  });
  if (outcome.status !== "done") throw new Error(`the import was ${outcome.status}`);
  let month = periodOfDay(parseDay(options.lastDay), "month");
  for (let i = 0; i < 3; i++) {
    await scorePeriod(db, parsePeriod(month.key), { actor: "bench", now });
    month = previousPeriod(month);
  }
  return { rows: batch.records.length, configText };
}
