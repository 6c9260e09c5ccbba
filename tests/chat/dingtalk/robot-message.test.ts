import { describe, expect, it } from "vitest";
import {
  commandText,
  type RobotMessage,
  sessionWebhookOf,
} from "../../../src/chat/dingtalk/robot-message.ts";

const base: RobotMessage = {
  msgId: "msg1",
  msgtype: "text",
  conversationType: "2",
  conversationId: "cid1",
  senderStaffId: "staff_boss",
  chatbotUserId: "$:bot",
  text: { content: "" },
};
const said = (content: string, fields: Partial<RobotMessage> = {}) =>
  commandText({ ...base, ...fields, text: { content } });

describe("the command in a DingTalk robot message", () => {
  it("trims the space DingTalk leaves where it cut the @robot out, and a leading /kpi", () => {
    expect(said(" me last-month")).toBe("me last-month");
    expect(said("/kpi  team 2026-11", { conversationType: "1" })).toBe("team 2026-11");
  });

  it("rewrites other @mentions to <@staffId> in order, and drops an @robot left in the text", () => {
    const atUsers = [{ dingtalkId: "$:bot" }, { dingtalkId: "$:li", staffId: "staff_li" }];
    expect(said("@KPI机器人 agent @小李 上月", { atUsers })).toBe("agent <@staff_li> 上月");
    expect(said(" agent @小李 上月", { atUsers })).toBe("agent <@staff_li> 上月");
  });

  it("keeps a 1:1 text whole and has no command in a picture", () => {
    expect(said("agent @小李", { conversationType: "1" })).toBe("agent @小李");
    expect(commandText({ ...base, msgtype: "picture" })).toBeUndefined();
  });

  it("uses a sessionWebhook only while it has a minute left", () => {
    const message = { ...base, sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=s" };
    expect(sessionWebhookOf({ ...message, sessionWebhookExpiredTime: 1_000_000 }, 900_000)).toBe(
      message.sessionWebhook,
    );
    expect(sessionWebhookOf({ ...message, sessionWebhookExpiredTime: 1_000_000 }, 950_000)).toBeUndefined();
  });
});
