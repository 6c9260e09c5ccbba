import { describe, expect, it } from "vitest";
import type { ChatPlatform } from "../../src/chat/caller.ts";
import type { Lang } from "../../src/i18n/index.ts";
import type { NudgeItem } from "../../src/nudges/nudge-items.ts";
import { nudgeReply } from "../../src/nudges/nudge-reply.ts";
import { FAKE_PLATFORMS, usePlatformFakes } from "../support/platform-fakes.ts";
import { STORE_KINDS } from "../support/stores.ts";
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
  const fakes = usePlatformFakes(kind);

  for (const lang of ["zh-CN", "en"] as const) {
    for (const platform of FAKE_PLATFORMS) {
      it(`sends 6 low ratings to ${platform} with 5 buttons and says "1 more … /kpi followups" (${lang})`, async () => {
        const reply = nudgeReply("小张", sixRatings, context(lang, platform));
        await fakes.send(platform, reply, "zhang");
        const sent = fakes.lastSent[platform]();
        expect(sent.buttons).toHaveLength(5);
        expect(sent.text).toMatch(MORE[lang](1));
        expect(sent.text).toContain("#106");
      });
    }

    it(`fits a bad review and 6 ratings into DingTalk's five buttons, saying 4 more (${lang})`, async () => {
      const reply = nudgeReply("小张", [badReview, ...sixRatings], context(lang, "dingtalk"));
      await fakes.send("dingtalk", reply, "zhang");
      const sent = fakes.lastSent.dingtalk();
      expect(sent.buttons).toHaveLength(5);
      expect(sent.msgKey).toBe("sampleActionCard5");
      expect(sent.text).toMatch(MORE[lang](4));
    });

    it(`puts every button of a bad review and 6 ratings on Slack and Feishu (${lang})`, async () => {
      for (const platform of ["slack", "feishu"] as const) {
        const reply = nudgeReply("小张", [badReview, ...sixRatings], context(lang, platform));
        await fakes.send(platform, reply, "zhang");
        const sent = fakes.lastSent[platform]();
        expect(sent.buttons).toHaveLength(3 + 5);
        expect(sent.text).toMatch(MORE[lang](1));
      }
    });
  }
});
