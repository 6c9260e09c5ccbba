import { describe, expect, it } from "vitest";
import { type AppealEvidence, appealCard } from "../../src/bot/commands/appeal-card.ts";
import { builtinCatalogue, dayKey, parseDay } from "../../src/engine/index.ts";
import type { AppealRow } from "../../src/store/appeal-repo.ts";
import { FAKE_PLATFORMS, usePlatformFakes } from "../support/platform-fakes.ts";
import { STORE_KINDS } from "../support/stores.ts";

/**
 * The appeal card at its longest (a 200-character reason, a month of days behind the item, a
 * long review text), sent through each platform's SDK to the loopback fakes, which refuse what
 * the platforms refuse: Slack's block limits, Feishu's card size, DingTalk's templates.
 */

const appeal = (over: Partial<AppealRow>): AppealRow => ({
  id: 42,
  agentId: "zhang",
  subject: "item:zhang:first_response_time:2026-11",
  metric: "first_response_time",
  periodKind: "month",
  periodKey: "2026-11",
  factId: null,
  factDay: null,
  reason: "转接的会话被算进了首次响应时间，".repeat(20).slice(0, 200),
  before: 35,
  status: "open",
  raisedBy: "zhang",
  createdAt: new Date("2026-12-01T02:00:00Z"),
  decidedBy: null,
  decidedAt: null,
  decisionReason: null,
  correctedNum: null,
  correctedDen: null,
  exclude: false,
  remindedAt: null,
  escalatedAt: null,
  ...over,
});

const month: AppealEvidence = {
  kind: "item",
  metric: builtinCatalogue.get("first_response_time")!,
  card: undefined,
  days: Array.from({ length: 30 }, (_, i) => ({
    agentId: "zhang",
    shopId: "s1",
    day: dayKey(parseDay("2026-11-01") + i),
    values: { first_response_time: { num: 35 * 40, den: 40 } },
    pending: [],
  })),
};
const review: AppealEvidence = {
  kind: "fact",
  fact: {
    id: 7,
    kind: "bad_review",
    agentId: "zhang",
    day: "2026-11-30",
    at: new Date("2026-11-30T06:00:00Z"),
    ref: "O1130",
    detail: { order: "O1130", customer: "a**3", text: "色差太大，客服说会补偿却没有下文。".repeat(30) },
    timeZone: "Asia/Shanghai",
  },
  outcome: "contacted",
};

describe.each(STORE_KINDS)("the appeal card on each platform (%s)", (kind) => {
  const fakes = usePlatformFakes(kind);

  for (const lang of ["zh-CN", "en"] as const) {
    for (const platform of FAKE_PLATFORMS) {
      it(`sends an item's and a fact's appeal to ${platform}, with both buttons (${lang})`, async () => {
        const item = appealCard(appeal({}), "小张", month, lang);
        await fakes.send(platform, item);
        const fact = appealCard(
          appeal({
            id: 43,
            factId: 7,
            factDay: "2026-11-30",
            metric: "bad_review_recovery",
            periodKey: null,
          }),
          "小张",
          review,
          lang,
        );
        await fakes.send(platform, fact);
        if (platform === "slack") {
          expect(fakes.lastSent.slack().rows[0]).toHaveLength(2);
        } else if (platform === "feishu") {
          expect(fakes.lastSent.feishu().buttons).toHaveLength(2);
        } else {
          const sent = fakes.lastSent.dingtalk();
          expect(sent.buttons).toHaveLength(2);
          expect(sent.text).toMatch(/(同意|accept) 43 (排除|exclude)/);
        }
      });
    }
  }
});
