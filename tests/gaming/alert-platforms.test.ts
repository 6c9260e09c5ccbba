import { describe, expect, it } from "vitest";
import { renderConsole } from "../../src/chat/console/render.ts";
import type { GamingFinding } from "../../src/engine/index.ts";
import { type AlertView, alertsPerMessage, gamingAlertReply } from "../../src/gaming/alert-reply.ts";
import { FAKE_PLATFORMS, usePlatformFakes } from "../support/platform-fakes.ts";

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
  const fakes = usePlatformFakes("pglite");

  const words = {
    "zh-CN": { fine: "没问题", evidence: "合并拆句后 1.62", kind: "引导好评" },
    en: { fine: "Fine", evidence: "1.62 with the halves joined", kind: "guidance to a good review" },
  } as const;

  for (const lang of ["zh-CN", "en"] as const)
    for (const platform of FAKE_PLATFORMS)
      it(`sends five alerts with their evidence and five buttons to ${platform} (${lang})`, async () => {
        await fakes.send(platform, gamingAlertReply(alerts, lang));
        const sent = fakes.lastSent[platform]();
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
