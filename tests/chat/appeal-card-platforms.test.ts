import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppealEvidence, appealCard } from "../../src/bot/commands/appeal-card.ts";
import type { ChatAdapter, ChatMemory } from "../../src/chat/adapter.ts";
import { createDingTalkAdapter } from "../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema } from "../../src/chat/dingtalk/dingtalk-config.ts";
import { createFeishuAdapter } from "../../src/chat/feishu/feishu-adapter.ts";
import { createSlackAdapter } from "../../src/chat/slack/slack-adapter.ts";
import { builtinCatalogue, dayKey, parseDay } from "../../src/engine/index.ts";
import { silentLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import type { AppealRow } from "../../src/store/appeal-repo.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import type { Store } from "../../src/store/database.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../fakes/dingtalk/openapi.ts";
import { type FakeFeishu, startFakeFeishu } from "../fakes/feishu/server.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";

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
  let store: Store;
  let slack: FakeSlack;
  let feishu: FakeFeishu;
  let dingtalk: FakeDingTalk;
  const adapters = {} as Record<"slack" | "feishu" | "dingtalk", ChatAdapter>;
  beforeAll(async () => {
    store = await openTestStore(kind);
    slack = await startFakeSlack();
    feishu = await startFakeFeishu();
    dingtalk = await startFakeDingTalk();
    const deps = {
      memory: chatMemoryOf(store.db),
      metrics: createMetrics(),
      log: silentLog,
      now: () => new Date(),
    };
    adapters.slack = createSlackAdapter(
      { mode: "http", apiUrl: slack.apiUrl, signingSecret: "s", botToken: slack.botToken },
      deps,
    );
    adapters.feishu = createFeishuAdapter(
      { mode: "http", domain: feishu.domain, ...feishu.newApp(), encryptKey: "k", verificationToken: "v" },
      { ...deps, memory: {} as ChatMemory },
    );
    adapters.dingtalk = createDingTalkAdapter(
      {
        ...dingtalkConfigSchema.parse({ apiUrl: dingtalk.baseUrl }),
        clientId: defaultApp.appKey,
        clientSecret: defaultApp.appSecret,
      },
      deps,
    );
  });
  afterAll(async () => {
    await slack.close();
    await feishu.close();
    await dingtalk.close();
    await store.close();
  });
  const to = { slack: "U_BOSS", feishu: "ou_boss", dingtalk: "staff_boss" } as const;

  for (const lang of ["zh-CN", "en"] as const) {
    for (const platform of ["slack", "feishu", "dingtalk"] as const) {
      it(`sends an item's and a fact's appeal to ${platform}, with both buttons (${lang})`, async () => {
        const item = appealCard(appeal({}), "小张", month, lang);
        await adapters[platform].send({ kind: "user", userId: to[platform] }, item);
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
        await adapters[platform].send({ kind: "user", userId: to[platform] }, fact);
        if (platform === "slack") {
          const blocks = slack.messages.at(-1)!.blocks as { type: string; elements?: unknown[] }[];
          expect(blocks.find((b) => b.type === "actions")!.elements).toHaveLength(2);
        } else if (platform === "feishu") {
          const content = [...feishu.messages.values()].at(-1)!.content;
          expect(content.match(/"tag":"button"/g)).toHaveLength(2);
        } else {
          const param = dingtalk.callsTo("/v1.0/robot/oToMessages/batchSend").at(-1)!.msgParam as Record<
            string,
            string
          >;
          expect(Object.keys(param).filter((k) => /^actionTitle\d$/.test(k))).toHaveLength(2);
          expect(param.text).toMatch(/(同意|accept) 43 (排除|exclude)/);
        }
      });
    }
  }
});
