import { lt, sql } from "drizzle-orm";
import type { Queryable } from "./database.ts";
import { preparedPerDatabase } from "./prepared.ts";
import { inboundDeliveries } from "./schema.ts";

/**
 * Each inbound delivery acts once, across retries, re-pushes and replicas: the first to record
 * the platform's id for it wins. Slack retries within minutes, DingTalk re-pushes an un-acked
 * callback after about a minute, Feishu re-pushes for up to ~7 hours; ids are kept for two days.
 */
export const DELIVERY_MEMORY_MS = 48 * 3600_000;

/** True the first time this platform's delivery id is seen; false for every repeat. */
export async function firstDelivery(
  db: Queryable,
  platform: string,
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
