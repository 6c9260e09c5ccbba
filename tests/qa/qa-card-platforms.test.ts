import { describe, expect, it } from "vitest";
import { BUTTONS_PER_MESSAGE } from "../../src/chat/button-room.ts";
import type { Reply } from "../../src/chat/reply.ts";
import type { ConversationMessage } from "../../src/engine/index.ts";
import { qaCard } from "../../src/qa/qa-card.ts";
import { DEFAULT_RUBRIC } from "../../src/qa/qa-config.ts";
import type { QaReviewCase } from "../../src/store/qa-repo.ts";
import { usePlatformFakes } from "../support/platform-fakes.ts";
import { STORE_KINDS } from "../support/stores.ts";

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

describe.each(STORE_KINDS)("the 质检 card on Slack, DingTalk and Feishu (%s)", (kind) => {
  const fakes = usePlatformFakes(kind);

  it("is taken by Slack, its buttons in one actions block", async () => {
    for (const card of cards) await fakes.send("slack", card);
    expect(fakes.fakes.slack.messages).toHaveLength(2);
    const blocks = fakes.fakes.slack.messages[0]!.blocks as { type: string; elements?: unknown[] }[];
    expect(blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements ?? [])).toHaveLength(4);
  });

  it("is taken by DingTalk as an action card of four buttons", async () => {
    for (const card of cards) await fakes.send("dingtalk", card);
    const sent = fakes.fakes.dingtalk.callsTo("/v1.0/robot/oToMessages/batchSend");
    expect(sent.map((c) => c.status)).toEqual([200, 200]);
    expect(sent.map((c) => (c.body as { msgKey: string }).msgKey)).toEqual([
      "sampleActionCard4",
      "sampleActionCard4",
    ]);
  });

  it("is taken by Feishu as a card within Feishu's size, with its buttons", async () => {
    for (const card of cards) await fakes.send("feishu", card);
    const sent = [...fakes.fakes.feishu.messages.values()];
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(sent[0])).toContain("全部合格（态度5）");
  });
});
