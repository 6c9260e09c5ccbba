import { TOPIC_CARD } from "dingtalk-stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ButtonClick } from "../../../src/chat/adapter.ts";
import type { Store } from "../../../src/store/database.ts";
import { cardCallback } from "../../fakes/dingtalk/frames.ts";
import { defaultApp } from "../../fakes/dingtalk/openapi.ts";
import { CHAT_FIXTURE_NOW } from "../../support/chat-fixture.ts";
import { openTestStore, STORE_KINDS } from "../../support/stores.ts";
import { inboundOutcomes, type RobotRig, startRobotRig } from "./robot-harness.ts";

const SESSION = "/robot/sendBySession";
const BATCH = "/v1.0/robot/oToMessages/batchSend";
const GROUP = "/v1.0/robot/groupMessages/send";
const markdownOf = (body: unknown) => (body as { markdown: { title: string; text: string } }).markdown;
const actionCardOf = (body: unknown) => (body as { actionCard: { title: string; text: string } }).actionCard;

describe.each(STORE_KINDS)("the DingTalk robot over Stream, on %s", (kind) => {
  let store: Store;
  let rig: RobotRig;
  const clicks: ButtonClick[] = [];

  beforeEach(async () => {
    clicks.length = 0;
    store = await openTestStore(kind);
    rig = await startRobotRig(store, {
      clicks: {
        appeal: async (_deps, click) => {
          clicks.push(click);
          return { blocks: [{ kind: "text", text: `申诉 ${click.value} 已受理` }] };
        },
      },
    });
  });
  afterEach(async () => {
    await rig.close();
    await store.close();
  });

  it("acks 小张's `me last-month` at once and answers on the sessionWebhook with his scorecard: 94.6, B, 1/2", async () => {
    const { messageId, message } = rig.gateway.pushRobotMessage({
      text: "me last-month",
      senderStaffId: "staff_zhang",
    });
    expect(await rig.gateway.waitForAck(messageId)).toMatchObject({ code: 200, headers: { messageId } });
    await vi.waitFor(() => expect(rig.fake.callsTo(SESSION)).toHaveLength(1));

    const [call] = rig.fake.callsTo(SESSION);
    expect(call?.query.session).toBe(new URL(message.sessionWebhook).searchParams.get("session"));
    // Last month's card, still open to appeal on the fixture's day, carries the 申诉 button.
    expect(call?.body).toMatchObject({ msgtype: "actionCard" });
    expect(actionCardOf(call?.body).title).toContain("小张");
    expect(actionCardOf(call?.body).text).toContain("总分 94.6 → B");
    expect(actionCardOf(call?.body).text).toContain("组内排名：第 1 名（共 2 人）");
    expect(call?.response).toEqual({ errcode: 0, errmsg: "ok" });
    expect(rig.fake.callsTo(BATCH)).toEqual([]);
    expect(await inboundOutcomes(rig.metrics)).toEqual({ handled: 1 });
  });

  it("answers a message pushed twice with the same msgId once", async () => {
    const fields = { text: "me last-month", senderStaffId: "staff_zhang", msgId: "msgSAME0001==" };
    const first = rig.gateway.pushRobotMessage(fields);
    const second = rig.gateway.pushRobotMessage(fields);
    await rig.gateway.waitForAck(first.messageId);
    await rig.gateway.waitForAck(second.messageId);
    await vi.waitFor(async () =>
      expect(await inboundOutcomes(rig.metrics)).toEqual({ handled: 1, duplicate: 1 }),
    );

    expect(rig.fake.callsTo(SESSION)).toHaveLength(1);
  });

  it("refuses 小李 asking for 小张's card", async () => {
    rig.gateway.pushRobotMessage({
      text: "agent 小张 2026-11",
      senderStaffId: "staff_li",
      senderNick: "小李",
    });
    await vi.waitFor(() => expect(rig.fake.callsTo(SESSION)).toHaveLength(1));

    const text = markdownOf(rig.fake.callsTo(SESSION)[0]?.body).text;
    expect(text).toContain("你没有权限查看 小张");
    expect(text).not.toContain("94.6");
  });

  it("answers in the group through the OpenAPI once the sessionWebhook has expired, the @robot's space trimmed", async () => {
    const { message } = rig.gateway.pushRobotMessage({
      text: " /kpi me last-month",
      senderStaffId: "staff_zhang",
      conversationType: "2",
      conversationId: "cidGroupOne==",
      sessionWebhookExpiredTime: CHAT_FIXTURE_NOW.getTime() - 1000,
    });
    await vi.waitFor(() => expect(rig.fake.callsTo(GROUP)).toHaveLength(1));

    const [call] = rig.fake.callsTo(GROUP);
    expect(call?.body).toMatchObject({
      robotCode: defaultApp.robotCode,
      openConversationId: message.conversationId,
      msgKey: "sampleActionCard",
    });
    expect(call?.status).toBe(200);
    expect(call?.msgParam).toMatchObject({ text: expect.stringContaining("总分 94.6 → B") });
    expect(rig.fake.callsTo(SESSION)).toEqual([]);
  });

  it("answers a 1:1 message 1:1 through batchSend to the sender's staff id when the sessionWebhook has expired", async () => {
    rig.gateway.pushRobotMessage({
      text: "我的 上月",
      senderStaffId: "staff_zhang",
      sessionWebhookExpiredTime: CHAT_FIXTURE_NOW.getTime() + 30_000,
    });
    await vi.waitFor(() => expect(rig.fake.callsTo(BATCH)).toHaveLength(1));

    const [call] = rig.fake.callsTo(BATCH);
    expect(call?.body).toMatchObject({ userIds: ["staff_zhang"], msgKey: "sampleActionCard" });
    expect(call?.msgParam).toMatchObject({ text: expect.stringContaining("总分 94.6 → B") });
  });

  it("ignores a picture without answering, and counts a push that is not a robot message as malformed", async () => {
    // DingTalk's picture message, which the SDK's typings (text only) do not know.
    const picture = rig.gateway.pushRobotMessage({
      text: "",
      msgtype: "picture" as "text",
      senderStaffId: "staff_zhang",
    });
    await rig.gateway.waitForAck(picture.messageId);
    const odd = rig.gateway.pushCallback("/v1.0/im/bot/messages/get", { hello: "world" });
    await rig.gateway.waitForAck(odd);
    await vi.waitFor(async () =>
      expect(await inboundOutcomes(rig.metrics)).toEqual({ ignored: 1, malformed: 1 }),
    );

    expect(rig.fake.calls).toEqual([]);
  });

  it("hands an interactive card's button press to the click handler and answers the clicker 1:1", async () => {
    const press = cardCallback({
      outTrackId: "appeal-42",
      userId: "staff_zhang",
      actionId: "appeal:accept",
      params: { value: "42" },
    });
    const messageId = rig.gateway.pushCallback(TOPIC_CARD, press);
    await rig.gateway.waitForAck(messageId);
    await vi.waitFor(() => expect(rig.fake.callsTo(BATCH)).toHaveLength(1));

    expect(clicks).toEqual([
      {
        caller: { platform: "dingtalk", userId: "staff_zhang" },
        actionId: "appeal:accept",
        value: "42",
        message: { platform: "dingtalk", ref: "appeal-42" },
      },
    ]);
    expect(rig.fake.callsTo(BATCH)[0]?.msgParam).toMatchObject({
      text: expect.stringContaining("申诉 42 已受理"),
    });
  });
});
