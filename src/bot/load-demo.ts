import { and, eq, isNull, lt } from "drizzle-orm";
import { dayKey, parseDay } from "../engine/index.ts";
import { FOLLOW_UP_WINDOW_MS } from "../follow-ups/follow-up-outcomes.ts";
import { demoFollowUp } from "../sources/demo/follow-ups.ts";
import { DEMO_SHOP, generateDemoShop } from "../sources/demo/index.ts";
import type { Db } from "../store/database.ts";
import { oweRecovery } from "../store/follow-up-repo.ts";
import type { ImportOutcome } from "../store/import-repo.ts";
import { syncRoster } from "../store/roster-repo.ts";
import { facts, followUps, importRuns } from "../store/schema.ts";
import { scoreWhatIsOwed } from "./import-file.ts";
import { storeBatch } from "./store-batches.ts";

/**
 * The demo shop, what the embedded default runs on: its roster, `days` days of figures ending
 * `endDay`, every day, week and month scored. Loading it again for a later end day adds the new
 * days and fills in the figures that were still pending; unchanged days are no-ops.
 */

export interface DemoLoad {
  endDay: string;
  days: number;
  seed: number;
  actor: string;
  now: Date;
  onProgress?: (stage: "import" | "score", done: number, total: number) => void;
}

export interface DemoLoadOutcome {
  agents: number;
  imported: number;
  unchanged: number;
  scorecards: number;
}

export async function loadDemo(db: Db, load: DemoLoad): Promise<DemoLoadOutcome> {
  const shop = generateDemoShop({ endDay: load.endDay, days: load.days, seed: load.seed });
  await db.transaction((tx) => syncRoster(tx, shop.roster, load.actor, load.now));
  const outcomes: ImportOutcome[] = [];
  for (const [i, batch] of shop.batches.entries()) {
    outcomes.push(
      await storeBatch(db, batch, {
        shopId: DEMO_SHOP.id,
        unknownAgents: "reject",
        defaultRole: "presales",
        actor: load.actor,
        now: load.now,
      }),
    );
    load.onProgress?.("import", i + 1, shop.batches.length);
  }
  await settlePastFollowUps(db, load.now);
  const scored = await scoreWhatIsOwed(db, {
    actor: load.actor,
    now: load.now,
    onProgress: (done, total) => load.onProgress?.("score", done, total),
  });
  await markDemoLoaded(db, load);
  return {
    agents: shop.roster.agents.length,
    imported: outcomes.filter((o) => o.status === "done").length,
    unchanged: outcomes.filter((o) => o.status === "unchanged").length,
    scorecards: scored.reduce((n, s) => n + s.cardCount, 0),
  };
}

/**
 * The demo team's follow-ups of the bad reviews already past their 24 hours when the demo is
 * loaded (demoFollowUp decides which and how); newer ones are left for the bot to nudge about.
 */
async function settlePastFollowUps(db: Db, now: Date): Promise<void> {
  const due = new Date(now.getTime() - FOLLOW_UP_WINDOW_MS);
  const reviews = await db
    .select({ id: facts.id, key: facts.factKey, agentId: facts.agentId, at: facts.at })
    .from(facts)
    .leftJoin(followUps, eq(followUps.factId, facts.id))
    .where(
      and(
        eq(facts.shopId, DEMO_SHOP.id),
        eq(facts.kind, "bad_review"),
        lt(facts.at, due),
        isNull(followUps.factId),
      ),
    );
  const rows = reviews.flatMap((r) => {
    const done = demoFollowUp(r.key);
    if (!done || !r.agentId) return [];
    const doneAt = new Date(r.at.getTime() + done.afterHours * 3600_000);
    return [{ factId: r.id, outcome: done.outcome, note: null, doneBy: r.agentId, doneAt }];
  });
  for (let i = 0; i < rows.length; i += 1000)
    await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(followUps)
        .values(rows.slice(i, i + 1000))
        .onConflictDoNothing()
        .returning({ factId: followUps.factId, outcome: followUps.outcome });
      const recovered = inserted.filter((r) => r.outcome === "recovered").map((r) => r.factId);
      await oweRecovery(tx, recovered, now);
    });
}

/**
 * The demo's own mark that a load finished: written last, so a load killed half-way is not
 * taken for a loaded demo (the next start loads it again; what was stored is a no-op).
 */
const DEMO_LOADED = "demo-loaded";

/** Whether a load of the demo into this database ever finished. */
export async function demoLoaded(db: Db): Promise<boolean> {
  const [run] = await db
    .select({ id: importRuns.id })
    .from(importRuns)
    .where(and(eq(importRuns.source, DEMO_LOADED), eq(importRuns.status, "done")))
    .limit(1);
  return run !== undefined;
}

async function markDemoLoaded(db: Db, load: DemoLoad): Promise<void> {
  await db
    .insert(importRuns)
    .values({
      source: DEMO_LOADED,
      fileHash: `${load.seed}:${load.days}:${load.endDay}`,
      status: "done",
      startedAt: load.now,
      finishedAt: load.now,
    })
    .onConflictDoNothing();
}

/** Yesterday in Shanghai: the last full day a platform has figures for. */
export function yesterdayIn(timeZone: string, now: Date): string {
  const today = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
  return dayKey(parseDay(today) - 1);
}
