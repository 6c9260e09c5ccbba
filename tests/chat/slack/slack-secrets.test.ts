import { describe, expect, it } from "vitest";
import { slackSecretsFromEnv } from "../../../src/chat/slack/slack-adapter.ts";
import { commandTextOf, deliveryIdOf } from "../../../src/chat/slack/slack-listeners.ts";

describe("Slack secrets from the environment", () => {
  it("reads the signing secret and bot token, and the app token when given", () => {
    const env = { SLACK_SIGNING_SECRET: "s3cret", SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" };
    expect(slackSecretsFromEnv(env)).toEqual({
      signingSecret: "s3cret",
      botToken: "xoxb-1",
      appToken: "xapp-1",
    });
  });

  it("names every missing variable and never a value", () => {
    const read = () => slackSecretsFromEnv({ SLACK_BOT_TOKEN: "xoxb-visible" }, "socket");
    expect(read).toThrow(
      "Slack (socket mode) needs SLACK_SIGNING_SECRET, SLACK_APP_TOKEN in the environment",
    );
    expect(read).not.toThrow(/xoxb-visible/);
  });

  it("needs no app token over HTTP", () => {
    expect(() => slackSecretsFromEnv({ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb-1" })).not.toThrow();
    expect(() => slackSecretsFromEnv({ SLACK_SIGNING_SECRET: " ", SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(
      "needs SLACK_SIGNING_SECRET in",
    );
  });
});

describe("reading Slack deliveries", () => {
  it("takes the command after the bot's mention, without a leading kpi, keeping other mentions", () => {
    expect(commandTextOf("<@U0KPIBOT1> kpi agent <@U_ZHANG> 2026-11", "U0KPIBOT1")).toBe(
      "agent <@U_ZHANG> 2026-11",
    );
    expect(commandTextOf("/kpi me", undefined)).toBe("me");
    expect(commandTextOf("<@U0KPIBOT1|kpi-bot>", "U0KPIBOT1")).toBe("");
  });

  it("names a delivery by Slack's event id, a command's or click's trigger id, else the action time", () => {
    expect(deliveryIdOf({ type: "event_callback", event_id: "Ev1" })).toBe("event:Ev1");
    expect(deliveryIdOf({ command: "/kpi", trigger_id: "t1" })).toBe("command:t1");
    expect(deliveryIdOf({ type: "block_actions", trigger_id: "t2", actions: [] })).toBe("action:t2");
    expect(deliveryIdOf({ type: "block_actions", actions: [{ action_ts: "1.5" }] })).toBe("action:1.5");
    expect(deliveryIdOf({ type: "view_submission" })).toBeUndefined();
  });
});
