import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { ChatSendError } from "../../src/chat/adapter.ts";
import { createDingTalkAdapter } from "../../src/chat/dingtalk/dingtalk-adapter.ts";
import { createFeishuAdapter } from "../../src/chat/feishu/feishu-adapter.ts";
import { chatSendErrorOf } from "../../src/chat/slack/slack-outbound.ts";
import { silentLog } from "../../src/log.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { defaultApp, startFakeDingTalk } from "./dingtalk/openapi.ts";
import { DINGTALK_PUBLISHED_LIMITS } from "./dingtalk/rate-limits.ts";
import { FEISHU_PUBLISHED_LIMITS } from "./feishu/rate-limits.ts";
import { startFakeFeishu } from "./feishu/server.ts";
import { RateWindows } from "./rate-window.ts";
import { SLACK_PUBLISHED_LIMITS } from "./slack/rate-limits.ts";
import { startFakeSlack } from "./slack/server.ts";

const deps = () => ({
  memory: undefined as never,
  metrics: createMetrics(),
  log: silentLog,
  now: () => new Date(),
});
const reply = { title: "t", blocks: [{ kind: "text" as const, text: "hello" }] };

describe("a limit of N calls in any window", () => {
  const rule = { limit: 3, windowMs: 1000 };
  const scope = [{ scope: "s", rule }];

  it("admits N calls in a window, refuses the next until the oldest leaves it, and says how long", () => {
    const windows = new RateWindows();
    expect([0, 10, 20].map((t) => windows.judge(scope, t).admitted)).toEqual([true, true, true]);
    expect(windows.judge(scope, 500)).toEqual({ admitted: false, retryAfterMs: 500, scope: "s" });
    // Sent again before the wait is over: refused again, and noted as a wait ignored.
    expect(windows.judge(scope, 600).admitted).toBe(false);
    // Sliding, not fixed: at 1000 only the call of 0 has left the window.
    expect(windows.judge(scope, 1000).admitted).toBe(true);
    expect(windows.judge(scope, 1005).admitted).toBe(false);
    expect(windows.counts()).toEqual([
      { scope: "s", rule, admitted: 4, throttled: 3, throttledAt: [500, 600, 1005], ignoredWaits: 1 },
    ]);
  });

  it("admits a call in all its scopes or in none", () => {
    const windows = new RateWindows();
    const app = { scope: "app", rule: { limit: 10, windowMs: 1000 } };
    const chat = { scope: "chat", rule: { limit: 1, windowMs: 1000 } };
    expect(windows.judge([app, chat], 0).admitted).toBe(true);
    expect(windows.judge([app, chat], 1)).toMatchObject({ admitted: false, scope: "chat" });
    expect(windows.counts().map((c) => [c.scope, c.admitted, c.throttled])).toEqual([
      ["app", 1, 0],
      ["chat", 1, 1],
    ]);
  });
});

describe("fakes that enforce the platforms' limits", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  it("Slack answers the second post to a channel within a second with 429 and Retry-After: 1", async () => {
    // A clock that stands still: however slowly the calls come, they count as within one second.
    const fake = await startFakeSlack({
      limits: SLACK_PUBLISHED_LIMITS,
      now: () => new Date(1_800_000_000_000),
    });
    closers.push(() => fake.close());
    const client = new webApi.WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    await client.chat.postMessage({ channel: "C1", text: "one" });
    await client.chat.postMessage({ channel: "C2", text: "other channel" });
    const refused = await client.chat.postMessage({ channel: "C1", text: "two" }).catch((e: unknown) => e);
    expect(chatSendErrorOf(refused)).toMatchObject({ retryable: true, retryAfterMs: 1000 });
    expect(fake.messages.map((m) => m.text)).toEqual(["one", "other channel"]);
    expect(fake.limitCounts().find((c) => c.scope === "slack:channel:C1")).toMatchObject({
      admitted: 1,
      throttled: 1,
    });
  });

  it("Feishu answers code 99991400 with x-ogw-ratelimit-reset past 5 sends a second to one chat", async () => {
    const fake = await startFakeFeishu({ limits: FEISHU_PUBLISHED_LIMITS, now: () => 1_800_000_000_000 });
    closers.push(() => fake.close());
    const app = fake.newApp();
    const adapter = createFeishuAdapter({ mode: "websocket", domain: fake.domain, ...app }, deps());
    const sends = await Promise.allSettled(
      Array.from({ length: 6 }, () => adapter.send({ kind: "channel", id: "oc_team" }, reply)),
    );
    const refused = sends.filter((s) => s.status === "rejected").map((s) => s.reason as ChatSendError);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ retryable: true, retryAfterMs: 1000 });
    const throttledCall = fake.calls.find((c) => c.status === 429);
    expect(throttledCall?.answer).toMatchObject({ code: 99991400 });
    expect(fake.limitCounts().find((c) => c.scope === "feishu:chat:oc_team")).toMatchObject({
      admitted: 5,
      throttled: 1,
    });
  });

  it("DingTalk answers 403 QpsLimitForAppkeyAndApi past 20 calls a second to one API", async () => {
    const fake = await startFakeDingTalk({
      limits: DINGTALK_PUBLISHED_LIMITS,
      clock: () => 1_800_000_000_000,
    });
    closers.push(() => fake.close());
    const adapter = createDingTalkAdapter(
      {
        mode: "robot",
        apiUrl: fake.baseUrl,
        httpCallback: false,
        clientId: defaultApp.appKey,
        clientSecret: defaultApp.appSecret,
      },
      deps(),
    );
    const sends = await Promise.allSettled(
      Array.from({ length: 21 }, (_, i) => adapter.send({ kind: "user", userId: `staff${i}` }, reply)),
    );
    const refused = sends.filter((s) => s.status === "rejected").map((s) => s.reason as ChatSendError);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(ChatSendError);
    expect(refused[0]!.message).toContain("QpsLimitForAppkeyAndApi");
    expect(refused[0]).toMatchObject({ retryable: true, retryAfterMs: 1000 });
  });
});
