import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ButtonClick } from "../../../src/chat/adapter.ts";
import { textReply } from "../../../src/chat/reply.ts";
import type { Store } from "../../../src/store/database.ts";
import {
  cardActionEvent,
  encryptAndSign,
  messageReceiveEvent,
  urlVerification,
} from "../../fakes/feishu/events.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";
import {
  ENCRYPT_KEY,
  eventually,
  type FeishuHarness,
  inboundOutcomes,
  NOW_SECONDS,
  startFeishuHarness,
  VERIFICATION_TOKEN,
} from "./feishu-harness.ts";

const REPLY_ROUTE = "/open-apis/im/v1/messages/:message_id/reply";

describe.each(STORE_KINDS)("Feishu events into the bot, on %s", (kind) => {
  let store: Store;
  let feishu: FeishuHarness;
  const clicks: ButtonClick[] = [];

  beforeAll(async () => {
    store = await openTestStore(kind);
    feishu = await startFeishuHarness(store, {
      probe: async (_deps, click) => {
        clicks.push(click);
        return textReply("已记录你的选择");
      },
    });
  });
  afterAll(async () => {
    await feishu?.close();
    await store?.close();
  });

  /** What zhang (or whoever) writes to the bot one to one, as Feishu pushes it. */
  async function directMessage(text: string, openId = "ou_zhang", eventId?: string) {
    const messageId = await feishu.userMessage({ openId }, text);
    const event = messageReceiveEvent({
      ...(eventId ? { eventId } : {}),
      token: VERIFICATION_TOKEN,
      openId,
      chatId: `oc_p2p_${openId}`,
      chatType: "p2p",
      text,
      messageId,
      createTime: NOW_SECONDS * 1000,
    });
    return { messageId, event };
  }
  const repliesTo = (messageId: string) =>
    feishu.fake.callsTo(REPLY_ROUTE, "POST").filter((call) => call.path.includes(messageId));
  const replyCard = (messageId: string) =>
    eventually(() => repliesTo(messageId)[0]?.card, `a reply to ${messageId}`).then((card) =>
      JSON.stringify(card),
    );

  it("answers zhang's encrypted, signed 'me last-month' with a card of his 94.6 → B", async () => {
    const { messageId, event } = await directMessage("me last-month");
    const answer = await feishu.deliver(event);
    expect(answer).toEqual({ status: 200, body: {} });
    const card = await replyCard(messageId);
    expect(card).toContain("总分 94.6 → B");
    expect(card).toContain("组内排名：第 1 名（共 2 人）");
    expect(repliesTo(messageId)[0]).toMatchObject({ status: 200, body: { msg_type: "interactive" } });
  });

  it("answers an @bot in a group, with the mention removed from the command", async () => {
    const messageId = await feishu.userMessage({ chatId: "oc_team" }, "@_user_1 me last-month");
    const event = messageReceiveEvent({
      token: VERIFICATION_TOKEN,
      openId: "ou_zhang",
      chatId: "oc_team",
      chatType: "group",
      text: "@_user_1 me last-month",
      mentions: [{ openId: "ou_kpi_bot", name: "KPI 助手" }],
      messageId,
      createTime: NOW_SECONDS * 1000,
    });
    expect((await feishu.deliver(event)).status).toBe(200);
    expect(await replyCard(messageId)).toContain("94.6");
  });

  it("tells li he may not see 小张", async () => {
    const { messageId, event } = await directMessage("agent 小张 2026-11", "ou_li");
    await feishu.deliver(event);
    expect(await replyCard(messageId)).toContain("你没有权限查看 小张");
  });

  it("refuses a forged signature with 401 and runs nothing", async () => {
    const { messageId, event } = await directMessage("me last-month");
    const genuine = encryptAndSign(event, { encryptKey: ENCRYPT_KEY, timestamp: NOW_SECONDS });
    const forged = encryptAndSign(event, { encryptKey: "a guess", timestamp: NOW_SECONDS });
    const swapped = {
      body: genuine.body,
      headers: { ...genuine.headers, "X-Lark-Signature": "0".repeat(64) },
    };
    const before = (await inboundOutcomes(feishu.metrics)).bad_signature ?? 0;
    expect((await feishu.post(forged)).status).toBe(401);
    expect((await feishu.post(swapped)).status).toBe(401);
    await feishu.settle();
    expect(repliesTo(messageId)).toEqual([]);
    expect((await inboundOutcomes(feishu.metrics)).bad_signature).toBe(before + 2);
  });

  it("refuses a genuine request signed six minutes ago", async () => {
    const { messageId, event } = await directMessage("me last-month");
    const answer = await feishu.deliver(event, { timestamp: NOW_SECONDS - 6 * 60 });
    expect(answer.status).toBe(401);
    await feishu.settle();
    expect(repliesTo(messageId)).toEqual([]);
    expect((await inboundOutcomes(feishu.metrics)).stale).toBeGreaterThanOrEqual(1);
  });

  it("refuses an event carrying another app's verification token", async () => {
    const { messageId, event } = await directMessage("me last-month");
    const other = { ...event, header: { ...event.header, token: "another-app" } };
    expect((await feishu.deliver(other)).status).toBe(401);
    await feishu.settle();
    expect(repliesTo(messageId)).toEqual([]);
  });

  it("answers an event Feishu pushes twice (same event_id) once", async () => {
    const { messageId, event } = await directMessage("me last-month", "ou_zhang", `ev_twice_${kind}`);
    expect((await feishu.deliver(event)).status).toBe(200);
    expect((await feishu.deliver(event)).status).toBe(200);
    await feishu.settle();
    expect(repliesTo(messageId)).toHaveLength(1);
    expect((await inboundOutcomes(feishu.metrics)).duplicate).toBe(1);
  });

  it("ignores what another bot writes", async () => {
    const { messageId, event } = await directMessage("me last-month");
    const fromBot = {
      ...event,
      event: { ...event.event, sender: { ...event.event.sender, sender_type: "app" } },
    };
    expect((await feishu.deliver(fromBot)).status).toBe(200);
    await feishu.settle();
    expect(repliesTo(messageId)).toEqual([]);
  });

  it("answers the url_verification challenge, only with the app's token", async () => {
    expect(await feishu.deliver(urlVerification("ch-7f3a", VERIFICATION_TOKEN))).toEqual({
      status: 200,
      body: { challenge: "ch-7f3a" },
    });
    expect((await feishu.deliver(urlVerification("ch-7f3a", "guess"))).status).toBe(401);
    const unsigned = encryptAndSign(urlVerification("ch-x", VERIFICATION_TOKEN), {
      encryptKey: "another key",
      timestamp: NOW_SECONDS,
    });
    expect((await feishu.post(unsigned)).status).toBe(401);
  });

  it("hands a card button press to the click handler and answers with the new card", async () => {
    const press = cardActionEvent({
      token: VERIFICATION_TOKEN,
      openId: "ou_zhang",
      messageId: "om_card_1",
      chatId: "oc_team",
      value: { action: "probe:yes", value: "2026-11" },
      createTime: NOW_SECONDS * 1000,
    });
    const answer = await feishu.deliver(press);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ card: { type: "raw", data: { schema: "2.0" } } });
    expect(JSON.stringify(answer.body)).toContain("已记录你的选择");
    expect(clicks.at(-1)).toEqual({
      caller: { platform: "feishu", userId: "ou_zhang" },
      actionId: "probe:yes",
      value: "2026-11",
      message: { platform: "feishu", ref: "om_card_1" },
    });
  });
});
