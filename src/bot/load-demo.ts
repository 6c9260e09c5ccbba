import { eq } from "drizzle-orm";
import { dayKey, parseDay } from "../engine/index.ts";
import { DEMO_SHOP, generateDemoShop } from "../sources/demo/index.ts";
import type { Db } from "../store/database.ts";
import type { ImportOutcome } from "../store/import-repo.ts";
import { syncRoster } from "../store/roster-repo.ts";
import { importRuns } from "../store/schema.ts";
import { scorePeriods, storeBatch, touchedPeriods } from "./store-batches.ts";

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
  const periods = touchedPeriods(outcomes);
  const scored = await scorePeriods(db, periods, {
    actor: load.actor,
    now: load.now,
    onProgress: (done, total) => load.onProgress?.("score", done, total),
  });
  return {
    agents: shop.roster.agents.length,
    imported: outcomes.filter((o) => o.status === "done").length,
    unchanged: outcomes.filter((o) => o.status === "unchanged").length,
    scorecards: scored.reduce((n, s) => n + s.cards.length, 0),
  };
}

/** Whether the demo has been loaded into this database before. */
export async function demoLoaded(db: Db): Promise<boolean> {
  const [run] = await db
    .select({ id: importRuns.id })
    .from(importRuns)
    .where(eq(importRuns.source, "demo"))
    .limit(1);
  return run !== undefined;
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
