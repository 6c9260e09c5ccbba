import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChatMemory } from "../../src/chat/adapter.ts";
import { BUTTONS_PER_MESSAGE } from "../../src/chat/button-room.ts";
import { createDingTalkAdapter } from "../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema } from "../../src/chat/dingtalk/dingtalk-config.ts";
import { createFeishuAdapter } from "../../src/chat/feishu/feishu-adapter.ts";
import type { Reply } from "../../src/chat/reply.ts";
import type { ConversationMessage } from "../../src/engine/index.ts";
import { silentLog } from "../../src/log.ts";
import { qaCard } from "../../src/qa/qa-card.ts";
import { DEFAULT_RUBRIC } from "../../src/qa/qa-config.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import type { Store } from "../../src/store/database.ts";
import type { QaReviewCase } from "../../src/store/qa-repo.ts";
import { type SlackBot, startSlackBot } from "../chat/slack/slack-harness.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../fakes/dingtalk/openapi.ts";
import { type FakeFeishu, startFakeFeishu } from "../fakes/feishu/server.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

/**
 * The review card at its largest (a long conversation of long lines, every fact) sent through each
 * platform's adapter to its fake, which refuses what the platform refuses: sizes, block counts,
 * buttons. DingTalk's action card carries the card's buttons, within its five.
 */

const t0 = Date.parse("2026-11-23T10:00:00+08:00");
const longLine = "亲，这款连衣裙的面料是聚酯纤维混纺，S码适合身高155到160、体重90到105斤，".repeat(4);
const messages: ConversationMessage[] = Array.from({ length: 60 }, (_, i) => ({
  at: t0 + i * 40_000,
  from: i % 2 === 0 ? "customer" : "agent",
  event: "message",
  text: i % 2 === 0 ? `问题${i}：${"尺码怎么选？".repeat(20)}` : longLine,
}));

const review: QaReviewCase = {
  id: 123456,
  shopId: "s1",
  agentId: "zhang",
  day: "2026-11-23",
  session: "S1",
  customer: "t***8",
  startedAt: new Date(t0),
  firstWaitSeconds: 45,
  longestWaitSeconds: 420,
  rating: 2,
  transferred: true,
  phraseHits: ["不知道", "随便你"],
  badReview: true,
  messages,
  review: {
    reviewerId: "boss",
    week: "2026-W48",
    stratum: "low_rating",
    dueAt: new Date(t0 + 7 * 86_400_000),
    assignedAt: new Date(t0),
  },
  rated: null,
};

const cards: Reply[] = (["zh-CN", "en"] as const).map((lang) =>
  qaCard({ review, agentName: "小张", rubric: DEFAULT_RUBRIC, lang, timeZone: "Asia/Shanghai" }),
);

describe("the 质检 card itself", () => {
  it("cuts a long transcript to its opening and end, says how many lines more, and keeps four buttons", () => {
    const [zh] = cards;
    const transcript = zh!.blocks[1] as { kind: "text"; text: string };
    expect(transcript.text.split("\n")).toHaveLength(12);
    expect(transcript.text).toContain("……另有 49 行未显示");
    expect(transcript.text.length).toBeLessThan(3000);
    const actions = zh!.blocks.at(-1) as { kind: "actions"; actions: unknown[] };
    expect(actions.actions.length).toBeLessThanOrEqual(BUTTONS_PER_MESSAGE.dingtalk);
    expect(zh!.blocks[0]).toEqual({
      kind: "text",
      text: "低分评价 · 首次响应 45 秒 · 最长等待 420 秒 · 客户评分 2/5 · 已转接 · 命中禁用话术：不知道、随便你 · 该订单有差评",
    });
  });
});

describe.each(STORE_KINDS)("the 质检 card on Slack and DingTalk (%s)", (kind) => {
  let slack: SlackBot;
  beforeEach(async () => {
    slack = await startSlackBot(kind);
  });
  afterEach(() => slack.close());

  it("is taken by Slack, its buttons in one actions block", async () => {
    for (const card of cards) await slack.adapter.send({ kind: "user", userId: "U_BOSS" }, card);
    expect(slack.fake.messages).toHaveLength(2);
    const blocks = slack.fake.messages[0]!.blocks as { type: string; elements?: unknown[] }[];
    expect(blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements ?? [])).toHaveLength(4);
  });

  describe("DingTalk", () => {
    let store: Store;
    let fake: FakeDingTalk;
    beforeAll(async () => {
      store = await openTestStore(kind);
    });
    afterAll(() => store.close());
    beforeEach(async () => {
      fake = await startFakeDingTalk({ clock: () => t0 });
    });
    afterEach(() => fake.close());

    it("takes it as an action card of four buttons", async () => {
      const config = dingtalkConfigSchema.parse({ apiUrl: fake.baseUrl });
      const adapter = createDingTalkAdapter(
        { ...config, clientId: defaultApp.appKey, clientSecret: defaultApp.appSecret },
        { memory: chatMemoryOf(store.db), metrics: createMetrics(), log: silentLog, now: () => new Date(t0) },
      );
      for (const card of cards) await adapter.send({ kind: "user", userId: "staff_boss" }, card);
      const sent = fake.callsTo("/v1.0/robot/oToMessages/batchSend");
      expect(sent.map((c) => c.status)).toEqual([200, 200]);
      expect(sent.map((c) => (c.body as { msgKey: string }).msgKey)).toEqual([
        "sampleActionCard4",
        "sampleActionCard4",
      ]);
    });
  });
});

describe("the 质检 card on Feishu", () => {
  let fake: FakeFeishu;
  beforeAll(async () => {
    fake = await startFakeFeishu();
  });
  afterAll(() => fake.close());

  it("is taken as a card within Feishu's size, with its buttons", async () => {
    const adapter = createFeishuAdapter(
      { mode: "http", domain: fake.domain, ...fake.newApp(), encryptKey: "k", verificationToken: "v" },
      { memory: {} as ChatMemory, metrics: createMetrics(), log: silentLog, now: () => new Date() },
    );
    for (const card of cards) await adapter.send({ kind: "user", userId: "ou_boss" }, card);
    const sent = [...fake.messages.values()];
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(sent[0])).toContain("全部合格（态度5）");
  });
});
