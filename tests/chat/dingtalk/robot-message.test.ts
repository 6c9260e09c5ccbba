import { describe, expect, it } from "vitest";
import { DEFAULT_SESSION_WEBHOOK_HOSTS } from "../../../src/chat/dingtalk/dingtalk-config.ts";
import {
  commandText,
  type RobotMessage,
  sessionWebhookOf,
} from "../../../src/chat/dingtalk/robot-message.ts";
import { replyOrigins } from "../../../src/chat/dingtalk/session-webhook-hosts.ts";

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

  it("uses a sessionWebhook on an allowed host only while it has a minute left", () => {
    const allowed = replyOrigins(DEFAULT_SESSION_WEBHOOK_HOSTS, []);
    const url = "https://oapi.dingtalk.com/robot/sendBySession?session=s";
    const message = { ...base, sessionWebhook: url, sessionWebhookExpiredTime: 1_000_000 };
    expect(sessionWebhookOf(message, 900_000, allowed)).toEqual({ kind: "usable", url });
    expect(sessionWebhookOf(message, 950_000, allowed)).toEqual({ kind: "none" });
    expect(sessionWebhookOf({ ...base }, 900_000, allowed)).toEqual({ kind: "none" });
  });

  it("refuses a sessionWebhook on another host, expired or not, naming the host and nothing of the URL", () => {
    const allowed = replyOrigins(DEFAULT_SESSION_WEBHOOK_HOSTS, []);
    const sessionWebhook = "https://sink.example.net:8443/robot/sendBySession?session=s3cr3t";
    for (const sessionWebhookExpiredTime of [1_000_000, 1]) {
      expect(
        sessionWebhookOf({ ...base, sessionWebhook, sessionWebhookExpiredTime }, 900_000, allowed),
      ).toEqual({
        kind: "refused",
        host: "sink.example.net:8443",
      });
    }
  });
});
