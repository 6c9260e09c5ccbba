import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatAdapter, ChatMemory } from "../../src/chat/adapter.ts";
import type { ChatPlatform } from "../../src/chat/caller.ts";
import { createDingTalkAdapter } from "../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema } from "../../src/chat/dingtalk/dingtalk-config.ts";
import { createFeishuAdapter } from "../../src/chat/feishu/feishu-adapter.ts";
import { createSlackAdapter } from "../../src/chat/slack/slack-adapter.ts";
import type { Lang } from "../../src/i18n/index.ts";
import { silentLog } from "../../src/log.ts";
import type { NudgeItem } from "../../src/nudges/nudge-items.ts";
import { nudgeReply } from "../../src/nudges/nudge-reply.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import type { Store } from "../../src/store/database.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../fakes/dingtalk/openapi.ts";
import { type FakeFeishu, startFakeFeishu } from "../fakes/feishu/server.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { openTestStore, STORE_KINDS } from "../support/stores.ts";
import { at } from "./nudge-fixture.ts";

/**
 * A nudge with six low ratings (and one with a bad review besides), rendered for each platform
 * and sent through its real SDK to the loopback fake, which refuses what the platform refuses
 * (Slack's block limits, Feishu's card size and components, DingTalk's five-button templates).
 * What has no button says how many and how to see them.
 */

const sixRatings: NudgeItem[] = Array.from({ length: 6 }, (_, i) => ({
  type: "low_rating",
  subject: `low_rating:${101 + i}`,
  factId: 101 + i,
  session: `S-${101 + i}`,
  score: 2,
  at: at(`2026-11-30 1${i}:00`),
}));
const badReview: NudgeItem = {
  type: "bad_review",
  subject: "bad_review:99",
  factId: 99,
  at: at("2026-11-30 20:00"),
  deadline: at("2026-12-01 20:00"),
  order: "O1130",
  customer: "a**3",
  text: "色差太大",
};

const context = (lang: Lang, platform: ChatPlatform) => ({
  lang,
  timeZone: "Asia/Shanghai",
  now: at("2026-12-01 09:30"),
  lowRatingBelow: 4,
  maxWaitSeconds: 300,
  reminderHoursLeft: 4,
  platform,
});

const MORE = {
  "zh-CN": (n: number) => new RegExp(`还有 ${n} 条.*\\/kpi followups`),
  en: (n: number) => new RegExp(`${n} more .*\\/kpi followups`),
} as const;

describe.each(STORE_KINDS)("a nudge with more than the buttons that fit, on each platform (%s)", (kind) => {
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

  /** The last message each fake took: its button labels and its whole text. */
  const lastSent = {
    slack: () => {
      const blocks = slack.messages.at(-1)!.blocks as {
        type: string;
        elements?: { text: { text: string } }[];
      }[];
      return {
        buttons: blocks.flatMap((b) => (b.type === "actions" ? b.elements!.map((e) => e.text.text) : [])),
        text: JSON.stringify(blocks),
      };
    },
    feishu: () => {
      const content = [...feishu.messages.values()].at(-1)!.content;
      return {
        buttons: [...content.matchAll(/"tag":"button","text":\{"tag":"plain_text","content":"([^"]*)"/g)].map(
          (m) => m[1]!,
        ),
        text: content,
      };
    },
    dingtalk: () => {
      const param = dingtalk.callsTo("/v1.0/robot/oToMessages/batchSend").at(-1)!.msgParam as Record<
        string,
        string
      >;
      return {
        buttons: Object.keys(param)
          .filter((k) => /^actionTitle\d$/.test(k))
          .map((k) => param[k]!),
        text: param.text!,
      };
    },
  };
  const to = { slack: "U_ZHANG", feishu: "ou_zhang", dingtalk: "staff_zhang" } as const;

  for (const lang of ["zh-CN", "en"] as const) {
    for (const platform of ["slack", "feishu", "dingtalk"] as const) {
      it(`sends 6 low ratings to ${platform} with 5 buttons and says "1 more … /kpi followups" (${lang})`, async () => {
        const reply = nudgeReply("小张", sixRatings, context(lang, platform));
        await adapters[platform].send({ kind: "user", userId: to[platform] }, reply);
        const sent = lastSent[platform]();
        expect(sent.buttons).toHaveLength(5);
        expect(sent.text).toMatch(MORE[lang](1));
        expect(sent.text).toContain("#106");
      });
    }

    it(`fits a bad review and 6 ratings into DingTalk's five buttons, saying 4 more (${lang})`, async () => {
      const reply = nudgeReply("小张", [badReview, ...sixRatings], context(lang, "dingtalk"));
      await adapters.dingtalk.send({ kind: "user", userId: to.dingtalk }, reply);
      const sent = lastSent.dingtalk();
      expect(sent.buttons).toHaveLength(5);
      expect(dingtalk.callsTo("/v1.0/robot/oToMessages/batchSend").at(-1)!.body).toMatchObject({
        msgKey: "sampleActionCard5",
      });
      expect(sent.text).toMatch(MORE[lang](4));
    });

    it(`puts every button of a bad review and 6 ratings on Slack and Feishu (${lang})`, async () => {
      for (const platform of ["slack", "feishu"] as const) {
        const reply = nudgeReply("小张", [badReview, ...sixRatings], context(lang, platform));
        await adapters[platform].send({ kind: "user", userId: to[platform] }, reply);
        const sent = lastSent[platform]();
        expect(sent.buttons).toHaveLength(3 + 5);
        expect(sent.text).toMatch(MORE[lang](1));
      }
    });
  }
});
