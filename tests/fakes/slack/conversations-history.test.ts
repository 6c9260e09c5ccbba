import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from "./server.ts";

/** The fake's conversations.history and message metadata, through the real WebClient. */

const metadata = { event_type: "kpi_outbox", event_payload: { key: "digest:presales-a:2026-W47" } };

describe("conversations.history on the fake Slack", () => {
  let fake: FakeSlack;
  /** The fake's clock, where a test sets it. */
  let clock = new Date();
  afterEach(() => fake.close());

  const start = async (options: FakeSlackOptions = {}) => {
    fake = await startFakeSlack(options);
  };
  const clientOf = (token: string, timeout?: number) =>
    new webApi.WebClient(token, {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
      ...(timeout === undefined ? {} : { timeout }),
    });
  const client = () => clientOf(fake.botToken);

  /** Posts "m0" … in C0SHOP001, one a second of the fake's clock from `from`; their ts, oldest first. */
  async function postSeconds(count: number, from: number): Promise<string[]> {
    const stamps: string[] = [];
    for (let i = 0; i < count; i++) {
      clock = new Date((from + i) * 1000);
      const posted = await client().chat.postMessage({ channel: "C0SHOP001", text: `m${i}` });
      stamps.push(posted.ts ?? "");
    }
    return stamps;
  }

  it("keeps a message's metadata and shows it only with include_all_metadata", async () => {
    await start();
    const posted = await client().chat.postMessage({ channel: "C0SHOP001", text: "周报", metadata });
    expect(fake.messages[0]?.metadata).toEqual(metadata);

    const plain = await client().conversations.history({ channel: "C0SHOP001" });
    expect(plain.messages).toEqual([
      expect.objectContaining({ type: "message", ts: posted.ts, text: "周报", bot_id: "B0KPIBOT1" }),
    ]);
    expect(plain.messages?.[0]).not.toHaveProperty("metadata");
    const withMetadata = await client().conversations.history({
      channel: "C0SHOP001",
      include_all_metadata: true,
    });
    expect(withMetadata.messages?.[0]?.metadata).toEqual(metadata);
  });

  it("refuses metadata without an event_type or with a payload that is not an object", async () => {
    await start();
    const post = (bad: unknown) =>
      client().chat.postMessage({ channel: "C0SHOP001", text: "x", metadata: bad as typeof metadata });
    await expect(post({ event_payload: {} })).rejects.toMatchObject({
      data: { error: "invalid_metadata_format" },
    });
    await expect(post({ event_type: "kpi_outbox", event_payload: "key" })).rejects.toMatchObject({
      data: { error: "invalid_metadata_format" },
    });
    expect(fake.messages).toEqual([]);
  });

  it("answers newest first, only the channel asked for, after `oldest` (or from it, inclusive)", async () => {
    await start({ now: () => clock });
    const [first = "", second = ""] = await postSeconds(4, 1_764_000_000);
    fake.postAs("U0AGENT01", "C0OTHER01", "elsewhere");
    await client().chat.postMessage({ channel: "C0SHOP001", text: "reply", thread_ts: first });

    const all = await client().conversations.history({ channel: "C0SHOP001" });
    expect(all.messages?.map((m) => m.text)).toEqual(["m3", "m2", "m1", "m0"]);
    expect(all.has_more).toBe(false);
    expect(all.response_metadata?.next_cursor ?? "").toBe("");
    const after = await client().conversations.history({ channel: "C0SHOP001", oldest: second });
    expect(after.messages?.map((m) => m.text)).toEqual(["m3", "m2"]);
    const from = await client().conversations.history({
      channel: "C0SHOP001",
      oldest: second,
      inclusive: true,
    });
    expect(from.messages?.map((m) => m.text)).toEqual(["m3", "m2", "m1"]);
  });

  it("pages with `limit`, has_more and response_metadata.next_cursor", async () => {
    await start({ now: () => clock });
    await postSeconds(5, 1_764_000_000);
    const page = (cursor?: string) =>
      client().conversations.history({ channel: "C0SHOP001", limit: 2, ...(cursor ? { cursor } : {}) });

    const first = await page();
    expect(first.messages?.map((m) => m.text)).toEqual(["m4", "m3"]);
    expect(first.has_more).toBe(true);
    const second = await page(first.response_metadata?.next_cursor);
    expect(second.messages?.map((m) => m.text)).toEqual(["m2", "m1"]);
    const third = await page(second.response_metadata?.next_cursor);
    expect(third.messages?.map((m) => m.text)).toEqual(["m0"]);
    expect(third.has_more).toBe(false);
    await expect(page("not-a-cursor")).rejects.toMatchObject({ data: { error: "invalid_cursor" } });
  });

  it("shows a person's message with their user id, not the bot's", async () => {
    await start();
    fake.postAs("U0AGENT01", "C0SHOP001", "客户在等回复");
    const [message] = (await client().conversations.history({ channel: "C0SHOP001" })).messages ?? [];
    expect(message).toMatchObject({ user: "U0AGENT01", text: "客户在等回复" });
    expect(message).not.toHaveProperty("bot_id");
  });

  it("checks the token, and takes the failure switches like every method", async () => {
    await start();
    await expect(
      clientOf("xoxb-wrong").conversations.history({ channel: "C0SHOP001" }),
    ).rejects.toMatchObject({
      data: { error: "invalid_auth" },
    });
    fake.failNext("conversations.history", { status: 429, retryAfter: 4 });
    await expect(client().conversations.history({ channel: "C0SHOP001" })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 4,
    });
    fake.failNext("conversations.history", { hang: "unprocessed" });
    await expect(
      clientOf(fake.botToken, 300).conversations.history({ channel: "C0SHOP001" }),
    ).rejects.toMatchObject({ code: webApi.ErrorCode.RequestError });
    expect(fake.callsTo("conversations.history").map((c) => c.status)).toEqual([200, 429, 0]);
  });

  it("keeps Slack's Tier 3 limit on it when asked", async () => {
    await start({ limits: { conversationsHistory: { limit: 2, windowMs: 60_000 } } });
    const read = () => client().conversations.history({ channel: "C0SHOP001" });
    await read();
    await read();
    await expect(read()).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError });
    expect(fake.limitCounts()).toMatchObject([
      { scope: "slack:workspace:conversations.history", admitted: 2, throttled: 1 },
    ]);
  });
});
