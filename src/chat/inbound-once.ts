import { lt, sql } from "drizzle-orm";
import type { ChatPlatform } from "../bot/commands/viewer.ts";
import type { Queryable } from "../store/database.ts";
import { preparedPerDatabase } from "../store/prepared.ts";
import { inboundDeliveries } from "../store/schema.ts";

/**
 * Each inbound delivery acts once, across retries, re-pushes and replicas: the first to record
 * the platform's id for it wins. Slack retries within minutes, DingTalk re-pushes an un-acked
 * callback after about a minute, Feishu re-pushes for up to ~7 hours; ids are kept for two days.
 */
export const DELIVERY_MEMORY_MS = 48 * 3600_000;

/** True the first time this platform's delivery id is seen; false for every repeat. */
export async function firstDelivery(
  db: Queryable,
  platform: ChatPlatform,
  deliveryId: string,
  now: Date,
): Promise<boolean> {
  const rows = await recordDelivery(db).execute({ platform, deliveryId, receivedAt: now });
  return rows.length === 1;
}

// Every inbound request runs it: built once per database.
const recordDelivery = preparedPerDatabase((db) =>
  db
    .insert(inboundDeliveries)
    .values({
      platform: sql.placeholder("platform"),
      deliveryId: sql.placeholder("deliveryId"),
      receivedAt: sql.placeholder("receivedAt"),
    })
    .onConflictDoNothing()
    .returning({ id: inboundDeliveries.deliveryId })
    .prepare("inbound_delivery_once"),
);

/** Forgets deliveries older than the platforms re-deliver; returns how many were dropped. */
export async function forgetOldDeliveries(db: Queryable, now: Date): Promise<number> {
  const rows = await db
    .delete(inboundDeliveries)
    .where(lt(inboundDeliveries.receivedAt, new Date(now.getTime() - DELIVERY_MEMORY_MS)))
    .returning({ one: sql`1` });
  return rows.length;
}

/** Slack's rule, used for every platform that signs a timestamp: at most 5 minutes either way. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

/** Whether a signed request time (ms since the epoch) is close enough to now to be fresh. */
export function fresh(sentAtMs: number, nowMs: number, windowMs = REPLAY_WINDOW_MS): boolean {
  return Number.isFinite(sentAtMs) && Math.abs(nowMs - sentAtMs) <= windowMs;
}
