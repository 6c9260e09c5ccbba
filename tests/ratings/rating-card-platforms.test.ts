import { describe, expect, it } from "vitest";
import type { ChatPlatform } from "../../src/chat/caller.ts";
import { MAX_TEMPLATE_BUTTONS } from "../../src/chat/dingtalk/robot-payloads.ts";
import type { Reply } from "../../src/chat/reply.ts";
import { builtinCatalogue, DEFAULT_RATING_SCALE, parsePeriod } from "../../src/engine/index.ts";
import { ratingCardReply } from "../../src/ratings/rating-card.ts";
import type { RatingTask } from "../../src/ratings/rating-due.ts";
import { ratingMessagesFor } from "../../src/ratings/rating-messages.ts";
import { agentProfile } from "../support/agent-profile.ts";
import { FAKE_PLATFORMS, usePlatformFakes } from "../support/platform-fakes.ts";
import { STORE_KINDS } from "../support/stores.ts";

/**
 * The rating card of a big team, through the real adapters to the loopback fakes, which refuse
 * what the platforms refuse (Slack: 50 blocks; Feishu: 30 KB and 200 components a card;
 * DingTalk: five buttons a message). Every agent is named, every row of buttons follows its
 * agent's line, and what has no button says how to rate it by command.
 */

const RATED = ["teamwork", "learning_growth", "operation_accuracy", "compliance"] as const;

function tasksOf(agents: number, items: number): RatingTask[] {
  const period = parsePeriod("2026-11");
  return Array.from({ length: agents }, (_, a) => a).flatMap((a) =>
    RATED.slice(0, items).map((metric) => ({
      agent: agentProfile(`agent${a + 1}`, `客服${String(a + 1).padStart(2, "0")}`),
      metric: builtinCatalogue.get(metric)!,
      scale: DEFAULT_RATING_SCALE,
      cap: 100,
      period,
    })),
  );
}

const card = (agents: number, items: number, platform: ChatPlatform): Reply =>
  ratingCardReply(
    ratingMessagesFor("zh-CN").cardTitle("售前一组", "2026-11"),
    tasksOf(agents, items),
    "zh-CN",
    platform,
  );

const buttonsOf = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === "actions" ? b.actions : []));
const textOf = (reply: Reply) =>
  reply.blocks.flatMap((b) => (b.kind === "text" || b.kind === "note" ? [b.text] : [])).join("\n");

const TEAMS = [
  { agents: 12, items: 2 },
  { agents: 30, items: 4 },
];

describe("the rating card's layout on each platform", () => {
  it.each(TEAMS)(
    "names all $agents agents, and puts each row of buttons right after its agent's line",
    ({ agents, items }) => {
      for (const platform of ["slack", "feishu", "dingtalk", "console"] as const) {
        const reply = card(agents, items, platform);
        for (let a = 1; a <= agents; a++)
          expect(textOf(reply)).toContain(`客服${String(a).padStart(2, "0")}：`);
        reply.blocks.forEach((block, i) => {
          if (block.kind !== "actions") return;
          const agentId = block.actions[0]!.value.split(/[| ]/)[platform === "dingtalk" ? 1 : 0];
          const lineBefore = reply.blocks
            .slice(0, i)
            .reverse()
            .find((b) => b.kind === "text");
          expect(lineBefore?.kind === "text" && lineBefore.text).toMatch(
            new RegExp(`^客服${agentId!.replace("agent", "").padStart(2, "0")}：`),
          );
        });
        const unbuttoned = agents * items - buttonsOf(reply).length / DEFAULT_RATING_SCALE.length;
        if (unbuttoned > 0) expect(textOf(reply)).toContain(`另有 ${unbuttoned} 项没有按钮`);
      }
    },
  );

  it("gives DingTalk at most five buttons, each typing the rate command, with the command hint", () => {
    for (const { agents, items } of TEAMS) {
      const reply = card(agents, items, "dingtalk");
      const buttons = buttonsOf(reply);
      expect(buttons.length).toBeGreaterThan(0);
      expect(buttons.length).toBeLessThanOrEqual(MAX_TEMPLATE_BUTTONS);
      expect(buttons.map((b) => b.value)).toEqual([
        "rate agent1 teamwork 优秀",
        "rate agent1 teamwork 良好",
        "rate agent1 teamwork 待改进",
        "rate agent1 teamwork 不合格",
      ]);
      expect(textOf(reply)).toContain("也可以发命令评分：/kpi rate 客服01 团队协作 优秀");
    }
  });

  it("gives Slack and Feishu a button for every item of the 12-agent team on Slack, and as many as fit", () => {
    expect(buttonsOf(card(12, 2, "slack"))).toHaveLength(12 * 2 * 4);
    expect(buttonsOf(card(30, 4, "slack")).length).toBeGreaterThan(0);
    expect(buttonsOf(card(30, 4, "feishu")).length).toBeGreaterThan(0);
  });
});

describe.each(STORE_KINDS)("the rating card through the real adapters to the fakes (%s)", (kind) => {
  const fakes = usePlatformFakes(kind);

  for (const { agents, items } of TEAMS)
    for (const platform of FAKE_PLATFORMS)
      it(`${platform} accepts the card of ${agents} agents × ${items} rated items`, async () => {
        const sent = await fakes.send(platform, card(agents, items, platform));
        expect(sent.platform).toBe(platform);
      });

  it("slack shows every agent's line and every button of the 12-agent card", async () => {
    await fakes.send("slack", card(12, 2, "slack"));
    const sent = fakes.lastSent.slack();
    expect(sent.blocks.length).toBeLessThanOrEqual(50);
    expect(sent.buttons).toHaveLength(12 * 2 * 4);
    expect(sent.text).not.toContain("more lines");
  });
});
