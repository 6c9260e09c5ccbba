/**
 * A shop for the nudge tests on either database: 售前一组 (Chinese) with 小张 (shift 09–18),
 * 小李 (14–23), 小赵 (no shift), 小吴 (no chat account) and their supervisor 王主管; Night crew
 * (English) with Amy, who has no supervisor and no team lead, so her escalations go to the admin.
 * Facts are written as an import writes them; day figures are imported and scored.
 */

import { asc, eq } from "drizzle-orm";
import { scorePeriod } from "../../src/bot/score-period.ts";
import { syncConfig } from "../../src/bot/sync-config.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import type { Reply } from "../../src/chat/reply.ts";
import { type Config, parseConfig } from "../../src/config.ts";
import { parsePeriod } from "../../src/engine/index.ts";
import type { NudgeDeps } from "../../src/nudges/nudge-deps.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";
import { facts, notices, outbox } from "../../src/store/schema.ts";

export const NUDGE_FIXTURE_CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams:
  - { id: t1, shop: s1, name: 售前一组 }
  - { id: t2, shop: s1, name: Night crew, lang: en }
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, supervisor: boss, shift: { start: "09:00", end: "18:00" }, accounts: [{ shop: s1, account: 小张 }], chat: { slack: U_ZHANG } }
  - { id: li, name: 小李, role: presales, team: t1, supervisor: boss, shift: { start: "14:00", end: "23:00" }, accounts: [{ shop: s1, account: 小李 }], chat: { slack: U_LI } }
  - { id: zhao, name: 小赵, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小赵 }], chat: { slack: U_ZHAO } }
  - { id: wu, name: 小吴, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: 小吴 }] }
  - { id: boss, name: 王主管, role: supervisor, team: t1, chat: { slack: U_BOSS } }
  - { id: amy, name: Amy, role: presales, team: t2, accounts: [{ shop: s1, account: Amy }], chat: { slack: U_AMY } }
schemes:
  presales: [{ scheme: presales }]
  supervisor: [{ scheme: supervisor }]
admins: ["slack:U_ADMIN"]
`;

/** Shanghai wall-clock time as an instant: at("2026-12-01 09:30"). */
export const at = (local: string): Date => new Date(`${local.replace(" ", "T")}:00+08:00`);

export async function seedNudgeFixture(store: Store, extra = ""): Promise<NudgeDeps & { config: Config }> {
  const config = parseConfig(NUDGE_FIXTURE_CONFIG + extra, "test");
  await syncConfig(store.db, { config, origin: "test", baseDir: "." }, at("2026-11-01 09:00"));
  return { db: store.db, config, platforms: ["slack"] };
}

/** A fact of an agent, as an import stores it; returns its id. */
async function fact(
  store: Store,
  kind: string,
  agentId: string | null,
  local: string,
  ref: string,
  detail: Record<string, unknown>,
): Promise<number> {
  const [row] = await store.db
    .insert(facts)
    .values({
      shopId: "s1",
      agentId,
      day: local.slice(0, 10),
      kind,
      at: at(local),
      ref,
      factKey: JSON.stringify([kind, ref, agentId]),
      detail,
    })
    .returning({ id: facts.id });
  return row!.id;
}

export const badReview = (
  store: Store,
  agentId: string | null,
  local: string,
  text = "发货太慢，客服不理人",
) => {
  const order = `O${local.replace(/\D/g, "").slice(4)}`;
  return fact(store, "bad_review", agentId, local, order, { order, customer: "a**3", text });
};

export const lowRating = (store: Store, agentId: string, local: string, score = 2) => {
  const session = `S-${agentId}-${local.replace(/\D/g, "")}`;
  return fact(store, "low_rating", agentId, local, session, { session, score });
};

export const longWait = (store: Store, agentId: string, local: string, waitSeconds: number) => {
  const session = `W-${agentId}-${local.replace(/\D/g, "")}`;
  return fact(store, "long_wait", agentId, local, session, {
    session,
    customer: "b**7",
    waitSeconds,
    endedBy: "reply",
  });
};

/** A day's first response times (seconds, over 10 sessions) imported and the day scored. */
export async function firstResponses(
  store: Store,
  day: string,
  seconds: Record<string, number>,
): Promise<void> {
  await importBatch(
    store.db,
    {
      source: "generic",
      records: Object.entries(seconds).map(([account, s], i) => ({
        line: i + 2,
        agent: account,
        values: { first_response_time: { num: s * 10, den: 10 } },
        pending: [],
      })),
      facts: [],
      problems: [],
    },
    {
      fileHash: `frt-${day}`,
      shopId: "s1",
      day,
      unknownAgents: "reject",
      defaultRole: "presales",
      actor: "t",
      now: at(`${day} 23:59`),
    },
  );
  await scorePeriod(store.db, parsePeriod(day), { actor: "t", now: at(`${day} 23:59`) });
}

export interface Queued {
  key: string;
  to: string;
  dueAt: Date;
  reply: Reply;
  text: string;
}

/** The outbox, oldest first, each message with its recipient and its console text. */
export async function queued(store: Store): Promise<Queued[]> {
  const rows = await store.db.select().from(outbox).orderBy(asc(outbox.id));
  return rows.map((r) => ({
    key: r.key,
    to: (r.destination as { userId: string }).userId,
    dueAt: r.dueAt,
    reply: r.reply as Reply,
    text: renderConsole(r.reply as Reply),
  }));
}

export const queuedTo = async (store: Store, userId: string) =>
  (await queued(store)).filter((q) => q.to === userId);

/** The buttons of a message as [action id, value]. */
export const buttons = (reply: Reply): [string, string][] =>
  reply.blocks.flatMap((b) =>
    b.kind === "actions" ? b.actions.map((a): [string, string] => [a.id, a.value]) : [],
  );

/** What was told, subject → outbox key. */
export async function told(store: Store): Promise<Map<string, string>> {
  const rows = await store.db.select().from(notices);
  return new Map(rows.map((r) => [r.subject, r.outboxKey]));
}

/** Marks a queued message sent at `sentAt`, as the delivery worker would. */
export async function markSentAt(store: Store, key: string, sentAt: Date): Promise<void> {
  await store.db.update(outbox).set({ status: "sent", sentAt, sentRef: "ts" }).where(eq(outbox.key, key));
}
