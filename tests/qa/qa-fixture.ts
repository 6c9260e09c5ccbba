import { syncConfig } from "../../src/bot/sync-config.ts";
import { type Config, parseConfig } from "../../src/config.ts";
import type { Conversation, ConversationMessage } from "../../src/engine/index.ts";
import type { SourceFact } from "../../src/sources/source.ts";
import type { Store } from "../../src/store/database.ts";
import { importBatch } from "../../src/store/import-repo.ts";

/**
 * A small shop for quality review: 小张 (zhang) and 小李 (li) report to 王主管 (boss), scored
 * by the built-in presales scheme (which has 完整回复率); a week of figures (2026-11-23 … 29,
 * 2026-W48) and conversations of their own, some in each stratum.
 */
export const QA_CONFIG = `
shops: [{ id: s1, name: 旗舰店, platform: taobao }]
teams: [{ id: t1, shop: s1, name: 售前一组 }]
agents:
  - { id: zhang, name: 小张, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: "旗舰店:小张" }] }
  - { id: li, name: 小李, role: presales, team: t1, supervisor: boss, accounts: [{ shop: s1, account: "旗舰店:小李" }] }
  - { id: boss, name: 王主管, role: supervisor, team: t1, supervisor: chief }
  - { id: chief, name: 赵经理, role: supervisor, team: t1 }
schemes:
  presales: [{ scheme: presales-qa }]
  supervisor: [{ scheme: supervisor }]
`;

/** Monday 2026-11-30 10:00 in Shanghai: the batch of 2026-W48 is due. */
export const QA_NOW = new Date("2026-11-30T02:00:00Z");

export const WEEK_DAYS = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"];

const at = (day: string, time: string) => Date.parse(`${day}T${time}+08:00`);

/** A conversation: the customer asks, the agent answers after `wait` seconds. */
export function conversation(
  agent: "zhang" | "li",
  day: string,
  n: number,
  options: {
    wait?: number;
    rating?: number;
    transfer?: boolean;
    agentText?: string;
    customerText?: string;
  } = {},
): Conversation {
  const start = at(day, `1${n % 10}:00:00`);
  const account = agent === "zhang" ? "旗舰店:小张" : "旗舰店:小李";
  const messages: ConversationMessage[] = [
    { at: start, from: "customer", event: "message", text: options.customerText ?? "这件有M码吗？" },
    {
      at: start + (options.wait ?? 20) * 1000,
      from: "agent",
      agent: account,
      event: "message",
      text: options.agentText ?? "亲，M码有货的",
    },
  ];
  if (options.transfer)
    messages.push({
      at: start + 60_000,
      from: "system",
      event: "transfer",
      agent: account,
      toAgent: "x",
      text: "转接",
    });
  return {
    shop: "s1",
    session: `${agent}-${day}-${n}`,
    customer: "tb_customer88",
    agent: account,
    day,
    messages,
    ...(options.rating ? { rating: { score: options.rating, at: start + 120_000 } } : {}),
  };
}

export function weekOfConversations(): Conversation[] {
  const all: Conversation[] = [];
  for (const agent of ["zhang", "li"] as const)
    WEEK_DAYS.forEach((day, d) => {
      for (let n = 0; n < 3; n++) all.push(conversation(agent, day, n));
      if (d === 0) all.push(conversation(agent, day, 5, { rating: 2 }));
      if (d === 1) all.push(conversation(agent, day, 6, { wait: 420 }));
      if (d === 2) all.push(conversation(agent, day, 7, { agentText: "这个我也不知道" }));
      if (d === 3) all.push(conversation(agent, day, 8, { transfer: true }));
    });
  return all;
}

export async function seedQaShop(
  store: Store,
  options: { conversations?: Conversation[]; facts?: SourceFact[]; fileHash?: string } = {},
): Promise<Config> {
  const config = parseConfig(QA_CONFIG, "test");
  await syncConfig(store.db, { config, origin: "test", baseDir: "." }, QA_NOW);
  const values = {
    conversion_rate: { num: 18, den: 100 },
    first_response_time: { num: 2000, den: 100 },
    csat_rate: { num: 9, den: 10 },
    attendance_rate: { num: 1, den: 1 },
  };
  await importBatch(
    store.db,
    {
      source: "generic",
      records: ["旗舰店:小张", "旗舰店:小李"].flatMap((agent) =>
        WEEK_DAYS.map((day) => ({ line: 0, agent, day, values, pending: [] })),
      ),
      facts: options.facts ?? [],
      problems: [],
      conversations: options.conversations ?? weekOfConversations(),
    },
    {
      fileHash: options.fileHash ?? "week",
      shopId: "s1",
      unknownAgents: "reject",
      defaultRole: "presales",
      actor: "t",
      now: QA_NOW,
    },
  );
  return config;
}
