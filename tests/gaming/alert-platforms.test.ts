import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatAdapter, ChatMemory } from "../../src/chat/adapter.ts";
import { renderConsole } from "../../src/chat/console/render.ts";
import { createDingTalkAdapter } from "../../src/chat/dingtalk/dingtalk-adapter.ts";
import { dingtalkConfigSchema } from "../../src/chat/dingtalk/dingtalk-config.ts";
import { createFeishuAdapter } from "../../src/chat/feishu/feishu-adapter.ts";
import { createSlackAdapter } from "../../src/chat/slack/slack-adapter.ts";
import type { GamingFinding } from "../../src/engine/index.ts";
import { type AlertView, alertsPerMessage, gamingAlertReply } from "../../src/gaming/alert-reply.ts";
import { silentLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { chatMemoryOf } from "../../src/store/chat-memory.ts";
import type { Store } from "../../src/store/database.ts";
import { defaultApp, type FakeDingTalk, startFakeDingTalk } from "../fakes/dingtalk/openapi.ts";
import { type FakeFeishu, startFakeFeishu } from "../fakes/feishu/server.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.ts";
import { openTestStore } from "../support/stores.ts";

/**
 * The weekly alert message to a supervisor, sent through each platform's real SDK to the
 * loopback fakes (which refuse what the platforms refuse): five alerts, each with its evidence,
 * examples and a "没问题 / Fine" button; more than five go to DingTalk as several messages.
 */

const split: GamingFinding = {
  kind: "split_answers",
  rule: "split_answers",
  numbers: {
    conversations: 212,
    withSplit: 98,
    share: 0.462,
    baseShare: 0.06,
    chance: 1e-40,
    splitPairs: 160,
    qaRatio: 2.31,
    qaRatioJoined: 1.62,
  },
  examples: [
    { session: "S-1123-7", at: 0, gapMs: 2100, first: "这款衣服", second: "有现货的" },
    {
      session: "S-1124-2",
      at: 0,
      gapMs: 1800,
      first: "我们是48小时内发货的",
      second: "一般两到三天就能收到哦！",
    },
  ],
};
const guidance: GamingFinding = {
  kind: "review_guidance",
  rule: "review_guidance",
  numbers: { conversations: 230, withPhrase: 9 },
  examples: [
    { session: "S-1125-4", at: 0, phrase: "五星好评", text: "亲，收到满意的话给个五星好评哦～".repeat(3) },
  ],
};
const alerts: AlertView[] = Array.from({ length: 5 }, (_, i) => ({
  id: 40 + i,
  agentName: `客服${i}`,
  week: "2026-W48",
  kind: i % 2 ? "review_guidance" : "split_answers",
  finding: i % 2 ? guidance : split,
}));

describe("the gaming alert message on each platform", () => {
  let store: Store;
  let slack: FakeSlack;
  let feishu: FakeFeishu;
  let dingtalk: FakeDingTalk;
  const adapters = {} as Record<"slack" | "feishu" | "dingtalk", ChatAdapter>;
  beforeAll(async () => {
    store = await openTestStore("pglite");
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
  const to = { slack: "U_BOSS", feishu: "ou_boss", dingtalk: "staff_boss" } as const;
  const words = {
    "zh-CN": { fine: "没问题", evidence: "合并拆句后 1.62", kind: "引导好评" },
    en: { fine: "Fine", evidence: "1.62 with the halves joined", kind: "guidance to a good review" },
  } as const;

  for (const lang of ["zh-CN", "en"] as const)
    for (const platform of ["slack", "feishu", "dingtalk"] as const)
      it(`sends five alerts with their evidence and five buttons to ${platform} (${lang})`, async () => {
        await adapters[platform].send({ kind: "user", userId: to[platform] }, gamingAlertReply(alerts, lang));
        const sent = lastSent[platform]();
        expect(sent.buttons).toEqual(Array(5).fill(words[lang].fine));
        expect(sent.text).toContain(words[lang].evidence);
        expect(sent.text).toContain(words[lang].kind);
        expect(sent.text).toContain("客服4 · 2026-W48");
      });

  it("cuts seven alerts into messages of five for DingTalk, one for the others", () => {
    const seven = [1, 2, 3, 4, 5, 6, 7];
    expect(alertsPerMessage(seven, "dingtalk").map((c) => c.length)).toEqual([5, 2]);
    expect(alertsPerMessage(seven, "slack")).toEqual([seven]);
    expect(alertsPerMessage(seven, "console")).toEqual([seven]);
  });

  it("says on the console that it never goes into pay", () => {
    expect(renderConsole(gamingAlertReply(alerts.slice(0, 1), "zh-CN"))).toContain("不计入绩效");
    expect(renderConsole(gamingAlertReply(alerts.slice(0, 1), "en"))).toContain("never counted in pay");
  });
});
